#include "outbox/DicomIdentity.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include "outbox/OutboxError.h"

namespace relais::outbox {

const char* PriorityName(Priority priority) { return priority == Priority::Urgent ? "urgent" : "routine"; }

bool IsValidUid(const std::string& uid) {
  if (uid.empty() || uid.size() > 64 || uid.front() == '.' || uid.back() == '.') return false;
  for (char c : uid) {
    if ((c < '0' || c > '9') && c != '.') return false;
  }
  return true;
}

namespace {

std::string Text(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFString(tag, value).bad()) return {};
  return value.c_str();
}

bool IsUrgentWord(std::string value) {
  // Requested Procedure Priority (0040,1003): STAT, HIGH, ROUTINE, MEDIUM, LOW.
  while (!value.empty() && value.back() == ' ') value.pop_back();
  return value == "STAT" || value == "HIGH";
}

}  // namespace

DicomIdentity ReadDicomIdentity(const std::filesystem::path& file) {
  DcmFileFormat format;
  // Values longer than 4 KiB (pixel data) are left on disk: only the header matters here.
  OFCondition status = format.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096);
  if (status.bad()) {
    throw OutboxError(file.string() + " is not a readable DICOM file (" + status.text() + ")");
  }
  DcmDataset& data = *format.getDataset();
  DicomIdentity identity;
  identity.sopInstanceUid = Text(data, DCM_SOPInstanceUID);
  identity.sopClassUid = Text(data, DCM_SOPClassUID);
  identity.studyInstanceUid = Text(data, DCM_StudyInstanceUID);
  identity.transferSyntaxUid = Text(*format.getMetaInfo(), DCM_TransferSyntaxUID);
  if (identity.transferSyntaxUid.empty()) {
    identity.transferSyntaxUid = DcmXfer(data.getOriginalXfer()).getXferID();
  }
  const std::pair<const char*, const std::string*> required[] = {
      {"SOP Instance UID (0008,0018)", &identity.sopInstanceUid},
      {"SOP Class UID (0008,0016)", &identity.sopClassUid},
      {"Study Instance UID (0020,000D)", &identity.studyInstanceUid}};
  for (const auto& [name, value] : required) {
    if (value->empty()) throw OutboxError(file.string() + " has no " + name);
    if (!IsValidUid(*value)) throw OutboxError(file.string() + " has an invalid " + name + ": \"" + *value + "\"");
  }

  bool urgent = IsUrgentWord(Text(data, DCM_RequestedProcedurePriority));
  DcmItem* request = nullptr;
  for (unsigned long i = 0; !urgent && data.findAndGetSequenceItem(DCM_RequestAttributesSequence, request, static_cast<int>(i)).good(); ++i) {
    urgent = IsUrgentWord(Text(*request, DCM_RequestedProcedurePriority));
  }
  identity.priority = urgent ? Priority::Urgent : Priority::Routine;
  return identity;
}

}  // namespace relais::outbox
