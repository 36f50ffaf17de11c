#include "domain/ByteRange.h"

#include <algorithm>
#include <cctype>

namespace relais {

namespace {

std::optional<int64_t> Digits(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t value = 0;
  for (char ch : text) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) return std::nullopt;
    value = value * 10 + (ch - '0');
  }
  return value;
}

std::string Trimmed(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

std::optional<std::string> Header(const HttpRequest& r, const std::string& name) {
  auto it = r.headers.find(name);
  if (it == r.headers.end()) return std::nullopt;
  return it->second;
}

}  // namespace

ByteRange DecideByteRange(const std::optional<std::string>& range, const std::optional<std::string>& ifRange,
                          const std::string& etag, int64_t total) {
  ByteRange whole{200, 0, total > 0 ? total - 1 : 0};
  if (!range) return whole;
  // A changed body (another report version) is sent whole: the bytes the client holds are stale.
  if (ifRange && Trimmed(*ifRange) != etag) return whole;
  const std::string spec = Trimmed(*range);
  const std::string unit = "bytes=";
  if (spec.compare(0, unit.size(), unit) != 0) return whole;
  const std::string set = Trimmed(spec.substr(unit.size()));
  if (set.find(',') != std::string::npos) return whole;  // several ranges: not worth multipart
  const auto dash = set.find('-');
  if (dash == std::string::npos) return whole;
  const std::string from = Trimmed(set.substr(0, dash)), to = Trimmed(set.substr(dash + 1));
  if (from.empty()) {  // bytes=-S: the last S bytes
    const auto suffix = Digits(to);
    if (!suffix) return whole;
    if (*suffix == 0) return {416, 0, 0};
    return {206, *suffix >= total ? 0 : total - *suffix, total - 1};
  }
  const auto first = Digits(from);
  if (!first) return whole;
  if (*first >= total) return {416, 0, 0};
  std::optional<int64_t> last = to.empty() ? std::optional<int64_t>(total - 1) : Digits(to);
  if (!last || *last < *first) return whole;
  return {206, *first, std::min(*last, total - 1)};
}

HttpResponse RangedBody(const HttpRequest& request, std::string body, const std::string& contentType,
                        const std::string& etag) {
  const int64_t total = static_cast<int64_t>(body.size());
  const ByteRange range = DecideByteRange(Header(request, "range"), Header(request, "if-range"), etag, total);
  HttpResponse answer;
  answer.contentType = contentType;
  answer.compressible = false;
  answer.headers["ETag"] = etag;
  answer.headers["Accept-Ranges"] = "bytes";
  answer.status = range.status;
  if (range.status == 416) {
    answer.headers["Content-Range"] = "bytes */" + std::to_string(total);
    return answer;
  }
  if (range.status == 206) {
    answer.headers["Content-Range"] =
        "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" + std::to_string(total);
    answer.body = body.substr(static_cast<size_t>(range.first), static_cast<size_t>(range.last - range.first + 1));
    return answer;
  }
  answer.body = std::move(body);
  return answer;
}

}  // namespace relais
