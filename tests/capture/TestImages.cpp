#include "TestImages.h"

#include <turbojpeg.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <jpeglib.h>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace relais::capture::test {

const cv::Vec3b kQuadrantColours[4] = {{40, 40, 190}, {40, 180, 40}, {190, 60, 40}, {40, 190, 190}};

cv::Mat uprightPattern(int width, int height) {
  cv::Mat image(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const int quadrant = (y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1);
      const int texture = ((x / 4 + y / 4) % 2) ? 25 : -25;
      cv::Vec3b colour = kQuadrantColours[quadrant];
      for (int c = 0; c < 3; ++c) colour[c] = cv::saturate_cast<uchar>(colour[c] + texture);
      image.at<cv::Vec3b>(y, x) = colour;
    }
  }
  return image;
}

cv::Mat storedForOrientation(const cv::Mat& upright, int orientation) {
  // Inverse of the EXIF transform: 6 and 8 are each other's inverse, the rest self-inverse.
  cv::Mat out;
  switch (orientation) {
    case 2: cv::flip(upright, out, 1); break;
    case 3: cv::flip(upright, out, -1); break;
    case 4: cv::flip(upright, out, 0); break;
    case 5: cv::transpose(upright, out); break;
    case 6: cv::rotate(upright, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    case 7: cv::transpose(upright, out); cv::flip(out, out, -1); break;
    case 8: cv::rotate(upright, out, cv::ROTATE_90_CLOCKWISE); break;
    default: out = upright.clone(); break;
  }
  return out;
}

Bytes encodeJpeg(const cv::Mat& bgr, int quality) {
  tjhandle handle = tjInitCompress();
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  cv::Mat input = bgr.isContinuous() ? bgr : bgr.clone();
  const int rc = tjCompress2(handle, input.data, input.cols, 0, input.rows, TJPF_BGR, &buffer, &size, TJSAMP_420,
                             quality, 0);
  if (rc != 0) throw std::runtime_error(tjGetErrorStr2(handle));
  Bytes out(buffer, buffer + size);
  tjFree(buffer);
  tjDestroy(handle);
  return out;
}

Bytes encodeRgbJpeg(const cv::Mat& bgr, int quality) {
  // TurboJPEG cannot write an RGB-coded JPEG; libjpeg can (it adds Adobe APP14, transform 0).
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr error{};
  cinfo.err = jpeg_std_error(&error);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = static_cast<JDIMENSION>(rgb.cols);
  cinfo.image_height = static_cast<JDIMENSION>(rgb.rows);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_colorspace(&cinfo, JCS_RGB);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = rgb.ptr<unsigned char>(static_cast<int>(cinfo.next_scanline));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  Bytes out(buffer, buffer + size);
  std::free(buffer);
  return out;
}

namespace {

void le16(Bytes& b, unsigned v) { b.push_back(v & 0xFF); b.push_back((v >> 8) & 0xFF); }
void le32(Bytes& b, unsigned v) { for (int i = 0; i < 4; ++i) b.push_back((v >> (8 * i)) & 0xFF); }

struct Entry { unsigned tag, type, count; Bytes data; };  // data > 4 bytes goes out of line

// Serialises an IFD at `base` (offset from the TIFF header); returns its bytes incl. data area.
Bytes ifd(std::vector<Entry> entries, unsigned base) {
  Bytes out;
  const unsigned dataStart = base + 2 + 12 * static_cast<unsigned>(entries.size()) + 4;
  Bytes data;
  le16(out, static_cast<unsigned>(entries.size()));
  for (auto& e : entries) {
    le16(out, e.tag); le16(out, e.type); le32(out, e.count);
    if (e.data.size() <= 4) {
      Bytes inline4 = e.data;
      inline4.resize(4, 0);
      out.insert(out.end(), inline4.begin(), inline4.end());
    } else {
      le32(out, dataStart + static_cast<unsigned>(data.size()));
      data.insert(data.end(), e.data.begin(), e.data.end());
      if (data.size() % 2) data.push_back(0);
    }
  }
  le32(out, 0);  // no next IFD
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

Bytes ascii(const std::string& s) { Bytes b(s.begin(), s.end()); b.push_back(0); return b; }
Bytes shortValue(unsigned v) { Bytes b; le16(b, v); return b; }
Bytes longValue(unsigned v) { Bytes b; le32(b, v); return b; }

}  // namespace

Bytes gpsLatitudeBlob() {
  Bytes b;  // 12/1, 39/1, 4242/100 degrees, minutes, seconds, with odd denominators to be unique
  le32(b, 12); le32(b, 1); le32(b, 39); le32(b, 1); le32(b, 424242); le32(b, 10007);
  return b;
}

Bytes exifSegment(const ExifSpec& spec) {
  // Layout: TIFF header (8) | IFD0 | Exif IFD | GPS IFD; offsets computed in two passes.
  auto build = [&](unsigned exifOffset, unsigned gpsOffset) {
    std::vector<Entry> entries{{0x010F, 2, static_cast<unsigned>(spec.make.size() + 1), ascii(spec.make)},
                               {0x0110, 2, static_cast<unsigned>(spec.model.size() + 1), ascii(spec.model)},
                               {0x0112, 3, 1, shortValue(static_cast<unsigned>(spec.orientation))},
                               {0x8769, 4, 1, longValue(exifOffset)}};
    if (spec.gps) entries.push_back({0x8825, 4, 1, longValue(gpsOffset)});
    return ifd(entries, 8);
  };
  Bytes ifd0 = build(0, 0);
  const unsigned exifOffset = 8 + static_cast<unsigned>(ifd0.size());
  Bytes exif = ifd({{0x9003, 2, 20, ascii(spec.dateTimeOriginal)}}, exifOffset);
  const unsigned gpsOffset = exifOffset + static_cast<unsigned>(exif.size());
  Bytes gps = ifd({{0x0000, 1, 4, Bytes{2, 3, 0, 0}},
                   {0x0001, 2, 2, ascii("N")},
                   {0x0002, 5, 3, gpsLatitudeBlob()},
                   {0x0003, 2, 2, ascii("W")}},
                  gpsOffset);
  ifd0 = build(exifOffset, gpsOffset);
  Bytes tiff{'I', 'I', 42, 0, 8, 0, 0, 0};
  tiff.insert(tiff.end(), ifd0.begin(), ifd0.end());
  tiff.insert(tiff.end(), exif.begin(), exif.end());
  if (spec.gps) tiff.insert(tiff.end(), gps.begin(), gps.end());
  Bytes segment{0xFF, 0xE1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
  segment.insert(segment.end(), tiff.begin(), tiff.end());
  const std::size_t length = segment.size() - 2;
  segment[2] = static_cast<std::uint8_t>(length >> 8);
  segment[3] = static_cast<std::uint8_t>(length & 0xFF);
  return segment;
}

Bytes withSegmentAfterSoi(const Bytes& jpeg, const Bytes& segment) {
  Bytes out(jpeg.begin(), jpeg.begin() + 2);
  out.insert(out.end(), segment.begin(), segment.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

bool looksUpright(const cv::Mat& decoded, const cv::Mat& upright, std::string* why) {
  if (decoded.size() != upright.size()) {
    if (why) *why = "size " + std::to_string(decoded.cols) + "x" + std::to_string(decoded.rows) + " instead of " +
                    std::to_string(upright.cols) + "x" + std::to_string(upright.rows);
    return false;
  }
  const int w = decoded.cols, h = decoded.rows;
  for (int q = 0; q < 4; ++q) {
    const int cx = (q % 2 ? 3 * w / 4 : w / 4), cy = (q < 2 ? h / 4 : 3 * h / 4);
    const cv::Rect centre(cx - w / 16, cy - h / 16, w / 8, h / 8);
    const cv::Scalar got = cv::mean(decoded(centre)), want = cv::mean(upright(centre));
    for (int c = 0; c < 3; ++c) {
      if (std::abs(got[c] - want[c]) > 20) {
        if (why) *why = "quadrant " + std::to_string(q) + " channel " + std::to_string(c) + ": " +
                        std::to_string(got[c]) + " instead of " + std::to_string(want[c]);
        return false;
      }
    }
  }
  return true;
}

void writeFile(const std::string& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace relais::capture::test
