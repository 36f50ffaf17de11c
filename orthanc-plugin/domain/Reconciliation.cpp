#include "domain/Reconciliation.h"

#include <ctime>

namespace relais {

std::optional<int64_t> ParseOrthancTime(const std::string& text) {
  // YYYYMMDDTHHMMSS, possibly followed by fractions of a second.
  if (text.size() < 15 || text[8] != 'T') return std::nullopt;
  for (size_t i = 0; i < 15; ++i) {
    if (i != 8 && (text[i] < '0' || text[i] > '9')) return std::nullopt;
  }
  auto number = [&](size_t at, size_t length) { return std::stoi(text.substr(at, length)); };
  std::tm t{};
  t.tm_year = number(0, 4) - 1900;
  t.tm_mon = number(4, 2) - 1;
  t.tm_mday = number(6, 2);
  t.tm_hour = number(9, 2);
  t.tm_min = number(11, 2);
  t.tm_sec = number(13, 2);
  if (t.tm_mon > 11 || t.tm_mday < 1 || t.tm_mday > 31 || t.tm_hour > 23 || t.tm_min > 59 || t.tm_sec > 60) {
    return std::nullopt;
  }
  return static_cast<int64_t>(timegm(&t));
}

std::vector<std::string> Reconciliation::withoutCase(const std::vector<std::string>& held,
                                                     const std::set<std::string>& withCase) {
  std::vector<std::string> out;
  std::map<std::string, int64_t> stillRouted;
  for (const auto& id : held) {
    if (withCase.count(id)) continue;
    out.push_back(id);
    if (auto r = routedAt_.find(id); r != routedAt_.end()) stillRouted.insert(*r);
  }
  routedAt_ = std::move(stillRouted);
  return out;
}

Reconciliation::Verdict Reconciliation::judge(const std::string& orthancId, int64_t lastUpdate, int64_t now) {
  // LastUpdate is truncated to the second: one more second makes sure of StableAge of quiet.
  const int64_t quietAt = lastUpdate + stableAge_ + 1;
  if (now < quietAt) {
    if (lastUpdate <= startedAt_ && (!soonestQuiet_ || quietAt < *soonestQuiet_)) soonestQuiet_ = quietAt;
    return Verdict::Wait;
  }
  if (auto r = routedAt_.find(orthancId); r != routedAt_.end() && r->second == lastUpdate) return Verdict::Skip;
  return Verdict::Route;
}

int64_t Reconciliation::nextPassAt(int64_t now) {
  int64_t next = now + period_;
  if (soonestQuiet_ && *soonestQuiet_ < next) next = *soonestQuiet_;
  soonestQuiet_.reset();
  return next;
}

}  // namespace relais
