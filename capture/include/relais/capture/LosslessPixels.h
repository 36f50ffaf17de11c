#pragma once
// Grey images (a detector's DX, a digitized film, a grey raster photo) travel losslessly
// compressed: JPEG-LS lossless (DCMTK's dcmjpls, CharLS) about halves a 12-bit DX, and every
// decoder the hub uses (Orthanc 1.10.1 without plugins, DCMTK) reads it. Should CharLS refuse
// an object, its pixels stay native (JPEG Lossless SV1 would only add dcmjpeg's four libraries
// to every relais-capture process: CharLS codes every grey layout the builders make, 8 and
// 16 bits allocated). Decoded values are the original ones exactly: Lossy Image Compression
// stays "00".
#include "relais/capture/DicomHeader.h"

namespace relais::capture {

// Re-codes the native pixel data of `object` and sets object.transferSyntax accordingly.
// Returns the transfer syntax chosen (a DCMTK E_TransferSyntax).
int compressLosslessly(DicomObject& object);

}  // namespace relais::capture
