// Times one frame rendered at the same display width by Relais and by Orthanc, on a real
// Orthanc with the plugin, in one run: a 12-megapixel camera photo (JPEG Baseline) as another
// modality sends it and as relais-capture stores it, a 16-bit X-ray (uncompressed), an
// ultrasound clip frame (RGB multi-frame). For each: median time
// cold (nothing cached by Relais: every request a new width) and warm (the same request
// again), bytes, and the ratios Orthanc / Relais.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "TestImages.h"
#include "harness/Files.h"
#include "harness/HubCases.h"
#include "rendering/BandWorkers.h"
#include "rendering/JpegCodec.h"
#include "harness/OrthancServer.h"
#include "harness/TestHub.h"

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

Timing Measure(const HttpClient& http, const std::vector<std::string>& paths,
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

struct Case {
  std::string name;
  std::string orthancCopy;  // instance only Orthanc's endpoints read
  std::string relaisCopy;   // instance only Relais reads
  int frame;
  int width;
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

  // Every object is written four times (same pixels, new UIDs): one copy per endpoint and
  // table, so each endpoint's first request meets an instance nobody has read yet.
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
  for (const std::string copy : {"a", "b", "c", "d"}) {
    WriteJpegFrame(dir / ("photo" + copy + ".dcm"), cameraJpeg, photo.cols, photo.rows);
    std::filesystem::copy_file(CaptureAsTheUnitDoes(dir / "camera.jpg", dir / ("unit-" + copy)),
                               dir / ("unit" + copy + ".dcm"));
    WriteGrey16(dir / ("xray" + copy + ".dcm"), radiograph, xray);
    WriteUltrasoundClip(dir / ("us" + copy + ".dcm"), clip);
  }
  const std::string photoName = "12 MP photo, camera's JPEG (" +
                                std::to_string(std::filesystem::file_size(dir / "photoa.dcm") / 1024) + " KiB)";
  const std::string unitName = std::string("12 MP photo, relais-capture's object") +
                               (HasRestartMarkers(dir / "unita.dcm") ? " (RST)" : "");
  // A fresh pair of copies per table, so that "first" meets unread instances in both.
  auto casesFrom = [&](const std::string& orthancCopy, const std::string& relaisCopy) {
    return std::vector<Case>{
        {photoName, upload(dir / ("photo" + orthancCopy + ".dcm")), upload(dir / ("photo" + relaisCopy + ".dcm")), 0,
         1024},
        {unitName, upload(dir / ("unit" + orthancCopy + ".dcm")), upload(dir / ("unit" + relaisCopy + ".dcm")), 0,
         1024},
        {"16-bit X-ray 2500x3000 (uncompressed)", upload(dir / ("xray" + orthancCopy + ".dcm")),
         upload(dir / ("xray" + relaisCopy + ".dcm")), 0, 1024},
        {"ultrasound frame 10 of 20, 800x600 RGB", upload(dir / ("us" + orthancCopy + ".dcm")),
         upload(dir / ("us" + relaisCopy + ".dcm")), 10, 640},
    };
  };
  // One rendering through each endpoint first, of an object measured nowhere: what a hub
  // does once per process (libraries' first use, memory pools) stays out of "first".
  // Both kinds of photo, at full size: with restart markers the decoding takes another path,
  // and the memory a 12 MP decoding needs is then already the process's, as on any hub that
  // has shown a photo before.
  WriteJpegFrame(dir / "warmup.dcm", cameraJpeg, photo.cols, photo.rows);
  const std::filesystem::path warmups[] = {dir / "warmup.dcm",
                                           CaptureAsTheUnitDoes(dir / "camera.jpg", dir / "unit-warmup")};
  // One connection for every request from here on, as the viewer's browser keeps one; opened
  // only now: Orthanc closes a connection idle for a second, and the files took longer.
  http.keepAlive();
  for (const auto& file : warmups) {
    const std::string warmup = upload(file);
    http.get("/instances/" + warmup + "/frames/0/rendered?width=1024", {{"Accept", "image/jpeg"}});
    http.get("/relais/v1/instances/" + warmup + "/frames/0/rendered?width=1024");
  }

  const auto browserCases = casesFrom("a", "b");
  const auto plainCases = casesFrom("c", "d");
  // The hub routes each study once it is stable, reading its first instance through Orthanc
  // (a 29 MB clip is parsed whole): wait for that, or it lands in the first timings.
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
  http.keepAlive();  // a fresh connection: the one above may have idled past Orthanc's keep-alive

  std::printf("\nmedian of %d requests each; cold = every request a new width (w, w-1, ...), nothing cached\n"
              "by Relais; warm = the same request repeated. Orthanc has no rendered-frame cache.\n", repeats);
  // The viewer's browser offers compression with every request, and Orthanc then gzips every
  // answer it sends through its usual path (Orthanc's /rendered included); without the offer
  // neither side compresses. Both are printed.
  const struct {
    const char* title;
    std::map<std::string, std::string> headers;
    const std::vector<Case>* cases;
  } tables[] = {{"as the viewer's browser asks (Accept-Encoding: gzip, deflate)",
                 {{"Accept-Encoding", "gzip, deflate"}}, &browserCases},
                {"without compression offered", {}, &plainCases}};
  for (const auto& table : tables) {
    std::printf("\n%s\n", table.title);
    std::printf("%-42s %-30s %9s %9s %9s %9s\n", "frame", "endpoint", "first ms", "cold ms", "warm ms", "bytes");
    auto jpeg = table.headers;
    jpeg["Accept"] = "image/jpeg";
    for (const Case& c : *table.cases) {
      if (c.name.find(only) == std::string::npos) continue;
      const std::string frame = "/frames/" + std::to_string(c.frame);
      auto paths = [&](const std::string& prefix, bool cold) {
        std::vector<std::string> out;
        for (int i = 0; i < repeats; ++i) {
          out.push_back(prefix + "?width=" + std::to_string(cold ? c.width - 1 - i % (c.width / 2) : c.width));
        }
        return out;
      };
      const std::string relais = "/relais/v1/instances/" + c.relaisCopy + frame + "/rendered";
      const std::string orthancRendered = "/instances/" + c.orthancCopy + frame + "/rendered";
      Timing oFirst = Measure(http, {orthancRendered + "?width=" + std::to_string(c.width)}, jpeg);
      Timing rFirst = Measure(http, {relais + "?width=" + std::to_string(c.width)}, table.headers);
      Timing oCold = Measure(http, paths(orthancRendered, true), jpeg);
      Timing oWarm = Measure(http, paths(orthancRendered, false), jpeg);
      Timing rCold = Measure(http, paths(relais, true), table.headers);
      Timing rWarm = Measure(http, paths(relais, false), table.headers);
      Timing preview = Measure(http, {"/instances/" + c.orthancCopy + "/preview"}, jpeg);
      std::printf("%-42s %-30s %9.1f %9.1f %9.1f %9zu\n", c.name.c_str(), "Orthanc /rendered (JPEG)",
                  oFirst.medianMs, oCold.medianMs, oWarm.medianMs, oWarm.bytes);
      std::printf("%-42s %-30s %9s %9.1f %9s %9zu\n", "", "Orthanc /preview (JPEG, full size)", "-",
                  preview.medianMs, "-", preview.bytes);
      std::printf("%-42s %-30s %9.1f %9.1f %9.1f %9zu\n", "", "Relais /rendered", rFirst.medianMs, rCold.medianMs,
                  rWarm.medianMs, rWarm.bytes);
      std::printf("%-42s %-30s %8.1fx %8.1fx %8.1fx %8.2fx\n", "", "ratio Orthanc / Relais",
                  oFirst.medianMs / rFirst.medianMs, oCold.medianMs / rCold.medianMs,
                  oWarm.medianMs / rWarm.medianMs, static_cast<double>(oWarm.bytes) / rWarm.bytes);
    }
  }
  return 0;
}
