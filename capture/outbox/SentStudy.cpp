#include "outbox/SentStudy.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>

#include "outbox/DicomIdentity.h"

namespace relais::outbox {

namespace {

std::string Text(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFString(tag, value).bad()) return {};
  return value.c_str();
}

}  // namespace

std::optional<SentStudy> ReadSentStudy(const std::filesystem::path& outboxDirectory, const std::string& studyInstanceUid) {
  if (!IsValidUid(studyInstanceUid)) return std::nullopt;  // never a path built from an odd string
  std::error_code error;
  const auto folder = outboxDirectory / "studies" / studyInstanceUid;
  for (std::filesystem::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    DcmFileFormat file;
    if (file.loadFile(it->path().c_str(), EXS_Unknown, EGL_noChange, 1024).bad()) continue;
    DcmDataset& data = *file.getDataset();
    SentStudy study;
    study.patientName = Text(data, DCM_PatientName);
    study.patientId = Text(data, DCM_PatientID);
    study.modality = Text(data, DCM_Modality);
    DcmItem* request = nullptr;
    if (data.findAndGetSequenceItem(DCM_RequestAttributesSequence, request, 0).good() && request != nullptr) {
      study.specialty = Text(*request, DCM_RequestedProcedureDescription);
    }
    return study;
  }
  return std::nullopt;
}

}  // namespace relais::outbox
