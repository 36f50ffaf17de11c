#pragma once
// Text from outside (a camera's EXIF, the command line, a request file) becomes a DICOM value
// here and only here. Every object we write declares Specific Character Set ISO_IR 192
// (UTF-8), so a value must be valid UTF-8 without the control characters its VR forbids,
// within the VR's length, one value where one is expected:
//  - bytes that are not UTF-8 (an older camera's Latin-1 "Café") are read as ISO 8859-1;
//  - control characters (C0, DEL, C1) become a space; LT, ST and UT keep TAB, LF, FF and CR;
//  - a backslash, the value separator, becomes "/" except in LT, ST and UT;
//  - the value is cut at the VR's maximum (in bytes, on a character boundary; PN per
//    component group) and trailing spaces are dropped.
#include <cstddef>
#include <string>

class DcmItem;
class DcmTagKey;

namespace relais::capture {

// The DICOM form of `raw` for an element of VR `vr` ("LO", "PN", "LT"...). Pure.
std::string dicomText(const std::string& raw, const std::string& vr);

// The same, but a value longer than the VR allows is cut 3 bytes shorter and ends in "...",
// so a reader sees that there was more; `wasCut` tells whether it was (not for PN).
std::string dicomTextMarkingCut(const std::string& raw, const std::string& vr, bool* wasCut = nullptr);

// The longest value of `vr` (bytes); 0 when the VR has no limit this code enforces.
std::size_t maxValueLength(const std::string& vr);

// Inserts dicomText(raw, <VR of tag in the data dictionary>); throws CaptureError on failure.
void putText(DcmItem& item, const DcmTagKey& tag, const std::string& raw);

}  // namespace relais::capture
