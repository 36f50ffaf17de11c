#pragma once
// Which side of the body an image shows, as the case, the viewer, the PDF, the SR and FHIR say
// it. A left forearm reported as "Forearm" is a clinical risk (the wrong side treated), so the
// side travels with the body site everywhere the site is shown.
//
// Sources, first present wins: Image Laterality (0020,0062), the series' Laterality
// (0020,0060), then the SNOMED CT modifier in the Anatomic Region Modifier Sequence. "U"
// (unpaired) and anything unknown mean: no side to show.
#include <optional>
#include <string>

namespace relais {

enum class Side { Left, Right, Both };

// From the DICOM attribute values (any may be empty).
std::optional<Side> LateralityFromDicom(const std::string& imageLaterality, const std::string& seriesLaterality,
                                        const std::string& modifierCodeValue);

// "L", "R", "B" (the stored and JSON form); empty for none.
std::string LateralityCode(std::optional<Side> side);
std::optional<Side> ParseLateralityCode(const std::string& code);

// The side in a reader's words ("gauche", "left"); language "fr" or anything else for English.
std::string LateralityWord(Side side, const std::string& language);
// The body site with its side as one label ("Forearm, gauche"): the site's own words are the
// coding scheme's (SNOMED CT meanings are English), the side the reader's.
std::string BodySiteWithSide(const std::string& bodySite, std::optional<Side> side, const std::string& language);

// SNOMED CT codes of DICOM CID 244 (Laterality): the SR's and FHIR's coded side.
struct SideCode {
  std::string value, meaning;
};
SideCode SnomedSide(Side side);

}  // namespace relais
