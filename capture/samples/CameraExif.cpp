#include "CameraExif.h"

#include <algorithm>

namespace relais::capture::samples {

namespace {

using Bytes = std::vector<unsigned char>;

void Le16(Bytes& b, unsigned v) {
  b.push_back(v & 0xFF);
  b.push_back((v >> 8) & 0xFF);
}

void Le32(Bytes& b, unsigned v) {
  for (int i = 0; i < 4; ++i) b.push_back((v >> (8 * i)) & 0xFF);
}

}  // namespace

Bytes CameraExifSegment(const CameraExif& exif) {
  // Little-endian TIFF: IFD0 (Make, Model, Orientation, [DateTime], GPS IFD pointer), its
  // ASCII values, then the GPS IFD with one entry (GPSLatitude) and its three rationals.
  const bool dated = !exif.dateTime.empty();
  Bytes tiff{'I', 'I', 42, 0, 8, 0, 0, 0};
  const unsigned entries = dated ? 5 : 4, ifd0Size = 2 + entries * 12 + 4;
  const unsigned makeAt = 8 + ifd0Size, modelAt = makeAt + 8, dateAt = modelAt + 8;
  const unsigned gpsAt = dated ? dateAt + 20 : dateAt;
  Le16(tiff, entries);
  Le16(tiff, 0x010F); Le16(tiff, 2); Le32(tiff, 8); Le32(tiff, makeAt);
  Le16(tiff, 0x0110); Le16(tiff, 2); Le32(tiff, 8); Le32(tiff, modelAt);
  Le16(tiff, 0x0112); Le16(tiff, 3); Le32(tiff, 1); Le16(tiff, static_cast<unsigned>(exif.orientation)); Le16(tiff, 0);
  if (dated) {
    Le16(tiff, 0x0132); Le16(tiff, 2); Le32(tiff, 20); Le32(tiff, dateAt);
  }
  Le16(tiff, 0x8825); Le16(tiff, 4); Le32(tiff, 1); Le32(tiff, gpsAt);
  Le32(tiff, 0);
  std::vector<std::string> texts = {exif.make, exif.model};
  if (dated) texts.push_back(exif.dateTime);
  for (size_t i = 0; i < texts.size(); ++i) {
    std::string text = texts[i];
    text.resize(i < 2 ? 8 : 20, '\0');
    tiff.insert(tiff.end(), text.begin(), text.end());
  }
  const unsigned latitudeAt = gpsAt + 2 + 12 + 4;
  Le16(tiff, 1);
  Le16(tiff, 0x0002); Le16(tiff, 5); Le32(tiff, 3); Le32(tiff, latitudeAt);
  Le32(tiff, 0);
  for (unsigned v : exif.latitude) Le32(tiff, v);
  const unsigned char header[10] = {0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
  Bytes segment(sizeof header + tiff.size());
  std::copy(header, header + sizeof header, segment.begin());
  std::copy(tiff.begin(), tiff.end(), segment.begin() + sizeof header);
  segment[2] = static_cast<unsigned char>((segment.size() - 2) >> 8);
  segment[3] = static_cast<unsigned char>((segment.size() - 2) & 0xFF);
  return segment;
}

}  // namespace relais::capture::samples
