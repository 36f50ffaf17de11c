// Times one frame rendered at the same display width by Relais and by Orthanc, on a real
// Orthanc with the plugin, in one run: a 12-megapixel camera photo (JPEG Baseline) as another
// modality sends it and as relais-capture stores it, a 16-bit X-ray (uncompressed), an
// ultrasound clip frame (RGB multi-frame), and a whole clip as the viewer preloads it for cine.
// For each: median time cold (an instance neither endpoint has read), at a new size (the
// instance read before, a new width), cached (the same request again), bytes, and the ratios
// Orthanc / Relais.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "TestImages.h"
#include "harness/Files.h"
#include "harness/HubCases.h"
#include "rendering/BandWorkers.h"
#include "rendering/JpegCodec.h"
#include "harness/OrthancServer.h"
#include "harness/TestHub.h"
#include "KeptAliveConnection.h"

using namespace relais::test;

namespace {

// Smooth shading plus fine noise: compresses like a real photo or radiograph, not like a flat
// test card.
cv::Mat Texture(int width, int height, int type, double mean, double spread, double noise) {
  cv::Mat small(height / 64 + 2, width / 64 + 2, CV_32FC(CV_MAT_CN(type)));
  cv::randu(small, mean - spread, mean + spread);
  cv::Mat big;
  cv::resize(small, big, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
  cv::Mat grain(height, width, big.type());
  cv::randn(grain, 0, noise);
  big += grain;
  cv::Mat out;
  big.convertTo(out, type);
  return out;
}

struct Timing {
  double medianMs = 0;
  size_t bytes = 0;
  int status = 0;
};

Timing Measure(relais::bench::KeptAliveConnection& http, const std::vector<std::string>& paths,
               const std::map<std::string, std::string>& headers) {
  std::vector<double> ms;
  Timing t;
  for (const auto& path : paths) {
    const auto start = std::chrono::steady_clock::now();
    auto answer = http.get(path, headers);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    t.bytes = answer.body.size();
    t.status = answer.status;
    if (answer.status != 200) {
      std::fprintf(stderr, "%s -> %d %s\n", path.c_str(), answer.status, answer.body.substr(0, 200).c_str());
    }
  }
  std::sort(ms.begin(), ms.end());
  t.medianMs = ms[ms.size() / 2];
  return t;
}

// The unit's own object for `cameraJpeg`: relais-capture run as a nurse would (new UIDs each time).
std::filesystem::path CaptureAsTheUnitDoes(const std::filesystem::path& cameraJpeg, const std::filesystem::path& out) {
  const std::string command = std::string(RELAIS_CAPTURE_TOOL) +
                              " photo --patient-id BENCH-1 --accept-quality-warnings --out '" + out.string() + "' '" +
                              cameraJpeg.string() + "' >/dev/null";
  if (RunCommand(command) != 0) throw std::runtime_error("relais-capture failed: " + command);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(out)) {
    if (entry.is_regular_file()) return entry.path();
  }
  throw std::runtime_error("relais-capture wrote nothing into " + out.string());
}

// Whether a stored photo's JPEG has a restart interval (DRI marker): what lets the hub decode
// it on several cores.
bool HasRestartMarkers(const std::filesystem::path& dicom) {
  const std::string bytes = ReadFile(dicom);
  return bytes.find(std::string("\xFF\xDD\x00\x04", 4)) != std::string::npos;
}

// One kind of object: how a fresh copy of it is written (same pixels, new UIDs), and the
// frame and display width the viewer would ask for.
struct Kind {
  std::string name;
  std::function<void(const std::filesystem::path&)> write;
  int frame;
  int width;
};

// The copies of one kind for one table: each endpoint gets its own, so every "cold" request
// meets an instance that neither endpoint has read.
struct Copies {
  std::vector<std::string> orthanc;
  std::vector<std::string> relais;
};

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
  // Optional: only the frames whose name contains this text (e.g. "X-ray"), for profiling one.
  const std::string only = argc > 2 ? argv[2] : "";
  TempDir dir("relais-bench-render");
  // A configured hub (tests/harness TestHub); admin may both upload and render everything.
  OrthancServerOptions options = HubOptions({{"RenderCacheMegabytes", 256}});
  options.verbose = false;  // as in production: per-request logging would weigh on both sides
  OrthancServer orthanc(options);
  HttpClient http = ClientAs(orthanc, "admin");

  auto upload = [&](const std::filesystem::path& file) {
    auto answer = http.post("/instances", ReadFile(file), "application/dicom");
    if (answer.status != 200) throw std::runtime_error("upload failed: " + answer.body);
    return answer.json()["ID"].get<std::string>();
  };

  std::printf("Generating the frames...\n");
  const cv::Mat photo = Texture(4000, 3000, CV_8UC3, 150, 60, 6);
  // As most phone cameras write it: one scan, no restart markers.
  relais::rendering::BandWorkers oneCore(0);
  const std::string cameraJpeg = relais::rendering::EncodeJpeg(photo, 92, oneCore);
  std::ofstream(dir / "camera.jpg", std::ios::binary) << cameraJpeg;
  const cv::Mat radiograph = Texture(2500, 3000, CV_16UC1, 2048, 1500, 40);
  GreyOptions xray;
  xray.window = "2048\\3000";
  std::vector<cv::Mat> clip;
  for (int k = 0; k < 20; ++k) clip.push_back(Texture(800, 600, CV_8UC3, 60, 50, 10 + k));
  int captures = 0;
  const std::filesystem::path unitSample = CaptureAsTheUnitDoes(dir / "camera.jpg", dir / "unit-sample");
  const std::vector<Kind> kinds = {
      {"12 MP photo, camera's JPEG (" + std::to_string(cameraJpeg.size() / 1024) + " KiB)",
       [&](const std::filesystem::path& file) { WriteJpegFrame(file, cameraJpeg, photo.cols, photo.rows); }, 0, 1024},
      {std::string("12 MP photo, relais-capture's object") + (HasRestartMarkers(unitSample) ? " (RST)" : ""),
       [&](const std::filesystem::path& file) {
         std::filesystem::rename(
             CaptureAsTheUnitDoes(dir / "camera.jpg", dir / ("unit-" + std::to_string(++captures))), file);
       },
       0, 1024},
      {"16-bit X-ray 2500x3000 (uncompressed)",
       [&](const std::filesystem::path& file) { WriteGrey16(file, radiograph, xray); }, 0, 1024},
      {"ultrasound frame 10 of 20, 800x600 RGB",
       [&](const std::filesystem::path& file) { WriteUltrasoundClip(file, clip); }, 10, 640},
  };
  const Kind& ultrasound = kinds.back();
  auto freshCopies = [&](const Kind& kind, int count) {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
      const auto file = dir / "copy.dcm";
      kind.write(file);
      ids.push_back(upload(file));
      std::filesystem::remove(file);
    }
    return ids;
  };
  // One rendering through each endpoint first, of an object measured nowhere: what a hub
  // does once per process (libraries' first use, memory pools) stays out of "cold".
  // Both kinds of photo, at full size: with restart markers the decoding takes another path,
  // and the memory a 12 MP decoding needs is then already the process's, as on any hub that
  // has shown a photo before.
  std::vector<std::string> warmups;
  for (const Kind* kind : {&kinds[0], &kinds[1]}) warmups.push_back(freshCopies(*kind, 1).front());

  // Every object is uploaded `repeats` times per endpoint and table (same pixels, new UIDs),
  // and the clip three more times per cine row.
  std::printf("Uploading %d fresh copies of each object per endpoint and table...\n", repeats);
  constexpr int kClipCopies = 3;
  constexpr int kClipRequestsInFlight[] = {4, 1};
  struct Table {
    const char* title;
    std::map<std::string, std::string> headers;
    std::vector<Copies> copies;  // per kind
    std::vector<Copies> clips;   // per kClipRequestsInFlight
  } tables[] = {{"as the viewer's browser asks (Accept-Encoding: gzip, deflate)",
                 {{"Accept-Encoding", "gzip, deflate"}}, {}, {}},
                {"without compression offered", {}, {}, {}}};
  for (auto& table : tables) {
    for (const Kind& kind : kinds) {
      const bool wanted = kind.name.find(only) != std::string::npos;
      table.copies.push_back(Copies{freshCopies(kind, wanted ? repeats : 0), freshCopies(kind, wanted ? repeats : 0)});
    }
    const bool clipWanted = std::string("ultrasound clip").find(only) != std::string::npos ||
                            ultrasound.name.find(only) != std::string::npos;
    for (size_t c = 0; clipWanted && c < std::size(kClipRequestsInFlight); ++c) {
      table.clips.push_back(Copies{freshCopies(ultrasound, kClipCopies), freshCopies(ultrasound, kClipCopies)});
    }
  }
  for (const auto& warmup : warmups) {
    http.get("/instances/" + warmup + "/frames/0/rendered?width=1024", {{"Accept", "image/jpeg"}});
    http.get("/relais/v1/instances/" + warmup + "/frames/0/rendered?width=1024");
  }

  // The hub routes each study once it is stable, reading its first instance's header: wait for
  // that, so that no routing runs during the timings.
  const auto routingStart = std::chrono::steady_clock::now();
  size_t studies = 0;
  for (const auto& study : http.get("/studies").json()) {
    const auto uid = http.get("/studies/" + study.get<std::string>()).json()["MainDicomTags"]["StudyInstanceUID"];
    ++studies;
    if (WaitForCase(orthanc, uid.get<std::string>(), std::chrono::seconds(30)).empty()) {
      std::fprintf(stderr, "study %s was not routed within 30 s\n", uid.get<std::string>().c_str());
    }
  }
  std::printf("The hub had routed the %zu studies %.1f s after the last upload.\n", studies,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - routingStart).count());
  // One connection for every timed request, as the viewer's browser keeps one.
  const std::string authorization = "Basic " + Base64("admin:admin-pass");
  relais::bench::KeptAliveConnection timed(orthanc.httpPort(), authorization);
  {
    // What a bare answer costs, through this connection and through the tests' client.
    std::vector<std::string> system(200, "/system");
    const double lean = Measure(timed, system, {}).medianMs;
    http.keepAlive();
    std::vector<double> ms;
    for (const auto& path : system) {
      const auto start = std::chrono::steady_clock::now();
      http.get(path);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("GET /system (median of 200): %.2f ms on this bench's connection, %.2f ms through the tests' "
                "HttpClient (cpprestsdk)\n", lean, ms[ms.size() / 2]);
  }

  std::printf("\nmedians of %d requests each. cold: the first request for an instance neither endpoint has read\n"
              "(a fresh copy each time; the file in the page cache only). new size: the instance already read\n"
              "(Orthanc keeps the parsed file, Relais its header), every request a new width (w-1, w-2, ...),\n"
              "so nothing comes from Relais's cache of answers. cached: the same request again; Orthanc has no\n"
              "cache of rendered frames.\n", repeats);
  // The viewer's browser offers compression with every request, and Orthanc then gzips every
  // answer it sends through its usual path (Orthanc's /rendered included); without the offer
  // neither side compresses. Both are printed.
  for (const auto& table : tables) {
    std::printf("\n%s\n", table.title);
    std::printf("%-42s %-30s %9s %9s %9s %9s\n", "frame", "endpoint", "cold ms", "new size", "cached", "bytes");
    auto jpeg = table.headers;
    jpeg["Accept"] = "image/jpeg";
    for (size_t k = 0; k < kinds.size(); ++k) {
      const Kind& kind = kinds[k];
      const Copies& copies = table.copies[k];
      if (copies.orthanc.empty()) continue;
      const std::string frame = "/frames/" + std::to_string(kind.frame) + "/rendered";
      const std::string width = "?width=" + std::to_string(kind.width);
      auto firstRequests = [&](const std::string& prefix, const std::vector<std::string>& ids) {
        std::vector<std::string> out;
        for (const auto& id : ids) out.push_back(prefix + id + frame + width);
        return out;
      };
      // Widths w-1 down to w/2: more requests than that would meet cached answers again.
      auto newSizes = [&](const std::string& path) {
        std::vector<std::string> out;
        for (int i = 0; i < std::min(repeats, kind.width / 2); ++i) {
          out.push_back(path + "?width=" + std::to_string(kind.width - 1 - i));
        }
        return out;
      };
      auto same = [&](const std::string& path) { return std::vector<std::string>(repeats, path + width); };
      const std::string orthancPath = "/instances/" + copies.orthanc.front() + frame;
      const std::string relaisPath = "/relais/v1/instances/" + copies.relais.front() + frame;
      const Timing oCold = Measure(timed, firstRequests("/instances/", copies.orthanc), jpeg);
      const Timing rCold = Measure(timed, firstRequests("/relais/v1/instances/", copies.relais), table.headers);
      const Timing oNew = Measure(timed, newSizes(orthancPath), jpeg);
      const Timing oCached = Measure(timed, same(orthancPath), jpeg);
      const Timing rNew = Measure(timed, newSizes(relaisPath), table.headers);
      const Timing rCached = Measure(timed, same(relaisPath), table.headers);
      const Timing preview = Measure(timed, {"/instances/" + copies.orthanc.front() + "/preview"}, jpeg);
      std::printf("%-42s %-30s %9.1f %9.1f %9.1f %9zu\n", kind.name.c_str(), "Orthanc /rendered (JPEG)",
                  oCold.medianMs, oNew.medianMs, oCached.medianMs, oCached.bytes);
      std::printf("%-42s %-30s %9s %9.1f %9s %9zu\n", "", "Orthanc /preview (JPEG, full size)", "-",
                  preview.medianMs, "-", preview.bytes);
      std::printf("%-42s %-30s %9.1f %9.1f %9.1f %9zu\n", "", "Relais /rendered", rCold.medianMs, rNew.medianMs,
                  rCached.medianMs, rCached.bytes);
      std::printf("%-42s %-30s %8.1fx %8.1fx %8.1fx %8.2fx\n", "", "ratio Orthanc / Relais",
                  oCold.medianMs / rCold.medianMs, oNew.medianMs / rNew.medianMs,
                  oCached.medianMs / rCached.medianMs, static_cast<double>(oCached.bytes) / rCached.bytes);
    }
    // As the viewer preloads a clip for cine: every frame at the display width, in order, four
    // requests in flight over four kept-alive connections (viewer/js/imagepane.js), and one
    // after another for reference; on a clip neither endpoint has read; median of the copies'
    // wall-clock totals.
    auto wholeClip = [&](const std::string& prefix, const std::vector<std::string>& ids,
                         const std::map<std::string, std::string>& headers, int inFlight) {
      std::vector<double> totals;
      std::atomic<size_t> bytes{0};
      for (const auto& id : ids) {
        std::vector<std::unique_ptr<relais::bench::KeptAliveConnection>> connections;
        for (int c = 0; c < inFlight; ++c) {
          connections.push_back(std::make_unique<relais::bench::KeptAliveConnection>(orthanc.httpPort(), authorization));
        }
        std::atomic<int> next{0};
        bytes = 0;
        const auto start = std::chrono::steady_clock::now();
        std::vector<std::thread> fetchers;
        for (auto& connection : connections) {
          fetchers.emplace_back([&, connection = connection.get()] {
            for (int f = next++; f < static_cast<int>(clip.size()); f = next++) {
              const auto answer = connection->get(prefix + id + "/frames/" + std::to_string(f) + "/rendered?width=" +
                                                 std::to_string(ultrasound.width), headers);
              if (answer.status != 200) std::fprintf(stderr, "frame %d -> %d\n", f, answer.status);
              bytes += answer.body.size();
            }
          });
        }
        for (auto& fetcher : fetchers) fetcher.join();
        totals.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      }
      std::sort(totals.begin(), totals.end());
      return Timing{totals[totals.size() / 2], bytes.load(), 200};
    };
    for (size_t c = 0; c < table.clips.size(); ++c) {
      const int inFlight = kClipRequestsInFlight[c];
      const Timing oClip = wholeClip("/instances/", table.clips[c].orthanc, jpeg, inFlight);
      const Timing rClip = wholeClip("/relais/v1/instances/", table.clips[c].relais, table.headers, inFlight);
      const std::string clipName = "ultrasound clip, " + std::to_string(clip.size()) + " frames, " +
                                   (inFlight == 1 ? std::string("one at a time") : std::to_string(inFlight) + " at a time");
      std::printf("%-42s %-30s %9.1f %9s %9s %9zu\n", clipName.c_str(), "Orthanc /rendered (JPEG)", oClip.medianMs,
                  "-", "-", oClip.bytes);
      std::printf("%-42s %-30s %9.1f %9s %9s %9zu\n", "", "Relais /rendered", rClip.medianMs, "-", "-", rClip.bytes);
      std::printf("%-42s %-30s %8.1fx %9s %9s %8.2fx\n", "", "ratio Orthanc / Relais",
                  oClip.medianMs / rClip.medianMs, "-", "-", static_cast<double>(oClip.bytes) / rClip.bytes);
    }
  }
  return 0;
}
