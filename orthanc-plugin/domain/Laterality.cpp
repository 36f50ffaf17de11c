#include "domain/Laterality.h"

namespace relais {

namespace {

std::string Trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n\\");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n\\");
  return s.substr(first, last - first + 1);
}

std::optional<Side> FromLetter(const std::string& value) {
  const std::string v = Trim(value);
  if (v == "L") return Side::Left;
  if (v == "R") return Side::Right;
  if (v == "B") return Side::Both;
  return std::nullopt;
}

}  // namespace

std::optional<Side> LateralityFromDicom(const std::string& imageLaterality, const std::string& seriesLaterality,
                                        const std::string& modifierCodeValue) {
  // An explicit "U" in Image Laterality is the sender saying "unpaired": it wins over a series
  // value that could only be a leftover.
  if (!Trim(imageLaterality).empty()) return FromLetter(imageLaterality);
  if (auto side = FromLetter(seriesLaterality)) return side;
  const std::string code = Trim(modifierCodeValue);
  if (code == "7771000") return Side::Left;
  if (code == "24028007") return Side::Right;
  if (code == "51440002") return Side::Both;
  return std::nullopt;
}

std::string LateralityCode(std::optional<Side> side) {
  if (!side) return "";
  switch (*side) {
    case Side::Left: return "L";
    case Side::Right: return "R";
    case Side::Both: return "B";
  }
  return "";
}

std::optional<Side> ParseLateralityCode(const std::string& code) { return FromLetter(code); }

std::string LateralityWord(Side side, const std::string& language) {
  const bool french = language == "fr";
  switch (side) {
    case Side::Left: return french ? "gauche" : "left";
    case Side::Right: return french ? "droit(e)" : "right";
    case Side::Both: return french ? "bilatéral" : "both sides";
  }
  return "";
}

std::string BodySiteWithSide(const std::string& bodySite, std::optional<Side> side, const std::string& language) {
  if (!side) return bodySite;
  const std::string word = LateralityWord(*side, language);
  if (bodySite.empty()) return word;
  return bodySite + ", " + word;
}

SideCode SnomedSide(Side side) {
  switch (side) {
    case Side::Left: return {"7771000", "Left"};
    case Side::Right: return {"24028007", "Right"};
    case Side::Both: return {"51440002", "Right and left"};
  }
  return {};
}

}  // namespace relais
