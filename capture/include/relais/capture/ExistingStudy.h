#pragma once
// Adding images to a study the unit already sent (an information request answered with more
// pictures): the new objects must belong to the same patient and carry the same request as
// the study's first ones, or the hub files them under an empty name, routes them to triage,
// or, worse, attaches one patient's images to another's case. What the study's files say is
// read here from one of them (the outbox keeps a copy of every file it sent), and merged
// with what the nurse typed: the study's patient, request and unit win, and a flag that
// contradicts them (another patient ID, another specialty...) is refused naming both values.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include "relais/capture/BodySites.h"
#include "relais/capture/CaptureContext.h"

namespace relais::capture {

struct ExistingStudy {
  bool found = false;  // a file of the study was read
  CaptureContext context;  // patient, request, unit, institution, operator of that file
  std::optional<BodySite> bodySite;
  std::optional<std::pair<std::string, std::string>> dateAndTime;  // Study Date, Study Time
  int highestSeriesNumber = 0;  // of all its files: new series are numbered after it
};

// Reads every "*.dcm" of `folder` whose Study Instance UID is `uid` (headers only).
ExistingStudy readExistingStudy(const std::filesystem::path& folder, const std::string& uid);

// The context of the added images: `study`'s patient, request (specialty, question, history,
// priority), unit and institution; the given operator and body site. Throws CaptureError when
// `given` names a different value for any of the study's (an empty given value is no claim;
// a given priority is not one either, as "routine" is also what an unset flag reads as).
CaptureContext joinStudy(const CaptureContext& given, const ExistingStudy& study, const std::string& uid);

}  // namespace relais::capture
