#include "relais/capture/JpegStream.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "relais/capture/CaptureError.h"

namespace relais::capture {
namespace {

constexpr std::uint8_t kSOI = 0xD8, kEOI = 0xD9, kSOS = 0xDA, kDRI = 0xDD, kAPP0 = 0xE0, kAPP1 = 0xE1,
                       kAPP14 = 0xEE, kAPP15 = 0xEF, kCOM = 0xFE;

bool isStandalone(std::uint8_t marker) {
  return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7);
}

bool isFrameHeader(std::uint8_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

struct Segment {
  std::uint8_t marker;
  std::size_t start;   // offset of the 0xFF
  std::size_t length;  // whole segment incl. marker; for SOS, marker + header + entropy data
};

// Walks the marker structure; the callback sees each segment once.
template <typename Visit>
std::size_t walk(const Bytes& jpeg, Visit visit) {
  const std::size_t size = jpeg.size();
  if (size < 4 || jpeg[0] != 0xFF || jpeg[1] != kSOI) throw CaptureError("not a JPEG file (no start-of-image marker)");
  std::size_t pos = 2;
  while (true) {
    if (pos >= size) throw CaptureError("the JPEG is truncated (it ends before the end-of-image marker)");
    if (jpeg[pos] != 0xFF) throw CaptureError("the JPEG is corrupt (bad marker at byte " + std::to_string(pos) + ")");
    std::size_t markerPos = pos;
    while (pos < size && jpeg[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= size) throw CaptureError("the JPEG is truncated (it ends before the end-of-image marker)");
    const std::uint8_t marker = jpeg[pos++];
    if (marker == kEOI) {
      visit(Segment{marker, markerPos, pos - markerPos});
      return pos;
    }
    if (isStandalone(marker)) continue;
    if (pos + 2 > size) throw CaptureError("the JPEG is truncated (inside a segment header)");
    const std::size_t length = static_cast<std::size_t>(jpeg[pos] << 8 | jpeg[pos + 1]);
    if (length < 2 || pos + length > size) throw CaptureError("the JPEG is truncated (a segment runs past the end of the file)");
    pos += length;
    if (marker == kSOS) {
      // Entropy-coded data: 0xFF is followed by 0x00 (stuffing) or a restart marker. memchr
      // jumps from one 0xFF to the next (a few hundred bytes apart in camera data).
      while (true) {
        const void* ff = pos < size ? std::memchr(jpeg.data() + pos, 0xFF, size - pos) : nullptr;
        if (ff == nullptr) throw CaptureError("the JPEG is truncated (image data end before the end-of-image marker)");
        pos = static_cast<std::size_t>(static_cast<const std::uint8_t*>(ff) - jpeg.data());
        if (pos + 1 >= size) throw CaptureError("the JPEG is truncated (image data end before the end-of-image marker)");
        if (jpeg[pos + 1] != 0x00 && !(jpeg[pos + 1] >= 0xD0 && jpeg[pos + 1] <= 0xD7)) break;
        ++pos;
      }
    }
    visit(Segment{marker, markerPos, pos - markerPos});
  }
}

}  // namespace

JpegInfo inspectJpeg(const Bytes& jpeg) {
  JpegInfo info;
  bool haveFrame = false;
  bool haveScan = false;
  int adobeTransform = -1;
  bool jfif = false;
  int restartInterval = 0;  // the DRI in effect so far
  std::uint8_t componentIds[4] = {0, 0, 0, 0};
  info.end = walk(jpeg, [&](const Segment& s) {
    const std::uint8_t* body = jpeg.data() + s.start + 4;
    const std::size_t bodyLength = s.length >= 4 ? s.length - 4 : 0;
    if (isFrameHeader(s.marker) && !haveFrame) {
      if (bodyLength < 6) throw CaptureError("the JPEG frame header is too short");
      haveFrame = true;
      info.precision = body[0];
      info.height = body[1] << 8 | body[2];
      info.width = body[3] << 8 | body[4];
      info.components = body[5];
      if (info.components < 1 || info.components > 4 || bodyLength < 6u + 3u * info.components) {
        throw CaptureError("the JPEG frame header is corrupt");
      }
      int maxH = 1, maxV = 1, minH = 4, minV = 4;
      for (int c = 0; c < info.components; ++c) {
        componentIds[c] = body[6 + 3 * c];
        const int h = body[7 + 3 * c] >> 4, v = body[7 + 3 * c] & 0x0F;
        maxH = std::max(maxH, h); maxV = std::max(maxV, v);
        minH = std::min(minH, h); minV = std::min(minV, v);
      }
      info.subsampled = maxH != minH || maxV != minV;
      info.mcuWidth = 8 * maxH;
      info.mcuHeight = 8 * maxV;
      switch (s.marker) {
        case 0xC0: info.coding = JpegCoding::Baseline; break;
        case 0xC1: info.coding = JpegCoding::ExtendedSequential; break;
        case 0xC2: info.coding = JpegCoding::Progressive; break;
        case 0xC3: case 0xC7: case 0xCB: case 0xCF: info.coding = JpegCoding::Lossless; break;
        default: info.coding = JpegCoding::Arithmetic; break;
      }
    } else if (s.marker == kDRI) {
      if (bodyLength < 2) throw CaptureError("the JPEG restart interval segment is too short");
      restartInterval = body[0] << 8 | body[1];
    } else if (s.marker == kSOS) {
      if (!haveScan) info.restartInterval = restartInterval;
      haveScan = true;
      ++info.scans;
    } else if (s.marker == kAPP0 && bodyLength >= 5 && std::memcmp(body, "JFIF\0", 5) == 0) {
      jfif = true;
    } else if (s.marker == kAPP1 && bodyLength > 6 && std::memcmp(body, "Exif\0\0", 6) == 0) {
      info.exif = parseExif(body + 6, bodyLength - 6);
    } else if (s.marker == kAPP14 && bodyLength >= 12 && std::memcmp(body, "Adobe", 5) == 0) {
      adobeTransform = body[11];
    }
  });
  if (!haveFrame || !haveScan) throw CaptureError("the JPEG has no image (no frame header or no scan)");
  if (info.width <= 0 || info.height <= 0) throw CaptureError("the JPEG has no width or height");
  if (info.width > kMaxDimension || info.height > kMaxDimension ||
      static_cast<long long>(info.width) * info.height > kMaxPixels) {
    throw CaptureError("absurd image dimensions " + std::to_string(info.width) + "x" + std::to_string(info.height));
  }
  // Colour space as libjpeg decides it (jdapimin.c default_decompress_parms).
  if (info.components == 1) {
    info.colour = JpegColour::Gray;
  } else if (info.components == 3) {
    if (jfif) info.colour = JpegColour::YCbCr;
    else if (adobeTransform == 0) info.colour = JpegColour::Rgb;
    else if (adobeTransform > 0) info.colour = JpegColour::YCbCr;
    else if (componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B') info.colour = JpegColour::Rgb;
    else info.colour = JpegColour::YCbCr;
  } else if (info.components == 4) {
    info.colour = adobeTransform == 2 ? JpegColour::Ycck : JpegColour::Cmyk;
  } else {
    throw CaptureError("the JPEG has 2 components, which no camera writes");
  }
  return info;
}

int mcusPerRow(const JpegInfo& info) {
  const int width = info.components == 1 ? 8 : info.mcuWidth;
  return (info.width + width - 1) / width;
}

bool restartsEveryMcuRow(const JpegInfo& info) {
  return info.coding == JpegCoding::Baseline && info.scans == 1 && info.restartInterval == mcusPerRow(info);
}

std::vector<ByteRange> metadataFreeRanges(const Bytes& jpeg) {
  std::vector<ByteRange> ranges{{0, 2}};  // SOI
  walk(jpeg, [&](const Segment& s) {
    const bool application = s.marker >= kAPP0 && s.marker <= kAPP15 && s.marker != kAPP14;
    if (application || s.marker == kCOM) return;
    if (ranges.back().offset + ranges.back().length == s.start) {
      ranges.back().length += s.length;  // adjacent kept segments: one copy
    } else {
      ranges.push_back({s.start, s.length});
    }
  });
  return ranges;
}

Bytes stripMetadata(const Bytes& jpeg) {
  Bytes out;
  out.reserve(jpeg.size());
  for (const ByteRange& r : metadataFreeRanges(jpeg)) {
    out.insert(out.end(), jpeg.begin() + static_cast<long>(r.offset), jpeg.begin() + static_cast<long>(r.offset + r.length));
  }
  return out;
}

Bytes scanData(const Bytes& jpeg) {
  std::size_t firstScan = 0;
  const std::size_t end = walk(jpeg, [&](const Segment& s) {
    if (s.marker == kSOS && firstScan == 0) firstScan = s.start;
  });
  return Bytes(jpeg.begin() + static_cast<long>(firstScan), jpeg.begin() + static_cast<long>(end));
}

}  // namespace relais::capture
