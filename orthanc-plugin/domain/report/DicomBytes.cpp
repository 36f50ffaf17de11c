#include "domain/report/DicomBytes.h"

#include <stdexcept>

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcuid.h>

namespace relais::report {

std::string SerializeDicom(DcmFileFormat& file) {
  const E_TransferSyntax xfer = EXS_LittleEndianExplicit;
  OFCondition status = file.validateMetaInfo(xfer);
  if (status.bad()) throw std::runtime_error(std::string("DICOM meta header: ") + status.text());
  file.removeInvalidGroups();
  const Uint32 length = file.calcElementLength(xfer, EET_ExplicitLength);
  std::string buffer(length, '\0');
  DcmOutputBufferStream out(buffer.data(), length);
  file.transferInit();
  status = file.write(out, xfer, EET_ExplicitLength, nullptr, EGL_recalcGL, EPD_withoutPadding);
  file.transferEnd();
  if (status.bad()) throw std::runtime_error(std::string("cannot write DICOM: ") + status.text());
  offile_off_t written = 0;
  void* unused = nullptr;
  out.flushBuffer(unused, written);
  buffer.resize(static_cast<size_t>(written));
  return buffer;
}

std::unique_ptr<DcmFileFormat> ParseDicom(const std::string& bytes) {
  DcmInputBufferStream in;
  in.setBuffer(bytes.data(), static_cast<offile_off_t>(bytes.size()));
  in.setEos();
  auto file = std::make_unique<DcmFileFormat>();
  file->transferInit();
  OFCondition status = file->read(in);
  file->transferEnd();
  if (status.bad()) throw std::runtime_error(std::string("not a DICOM file: ") + status.text());
  return file;
}

std::string NewUid(const char* root) {
  char uid[100];
  dcmGenerateUniqueIdentifier(uid, root);
  return uid;
}

}  // namespace relais::report
