// relais-capture-samples: writes device-like inputs so the whole chain can be tried without a
// camera, an ultrasound machine or an X-ray detector:
//   derm-lesion.jpg     phone photo 2016x1512, EXIF orientation 6, camera make/model, GPS
//   dermoscopy.jpg      dermatoscope picture 1024x768
//   us-still.png        ultrasound screen grab with burned-in text
//   us-clip.avi         3 s ultrasound clip (MJPEG, 15 fps)
//   chest.png           16-bit detector image (12 bits used)
//   film.jpg            phone photo of an X-ray film
//   request-*.json      patient/request/unit files for relais-capture --request
// usage: relais-capture-samples DIR
#include <turbojpeg.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "CameraExif.h"

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;

namespace {

Bytes encodeJpeg(const cv::Mat& bgr) {
  tjhandle handle = tjInitCompress();
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  cv::Mat input = bgr.isContinuous() ? bgr : bgr.clone();
  tjCompress2(handle, input.data, input.cols, 0, input.rows, TJPF_BGR, &buffer, &size, TJSAMP_420, 92, 0);
  Bytes out(buffer, buffer + size);
  tjFree(buffer);
  tjDestroy(handle);
  return out;
}

void write(const fs::path& path, const Bytes& bytes) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<long>(bytes.size()));
}

cv::Mat skin(int width, int height, int seed, bool dermoscopy) {
  cv::RNG rng(static_cast<std::uint64_t>(seed));
  cv::Mat image(height, width, CV_8UC3, cv::Scalar(120, 150, 200));
  cv::Mat noise(height, width, CV_8UC3);
  rng.fill(noise, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(40));
  image += noise;
  for (int i = 0; i < 400; ++i) {  // pores and hair: the texture a focused photo shows
    cv::line(image, cv::Point(rng.uniform(0, width), rng.uniform(0, height)),
             cv::Point(rng.uniform(0, width), rng.uniform(0, height)), cv::Scalar(60, 70, 90), 1, cv::LINE_AA);
  }
  const cv::Point centre(width / 2, height / 2);
  cv::ellipse(image, centre, cv::Size(width / 7, height / 8), 20, 0, 360, cv::Scalar(40, 50, 80), cv::FILLED, cv::LINE_AA);
  cv::ellipse(image, centre + cv::Point(width / 30, 0), cv::Size(width / 14, height / 14), 0, 0, 360,
              cv::Scalar(25, 30, 50), cv::FILLED, cv::LINE_AA);
  if (dermoscopy) cv::circle(image, centre, std::min(width, height) / 2, cv::Scalar(0, 0, 0), width / 6);
  // "UP" marker so a viewer shows whether the photo is upright.
  cv::putText(image, "UP", cv::Point(width / 2 - 60, height / 8), cv::FONT_HERSHEY_SIMPLEX, 3, cv::Scalar(255, 255, 255), 6);
  return image;
}

cv::Mat ultrasound(int frame) {
  cv::Mat image(600, 800, CV_8UC3, cv::Scalar(0, 0, 0));
  cv::RNG rng(static_cast<std::uint64_t>(frame) + 11);
  std::vector<cv::Point> sector{{400, 60}, {120, 520}, {680, 520}};
  cv::Mat speckle(600, 800, CV_8UC1);
  rng.fill(speckle, cv::RNG::UNIFORM, 10, 110);
  cv::Mat mask(600, 800, CV_8UC1, cv::Scalar(0));
  cv::fillConvexPoly(mask, sector, cv::Scalar(255));
  cv::Mat speckleBgr;
  cv::cvtColor(speckle, speckleBgr, cv::COLOR_GRAY2BGR);
  speckleBgr.copyTo(image, mask);
  cv::ellipse(image, cv::Point(400, 330 + static_cast<int>(15 * std::sin(frame / 3.0))), cv::Size(90, 60), 0, 0, 360,
              cv::Scalar(15, 15, 15), cv::FILLED);
  cv::putText(image, "SAMPLE^Patient  ID DEMO-001", cv::Point(10, 30), cv::FONT_HERSHEY_SIMPLEX, 0.7,
              cv::Scalar(255, 255, 255), 2);
  return image;
}

cv::Mat chest(int size) {
  cv::Mat image(size, size, CV_16UC1, cv::Scalar(0));
  cv::rectangle(image, cv::Rect(size / 16, size / 16, size * 7 / 8, size * 7 / 8), cv::Scalar(2600), cv::FILLED);
  cv::ellipse(image, cv::Point(size * 3 / 10, size / 2), cv::Size(size / 6, size / 3), 0, 0, 360, cv::Scalar(900), cv::FILLED);
  cv::ellipse(image, cv::Point(size * 7 / 10, size / 2), cv::Size(size / 6, size / 3), 0, 0, 360, cv::Scalar(950), cv::FILLED);
  for (int rib = 0; rib < 10; ++rib) {
    cv::line(image, cv::Point(size / 8, size / 6 + rib * size / 14), cv::Point(size * 7 / 8, size / 5 + rib * size / 14),
             cv::Scalar(3400), size / 150);
  }
  cv::Mat noise(size, size, CV_16UC1);
  cv::randu(noise, 0, 60);
  image += noise;
  return image;
}

void request(const fs::path& path, const std::string& specialty, const std::string& question, const std::string& site,
             const std::string& priority) {
  nlohmann::json document{
      {"patient", {{"id", "DEMO-001"}, {"issuer", "CS-KAYES"}, {"name", "SAMPLE^Aminata"}, {"birthDate", "19900312"},
                   {"sex", "F"}}},
      {"request", {{"specialty", specialty}, {"question", question}, {"history", "Sample data made by relais-capture-samples"},
                   {"priority", priority}, {"bodySite", site}}},
      {"unit", "VAN-07"},
      {"institution", "Mobile unit 7"},
      {"operator", "NURSE^Demo"}};
  std::ofstream(path) << document.dump(2) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: relais-capture-samples DIR\n";
    return 2;
  }
  const fs::path dir = argv[1];
  fs::create_directories(dir);
  // Phone held in portrait: the sensor stores the picture turned; EXIF 6 says "rotate 90 clockwise".
  cv::Mat lesion = skin(1512, 2016, 1, false), stored;
  cv::rotate(lesion, stored, cv::ROTATE_90_COUNTERCLOCKWISE);
  Bytes jpeg = encodeJpeg(stored);
  relais::capture::samples::CameraExif camera;
  camera.orientation = 6;
  camera.dateTime = "2026:11:20 10:15:00";
  const Bytes exif = relais::capture::samples::CameraExifSegment(camera);
  jpeg.insert(jpeg.begin() + 2, exif.begin(), exif.end());
  write(dir / "derm-lesion.jpg", jpeg);
  write(dir / "dermoscopy.jpg", encodeJpeg(skin(1024, 768, 2, true)));
  cv::imwrite((dir / "us-still.png").string(), ultrasound(0));
  cv::VideoWriter clip((dir / "us-clip.avi").string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15, cv::Size(800, 600));
  for (int frame = 0; frame < 45; ++frame) clip.write(ultrasound(frame));
  clip.release();
  cv::imwrite((dir / "chest.png").string(), chest(2048));
  cv::Mat film8;
  chest(1600).convertTo(film8, CV_8U, 255.0 / 4095.0);
  cv::Mat film;
  cv::cvtColor(film8, film, cv::COLOR_GRAY2BGR);
  write(dir / "film.jpg", encodeJpeg(film(cv::Rect(0, 200, 1600, 1200))));
  request(dir / "request-derm.json", "dermatology", "Pigmented lesion, changed in 3 months: melanoma?", "left-forearm",
          "urgent");
  request(dir / "request-us.json", "obstetrics-gynaecology", "28 weeks, reduced fetal movements", "uterus", "urgent");
  request(dir / "request-xray.json", "radiology", "Cough for 3 weeks, fever: tuberculosis?", "chest", "routine");
  std::cout << "samples written to " << dir.string() << "\n";
  return 0;
}
