#include "domain/report/ObserverName.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <vector>

namespace relais::report {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool IsTitle(const std::string& word) {
  static const std::set<std::string> titles = {"dr",         "docteur",   "doctor", "pr",
                                               "prof",       "professeur", "professor"};
  std::string w = Lower(word);
  if (!w.empty() && w.back() == '.') w.pop_back();
  return titles.count(w) > 0;
}

bool IsParticle(const std::string& word) {
  static const std::set<std::string> particles = {"el", "al",  "ben", "bent", "bel", "ibn", "ait", "aït", "ould",
                                                  "bou", "abou", "abu", "de", "du", "des", "da",  "di",  "del",
                                                  "van", "von", "der", "le", "la"};
  return particles.count(Lower(word)) > 0;
}

// "BENNANI", "EL-IDRISSI": two ASCII capitals or more and no lower-case ASCII letter. Letters
// beyond ASCII (É, Ï) count for neither, so "AÏT" still reads as capitals.
bool InCapitals(const std::string& word) {
  int upper = 0;
  for (unsigned char c : word) {
    if (std::islower(c)) return false;
    if (std::isupper(c)) ++upper;
  }
  return upper >= 2;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// Drops what PN cannot hold, then keeps whole UTF-8 characters up to 64 bytes.
std::string Clean(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\\' || c == '=' || c < 0x20 || c == 0x7f) continue;
    out += static_cast<char>(c);
  }
  if (out.size() <= 64) return out;
  size_t end = 64;
  while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0) == 0x80) --end;  // not mid-character
  return out.substr(0, end);
}

std::string WithoutTrailingCarets(std::string pn) {
  while (!pn.empty() && pn.back() == '^') pn.pop_back();
  return pn;
}

}  // namespace

std::string ObserverPersonName(const std::string& displayName, const std::string& login) {
  std::vector<std::string> words;
  {
    std::istringstream in(displayName);
    for (std::string w; in >> w;) words.push_back(w);
  }
  if (words.empty()) return Clean(login);
  if (displayName.find('^') != std::string::npos) {
    std::string pn = Join(words);  // runs of spaces and the ends, as typed, go
    size_t caret = 0;
    for (int component = 0; component < 5 && caret != std::string::npos; ++component) caret = pn.find('^', caret + 1);
    if (caret != std::string::npos) pn.resize(caret);  // a PN has five components
    return Clean(WithoutTrailingCarets(pn));
  }

  std::vector<std::string> prefix;
  size_t first = 0;
  while (first + 1 < words.size() && IsTitle(words[first])) prefix.push_back(words[first++]);
  const std::vector<std::string> names(words.begin() + static_cast<long>(first), words.end());

  std::vector<std::string> family, given;
  const size_t capitals = static_cast<size_t>(std::count_if(names.begin(), names.end(), InCapitals));
  if (capitals > 0 && capitals < names.size()) {
    for (const auto& w : names) (InCapitals(w) ? family : given).push_back(w);
  } else {
    size_t start = names.size() - 1;
    while (start > 0 && IsParticle(names[start - 1])) --start;
    given.assign(names.begin(), names.begin() + static_cast<long>(start));
    family.assign(names.begin() + static_cast<long>(start), names.end());
  }
  return Clean(WithoutTrailingCarets(Join(family) + "^" + Join(given) + "^^" + Join(prefix)));
}

}  // namespace relais::report
