#include "relais/capture/UidGenerator.h"

#include <array>
#include <cstdint>

#include "relais/capture/CaptureError.h"

namespace relais::capture {
namespace {

// Decimal representation of a 128-bit number held as four 32-bit words, most significant first.
std::string toDecimal(std::array<std::uint32_t, 4> words) {
  std::string digits;
  auto isZero = [&] { return words[0] == 0 && words[1] == 0 && words[2] == 0 && words[3] == 0; };
  while (!isZero()) {
    std::uint64_t remainder = 0;
    for (auto& word : words) {
      const std::uint64_t value = (remainder << 32) | word;
      word = static_cast<std::uint32_t>(value / 10);
      remainder = value % 10;
    }
    digits.insert(digits.begin(), static_cast<char>('0' + remainder));
  }
  return digits.empty() ? "0" : digits;
}

}  // namespace

UidGenerator::UidGenerator(std::string root) : root_(std::move(root)) {
  if (root_.empty()) return;
  if (!isValidUid(root_) || root_.size() > 64 - 21) {
    throw CaptureError("UID root \"" + root_ + "\" is not a valid UID prefix of at most 43 characters");
  }
}

std::string UidGenerator::next() {
  std::array<std::uint32_t, 4> words{device_(), device_(), device_(), device_()};
  if (root_.empty()) {
    // RFC 4122 version 4, variant 10: the UUID is then a standard random UUID.
    words[1] = (words[1] & 0xFFFF0FFFu) | 0x00004000u;
    words[2] = (words[2] & 0x3FFFFFFFu) | 0x80000000u;
    return "2.25." + toDecimal(words);
  }
  std::string digits = toDecimal(words);
  const std::size_t room = 64 - root_.size() - 1;
  if (digits.size() > room) digits = digits.substr(digits.size() - room);
  while (digits.size() > 1 && digits[0] == '0') digits.erase(digits.begin());
  return root_ + "." + digits;
}

bool isValidUid(const std::string& uid) {
  if (uid.empty() || uid.size() > 64) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = uid.find('.', start);
    const std::string component = uid.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (component.empty()) return false;
    for (char c : component) {
      if (c < '0' || c > '9') return false;
    }
    if (component.size() > 1 && component[0] == '0') return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

}  // namespace relais::capture
