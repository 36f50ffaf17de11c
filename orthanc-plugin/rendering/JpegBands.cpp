#include "rendering/JpegBands.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace relais::rendering {

namespace {

constexpr unsigned char kMarker = 0xFF;
constexpr unsigned char kSof0 = 0xC0, kSof1 = 0xC1, kDri = 0xDD, kSos = 0xDA, kEoi = 0xD9;

struct BandParts {
  std::string headers;  // SOI up to the end of the SOS segment, SOF height zeroed
  size_t heightAt = 0;  // offset of the SOF height field in `headers`
  size_t sosAt = 0;     // offset of the SOS marker in `headers`
  std::string_view entropy;
};

unsigned SegmentLength(const std::string& jpeg, size_t at) {
  return (static_cast<unsigned char>(jpeg[at + 2]) << 8) | static_cast<unsigned char>(jpeg[at + 3]);
}

std::optional<BandParts> Split(const std::string& jpeg) {
  if (jpeg.size() < 4 || static_cast<unsigned char>(jpeg[0]) != kMarker ||
      static_cast<unsigned char>(jpeg[1]) != 0xD8) {
    return std::nullopt;
  }
  BandParts parts;
  bool sawFrame = false;
  size_t at = 2;
  while (at + 4 <= jpeg.size()) {
    if (static_cast<unsigned char>(jpeg[at]) != kMarker) return std::nullopt;
    const unsigned char type = static_cast<unsigned char>(jpeg[at + 1]);
    const size_t length = SegmentLength(jpeg, at);
    if (at + 2 + length > jpeg.size()) return std::nullopt;
    if (type == kDri) return std::nullopt;  // restart markers already: not ours to renumber
    if (type == kSof0 || type == kSof1) {
      sawFrame = true;
      parts.heightAt = at + 5;
    } else if (type >= 0xC2 && type <= 0xCF && type != 0xC4 && type != 0xC8 && type != 0xCC) {
      return std::nullopt;  // progressive, lossless or arithmetic: one scan per band does not hold
    }
    if (type == kSos) {
      if (!sawFrame) return std::nullopt;
      parts.sosAt = at;
      const size_t dataAt = at + 2 + length;
      // One scan, no restarts: the entropy data runs to the final EOI.
      if (jpeg.size() < dataAt + 2 || static_cast<unsigned char>(jpeg[jpeg.size() - 2]) != kMarker ||
          static_cast<unsigned char>(jpeg[jpeg.size() - 1]) != kEoi) {
        return std::nullopt;
      }
      parts.headers = jpeg.substr(0, dataAt);
      parts.headers[parts.heightAt] = 0;
      parts.headers[parts.heightAt + 1] = 0;
      parts.entropy = std::string_view(jpeg).substr(dataAt, jpeg.size() - 2 - dataAt);
      return parts;
    }
    at += 2 + length;
  }
  return std::nullopt;
}

}  // namespace

BandLayout LayOutBands(int rows, int columns, int mcuSide, int wanted) {
  const int mcuRows = (rows + mcuSide - 1) / mcuSide;
  const int mcuColumns = (columns + mcuSide - 1) / mcuSide;
  int perBand = (mcuRows + std::max(1, wanted) - 1) / std::max(1, wanted);
  perBand = std::max(1, std::min(perBand, 65535 / std::max(1, mcuColumns)));
  BandLayout layout;
  layout.bandRows = perBand * mcuSide;
  layout.bands = (mcuRows + perBand - 1) / perBand;
  layout.restartInterval = static_cast<unsigned>(perBand * mcuColumns);
  return layout;
}

std::optional<std::string> JoinJpegBands(const std::vector<std::string>& bands, int fullHeight,
                                         unsigned restartInterval) {
  if (bands.empty() || fullHeight <= 0 || fullHeight > 65535 || restartInterval == 0 || restartInterval > 65535) {
    return std::nullopt;
  }
  std::vector<BandParts> parts;
  size_t total = 0;
  for (const auto& band : bands) {
    auto split = Split(band);
    if (!split || (!parts.empty() && split->headers != parts.front().headers)) return std::nullopt;
    total += split->entropy.size() + 2;
    parts.push_back(std::move(*split));
  }
  const BandParts& first = parts.front();
  std::string out;
  out.reserve(first.headers.size() + 6 + total);
  out.append(first.headers, 0, first.sosAt);
  out[first.heightAt] = static_cast<char>(fullHeight >> 8);
  out[first.heightAt + 1] = static_cast<char>(fullHeight & 0xFF);
  const char dri[] = {static_cast<char>(kMarker), static_cast<char>(kDri), 0, 4,
                      static_cast<char>(restartInterval >> 8), static_cast<char>(restartInterval & 0xFF)};
  out.append(dri, sizeof(dri));
  out.append(first.headers, first.sosAt, std::string::npos);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out.push_back(static_cast<char>(kMarker));
      out.push_back(static_cast<char>(0xD0 + (i - 1) % 8));  // RST0..RST7, in turn
    }
    out.append(parts[i].entropy);
  }
  out.push_back(static_cast<char>(kMarker));
  out.push_back(static_cast<char>(kEoi));
  return out;
}

}  // namespace relais::rendering
