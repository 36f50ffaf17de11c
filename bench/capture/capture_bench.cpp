// Capture benchmark: the same 12-megapixel camera JPEGs (4032x3024, EXIF with orientation and
// GPS, half of them rotated) converted by DCMTK's img2dcm (one process per photo, the only way
// it works) and by `relais-capture photo` (one process for the whole batch, as a nurse's
// session would run it; also one process per photo for comparison). Relais does more work per
// photo: it checks quality on a reduced decode, applies the orientation losslessly and strips
// EXIF/GPS; img2dcm only wraps the bytes.
//
// usage: relais_capture_bench [photos=24] [workdir] [rounds=3]   (RELAIS_BENCH_KEEP=1 keeps the files;
// RELAIS_BENCH_CAPTURE=/path/to/relais-capture measures another build, e.g. a saved "before" one)
#include <turbojpeg.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "CameraExif.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Bytes = std::vector<unsigned char>;

namespace {

// A camera-like picture: smooth shading, skin-like colour, fine texture and sensor noise, so
// the JPEG is about the size a phone writes (2-4 MB at quality 92).
cv::Mat cameraPicture(int seed) {
  const int width = 4032, height = 3024;
  cv::Mat small(height / 8, width / 8, CV_8UC3);
  cv::RNG rng(static_cast<std::uint64_t>(seed) * 7919 + 1);
  rng.fill(small, cv::RNG::UNIFORM, cv::Scalar(90, 110, 150), cv::Scalar(150, 170, 220));
  cv::Mat image;
  cv::resize(small, image, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
  cv::Mat noise(height, width, CV_8UC3);
  rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(6));
  cv::Mat signedNoise;
  noise.convertTo(signedNoise, CV_16SC3);
  cv::Mat shaded;
  image.convertTo(shaded, CV_16SC3);
  shaded += signedNoise - cv::Scalar::all(0);
  shaded.convertTo(image, CV_8UC3);
  for (int i = 0; i < 60; ++i) {
    cv::circle(image, cv::Point(rng.uniform(0, width), rng.uniform(0, height)), rng.uniform(10, 120),
               cv::Scalar(rng.uniform(30, 90), rng.uniform(40, 90), rng.uniform(60, 120)), cv::FILLED, cv::LINE_AA);
  }
  return image;
}

Bytes encode(const cv::Mat& bgr) {
  tjhandle handle = tjInitCompress();
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  if (tjCompress2(handle, bgr.data, bgr.cols, 0, bgr.rows, TJPF_BGR, &buffer, &size, TJSAMP_420, 92, 0) != 0) {
    std::cerr << tjGetErrorStr2(handle) << "\n";
    std::exit(1);
  }
  Bytes out(buffer, buffer + size);
  tjFree(buffer);
  tjDestroy(handle);
  return out;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double run(const std::string& command) {
  const auto start = Clock::now();
  const int rc = std::system(command.c_str());
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (rc != 0) {
    std::cerr << "failed (" << rc << "): " << command << "\n";
    std::exit(1);
  }
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 24;
  const fs::path work = argc > 2 ? fs::path(argv[2]) : fs::temp_directory_path() / "relais-capture-bench";
  const int rounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
  fs::remove_all(work);
  fs::create_directories(work / "in");
  std::vector<fs::path> photos;
  std::uintmax_t bytes = 0;
  std::cout << "generating " << count << " camera JPEGs 4032x3024 (half with EXIF orientation 6, all with GPS)...\n";
  for (int i = 0; i < count; ++i) {
    const int orientation = i % 2 ? 6 : 1;
    Bytes jpeg = encode(cameraPicture(i));
    relais::capture::samples::CameraExif camera;
    camera.make = "BenchCo";
    camera.model = "Phone12";
    camera.orientation = orientation;
    camera.latitude[0] = 12, camera.latitude[2] = 39, camera.latitude[4] = 4242;
    const Bytes exif = relais::capture::samples::CameraExifSegment(camera);
    jpeg.insert(jpeg.begin() + 2, exif.begin(), exif.end());
    const fs::path path = work / "in" / ("IMG_" + std::to_string(1000 + i) + ".jpg");
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(jpeg.data()), static_cast<long>(jpeg.size()));
    photos.push_back(path);
    bytes += jpeg.size();
  }
  std::printf("mean JPEG size %.2f MB\n", bytes / 1e6 / count);

  const char* other = std::getenv("RELAIS_BENCH_CAPTURE");
  const std::string relais = other != nullptr && *other != '\0' ? other : RELAIS_CAPTURE_TOOL;
  std::cout << "relais-capture: " << relais << "\n";
  const std::string context = " --patient-id BENCH-1 --patient-name BENCH^Patient --specialty dermatology"
                              " --unit VAN-07 --body-site left-forearm --config " +
                              std::string(RELAIS_CONFIG_DIR) + " ";
  // Warm the page cache so both tools read from memory.
  run("cat " + (work / "in").string() + "/*.jpg > /dev/null");

  std::string all;
  for (const auto& photo : photos) all += " " + photo.string();
  // The converters take turns, round after round, and each rate is the median over the
  // rounds: on a shared machine the load changes within seconds, and one run of each would
  // mostly measure who ran at a quiet moment. Each converter starts with no dirty page cache
  // left by the previous one: img2dcm does not flush its files, relais-capture does (fsync
  // before rename), and would otherwise pay for writing img2dcm's output to disk as well.
  std::vector<double> img2dcmRates, batchRates, singleRates;
  for (int round = 0; round < rounds; ++round) {
    for (const char* folder : {"img2dcm", "relais-batch", "relais-single"}) fs::remove_all(work / folder);
    fs::create_directories(work / "img2dcm");
    run("sync");
    double img2dcm = 0;
    for (const auto& photo : photos) {
      img2dcm += run(std::string(IMG2DCM) + " -q " + photo.string() + " " + (work / "img2dcm" / photo.stem()).string() + ".dcm");
    }
    run("sync");
    const double batch = run(relais + " photo" + context + "--out " + (work / "relais-batch").string() + all + " > /dev/null");
    run("sync");
    double single = 0;
    for (const auto& photo : photos) {
      single += run(relais + " photo" + context + "--out " + (work / "relais-single").string() + " " + photo.string() +
                    " > /dev/null");
    }
    img2dcmRates.push_back(count / img2dcm);
    batchRates.push_back(count / batch);
    singleRates.push_back(count / single);
    std::printf("round %d: img2dcm %.1f/s, relais batch %.1f/s, relais per photo %.1f/s\n", round + 1,
                img2dcmRates.back(), batchRates.back(), singleRates.back());
  }
  const double img2dcmRate = median(img2dcmRates), batchRate = median(batchRates), singleRate = median(singleRates);
  std::printf("\n%-52s %8s %10s %8s\n", ("median of " + std::to_string(rounds) + " rounds, same 12 MP JPEGs").c_str(),
              "photos", "photos/s", "ratio");
  std::printf("%-52s %8d %10.1f %8s\n", "DCMTK img2dcm 3.6.7, one process per photo (reference)", count, img2dcmRate, "1.00");
  std::printf("%-52s %8d %10.1f %8.2f\n", "relais-capture photo, one batch (orient+strip+check)", count, batchRate,
              batchRate / img2dcmRate);
  std::printf("%-52s %8d %10.1f %8.2f\n", "relais-capture photo, one process per photo", count, singleRate,
              singleRate / img2dcmRate);
  if (std::getenv("RELAIS_BENCH_KEEP") == nullptr) fs::remove_all(work);
  return 0;
}
