#include "adapter/RenderedFrameRoute.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "adapter/OrthancContext.h"
#include "adapter/OrthancHandles.h"
#include "domain/HttpError.h"
#include "rendering/FrameRenderer.h"
#include "rendering/JpegCodec.h"
#include "rendering/RenderRequest.h"
#include "rendering/ScratchPool.h"
#include "rendering/StripRenderer.h"

namespace relais::adapter {

namespace {

// Bumped whenever rendering changes what it produces, so browsers drop old ETags.
constexpr const char* kRendererVersion = "r1";

bool LooksLikeOrthancId(const std::string& id) {
  if (id.size() != 44) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool dash = (i % 9) == 8;
    if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

unsigned ParseFrame(const std::string& text) {
  size_t used = 0;
  unsigned long value = 0;
  try {
    value = std::stoul(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || text[0] == '-' || value > 100000) {
    throw BadRequest("frame number must be a non-negative integer, got '" + text + "'");
  }
  return static_cast<unsigned>(value);
}

std::optional<std::string> OrthancGet(const std::string& uri) {
  OrthancPluginMemoryBuffer buffer{};
  if (OrthancPluginRestApiGet(Context(), &buffer, uri.c_str()) != OrthancPluginErrorCode_Success) {
    return std::nullopt;
  }
  std::string out(static_cast<const char*>(buffer.data), buffer.size);
  OrthancPluginFreeMemoryBuffer(Context(), &buffer);
  return out;
}

// Views Orthanc's decoded buffer as stored values (one channel) or RGB; converts the rarer
// formats into one of those.
cv::Mat AsMat(OrthancPluginImage* image) {
  OrthancPluginContext* c = Context();
  const int width = static_cast<int>(OrthancPluginGetImageWidth(c, image));
  const int height = static_cast<int>(OrthancPluginGetImageHeight(c, image));
  const size_t pitch = OrthancPluginGetImagePitch(c, image);
  void* data = OrthancPluginGetImageBuffer(c, image);
  switch (OrthancPluginGetImagePixelFormat(c, image)) {
    case OrthancPluginPixelFormat_Grayscale8: return cv::Mat(height, width, CV_8UC1, data, pitch);
    case OrthancPluginPixelFormat_Grayscale16: return cv::Mat(height, width, CV_16UC1, data, pitch);
    case OrthancPluginPixelFormat_SignedGrayscale16: return cv::Mat(height, width, CV_16SC1, data, pitch);
    case OrthancPluginPixelFormat_Float32: return cv::Mat(height, width, CV_32FC1, data, pitch);
    case OrthancPluginPixelFormat_RGB24: return cv::Mat(height, width, CV_8UC3, data, pitch);
    case OrthancPluginPixelFormat_Grayscale32: {
      cv::Mat out;
      // Unsigned 32-bit has no OpenCV depth; float keeps 24 bits, plenty for display.
      cv::Mat(height, width, CV_32SC1, data, pitch).convertTo(out, CV_32F);
      return out;
    }
    case OrthancPluginPixelFormat_RGB48: {
      cv::Mat out;
      cv::Mat(height, width, CV_16UC3, data, pitch).convertTo(out, CV_8U, 1.0 / 257.0);
      return out;
    }
    case OrthancPluginPixelFormat_RGBA32: {
      cv::Mat out;
      cv::cvtColor(cv::Mat(height, width, CV_8UC4, data, pitch), out, cv::COLOR_RGBA2RGB);
      return out;
    }
    case OrthancPluginPixelFormat_BGRA32: {
      cv::Mat out;
      cv::cvtColor(cv::Mat(height, width, CV_8UC4, data, pitch), out, cv::COLOR_BGRA2RGB);
      return out;
    }
    default: throw HttpError(415, "this frame's pixel format cannot be rendered");
  }
}

std::string EntityTag(const std::string& key) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a: a stable, short name for the key
  for (unsigned char ch : key) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "\"%s-%016llx\"", kRendererVersion, static_cast<unsigned long long>(h));
  return text;
}

bool MatchesIfNoneMatch(const HttpRequest& request, const std::string& etag) {
  auto it = request.headers.find("if-none-match");
  return it != request.headers.end() && (it->second == "*" || it->second.find(etag) != std::string::npos);
}

}  // namespace

RenderedFrameRoute::RenderedFrameRoute(size_t cacheBytes, InstanceAccess access, StoredInstanceFiles files)
    : cache_(cacheBytes), averages_(cacheBytes / 4), access_(std::move(access)), files_(std::move(files)) {}

HttpResponse RenderedFrameRoute::serve(const HttpRequest& request) {
  const std::string& id = request.param("id");
  if (!LooksLikeOrthancId(id)) throw NotFound("no such instance: " + id);
  const unsigned frame = ParseFrame(request.param("n"));
  const rendering::RenderRequest r = rendering::ParseRenderRequest(request.query);
  if (access_) access_(request, studyOf(id));

  // An Orthanc instance never changes under its identifier, so the rendered bytes are a pure
  // function of the key and may be cached by the browser as long as it likes.
  const std::string key = id + "/" + std::to_string(frame) + "/" + r.fingerprint();
  const std::string etag = EntityTag(key);
  HttpResponse response;
  response.headers["ETag"] = etag;
  response.headers["Cache-Control"] = "private, max-age=31536000, immutable";
  if (MatchesIfNoneMatch(request, etag)) {
    response.status = 304;
    return response;
  }
  auto jpeg = cache_.find(key);
  if (!jpeg) {
    jpeg = std::make_shared<const std::string>(render(id, frame, r));
    cache_.insert(key, jpeg);
  }
  response.contentType = "image/jpeg";
  response.compressible = false;
  response.body = *jpeg;
  return response;
}

// One read and one parse of the instance's file, shared by its description and its frames.
struct RenderedFrameRoute::OpenedFile {
  DicomFile file;
  ParsedInstance parsed;
};

std::unique_ptr<RenderedFrameRoute::OpenedFile> RenderedFrameRoute::open(const std::string& id) {
  OrthancPluginContext* c = Context();
  auto opened = std::make_unique<OpenedFile>();
  if (OrthancPluginGetDicomForInstance(c, &opened->file.buffer, id.c_str()) != OrthancPluginErrorCode_Success) {
    throw NotFound("no such instance: " + id);
  }
  opened->parsed.instance = OrthancPluginCreateDicomInstance(c, opened->file.buffer.data, opened->file.buffer.size);
  if (opened->parsed.instance == nullptr) throw HttpError(422, "instance " + id + " is not a readable DICOM file");
  return opened;
}

std::shared_ptr<const rendering::FrameDescription> RenderedFrameRoute::cachedDescription(const std::string& id) {
  std::lock_guard<std::mutex> lock(descriptionsMutex_);
  auto it = descriptions_.find(id);
  return it == descriptions_.end() ? nullptr : it->second;
}

std::shared_ptr<const RenderedFrameRoute::StoredSource> RenderedFrameRoute::storedSource(const std::string& id) {
  {
    std::lock_guard<std::mutex> lock(descriptionsMutex_);
    auto it = sources_.find(id);
    if (it != sources_.end()) return it->second;
  }
  std::shared_ptr<const StoredSource> source;
  if (const auto location = files_.locate(id)) {
    const auto path = location->path;
    try {
      source = std::make_shared<const StoredSource>(StoredSource{
          *location, rendering::DescribeStoredFile(
                         [&path](uint64_t offset, size_t length) { return StoredInstanceFiles::read(path, offset, length); },
                         location->size)});
    } catch (const std::runtime_error&) {
      source = nullptr;  // Orthanc's REST API reads what this walker does not
    }
  }
  std::lock_guard<std::mutex> lock(descriptionsMutex_);
  if (sources_.size() > 20000) sources_.clear();
  sources_[id] = source;
  return source;
}

std::optional<std::string> RenderedFrameRoute::readStoredFrame(const StoredSource& source, unsigned frame) {
  const auto& path = source.location.path;
  try {
    return rendering::ReadStoredFrame(
        [&path](uint64_t offset, size_t length) { return StoredInstanceFiles::read(path, offset, length); },
        source.frames, frame);
  } catch (const std::runtime_error&) {
    return std::nullopt;  // deleted meanwhile, or shorter than its header says: Orthanc decides
  }
}

std::optional<std::string> RenderedFrameRoute::renderStoredNative(const std::string& id, const StoredSource& source,
                                                                  unsigned frame, const rendering::RenderRequest& r) {
  const rendering::FrameDescription& d = source.frames.description;
  try {
    const OpenedStoredFile file(source.location.path);
    const rendering::ReadInto read = [&file](uint64_t offset, size_t length, void* target) {
      return file.readInto(offset, length, target);
    };
    if (const auto factor = rendering::StripFactor(source.frames, r)) {
      const std::string key = id + "/" + std::to_string(frame) + "/" + std::to_string(*factor);
      auto averaged = averages_.find(key);
      if (!averaged) {
        averaged = std::make_shared<const rendering::AveragedFrame>(
            rendering::AverageGreyInStrips(read, source.frames, frame, *factor));
        averages_.insert(key, averaged);
      }
      return rendering::RenderAveraged(*averaged, d, r);
    }
    const auto range = rendering::NativeFrameRange(source.frames, frame);
    if (!range) return std::nullopt;
    const auto buffer = rendering::RenderScratch().acquire(range->length);
    const size_t got = read(range->offset, range->length, buffer.data());
    if (got != range->length) return std::nullopt;
    return rendering::RenderPixels(
        rendering::NativeFrameValues(std::string_view(reinterpret_cast<const char*>(buffer.data()), got), d), d.grey,
        r);
  } catch (const std::runtime_error&) {
    return std::nullopt;  // deleted meanwhile, or shorter than its header says: Orthanc decides
  }
}

std::shared_ptr<const rendering::FrameDescription> RenderedFrameRoute::describe(const std::string& id) {
  if (auto known = cachedDescription(id)) return known;
  if (auto source = storedSource(id)) {
    auto description = std::make_shared<const rendering::FrameDescription>(source->frames.description);
    std::lock_guard<std::mutex> lock(descriptionsMutex_);
    if (descriptions_.size() > 20000) descriptions_.clear();
    descriptions_[id] = description;
    return description;
  }
  const auto tags = OrthancGet("/instances/" + id + "/tags?short");
  if (!tags) throw NotFound("no such instance: " + id);
  const auto syntax = OrthancGet("/instances/" + id + "/metadata/TransferSyntax");
  auto description = std::make_shared<const rendering::FrameDescription>(
      rendering::DescribeFrames(nlohmann::json::parse(*tags), syntax.value_or("")));
  std::lock_guard<std::mutex> lock(descriptionsMutex_);
  if (descriptions_.size() > 20000) descriptions_.clear();  // a few MB at most; rebuilt on demand
  descriptions_[id] = description;
  return description;
}

std::string RenderedFrameRoute::studyOf(const std::string& id) {
  {
    std::lock_guard<std::mutex> lock(descriptionsMutex_);
    auto it = studies_.find(id);
    if (it != studies_.end()) return it->second;
  }
  // From the stored file's header when it is read directly anyway (one lookup in Orthanc's
  // index instead of two on first sight), else from Orthanc's index.
  if (auto source = storedSource(id); source && !source->frames.description.studyInstanceUid.empty()) {
    std::lock_guard<std::mutex> lock(descriptionsMutex_);
    if (studies_.size() > 100000) studies_.clear();
    return studies_[id] = source->frames.description.studyInstanceUid;
  }
  const auto study = OrthancGet("/instances/" + id + "/study");
  if (!study) throw NotFound("no such instance: " + id);
  const std::string uid =
      nlohmann::json::parse(*study).at("MainDicomTags").value("StudyInstanceUID", std::string());
  std::lock_guard<std::mutex> lock(descriptionsMutex_);
  if (studies_.size() > 100000) studies_.clear();
  studies_[id] = uid;
  return uid;
}

std::string RenderedFrameRoute::render(const std::string& id, unsigned frame, const rendering::RenderRequest& r) {
  const std::string rawUri = "/instances/" + id + "/frames/" + std::to_string(frame) + "/raw";
  if (auto source = storedSource(id)) {
    // Straight from the stored file: its header (read once) and this frame's bytes, where
    // Orthanc would load and parse the whole file (a 29 MB clip for one 1.4 MB frame).
    const rendering::FrameDescription& d = source->frames.description;
    checkFrame(id, frame, d);
    if (d.isPlainNative()) {
      if (auto jpeg = renderStoredNative(id, *source, frame, r)) return *jpeg;
    } else if (d.isJpegBaseline()) {
      if (auto raw = readStoredFrame(*source, frame)) {
        if (auto jpeg = renderRaw(*raw, d, r)) return *jpeg;
      }
    }
  }
  std::optional<std::string> raw;
  auto description = cachedDescription(id);
  if (!description) {
    // Orthanc's /tags parses the file without its cache of parsed files, /raw fills that
    // cache: on first sight, the frame first makes the description after it nearly free
    // (a 29 MB clip read from disk: 250 ms instead of 400).
    raw = OrthancGet(rawUri);
    description = describe(id);
  }
  checkFrame(id, frame, *description);
  if (description->isJpegBaseline() || description->isPlainNative()) {
    // Orthanc keeps recently parsed files in memory, so /raw of a clip's next frame is cheap.
    if (!raw) raw = OrthancGet(rawUri);
    if (raw) {
      if (auto jpeg = renderRaw(*raw, *description, r)) return *jpeg;
    }
  }
  return renderDecoded(id, frame, *open(id), *description, r);
}

void RenderedFrameRoute::checkFrame(const std::string& id, unsigned frame, const rendering::FrameDescription& d) {
  if (frame >= static_cast<unsigned>(d.frames)) {
    throw NotFound("instance " + id + " has " + std::to_string(d.frames) + " frame(s); no frame " +
                   std::to_string(frame));
  }
}

std::optional<std::string> RenderedFrameRoute::renderRaw(const std::string& raw, const rendering::FrameDescription& d,
                                                         const rendering::RenderRequest& r) {
  try {
    if (d.isJpegBaseline()) return rendering::RenderJpeg(raw, d.grey, r);
    return rendering::RenderPixels(rendering::NativeFrameValues(raw, d), d.grey, r);
  } catch (const std::runtime_error&) {
    return std::nullopt;  // Orthanc's decoder either copes or names the problem
  }
}

std::string RenderedFrameRoute::renderDecoded(const std::string& id, unsigned frame, const OpenedFile& opened,
                                              const rendering::FrameDescription& d, const rendering::RenderRequest& r) {
  DecodedImage decoded;
  decoded.image = OrthancPluginGetInstanceDecodedFrame(Context(), opened.parsed.instance, frame);
  if (decoded.image == nullptr) {
    throw HttpError(415, "Orthanc cannot decode frame " + std::to_string(frame) + " of instance " + id +
                             " (transfer syntax " + d.transferSyntax + ")");
  }
  // Orthanc's decoder already turns PALETTE COLOR and YBR into RGB; the grey model only
  // applies to one-channel frames.
  return rendering::RenderPixels(AsMat(decoded.image), d.grey, r);
}

cv::Mat RenderedFrameRoute::storedFrame(const std::string& id, unsigned frame,
                                         const rendering::FrameDescription& d) {
  if (d.isJpegBaseline() || d.isPlainNative()) {
    std::optional<std::string> raw;
    if (auto source = storedSource(id)) raw = readStoredFrame(*source, frame);
    if (!raw) raw = OrthancGet("/instances/" + id + "/frames/" + std::to_string(frame) + "/raw");
    if (raw) {
      try {
        if (d.isPlainNative()) return rendering::ReadNativeFrame(*raw, d);
        return rendering::DecodeJpeg(*raw, rendering::ScalingFactor{1, 8});  // enough for a value range
      } catch (const std::runtime_error&) {
        // Orthanc's decoder below.
      }
    }
  }
  const auto opened = open(id);
  DecodedImage decoded;
  decoded.image = OrthancPluginGetInstanceDecodedFrame(Context(), opened->parsed.instance, frame);
  if (decoded.image == nullptr) throw HttpError(415, "Orthanc cannot decode instance " + id);
  return AsMat(decoded.image).clone();
}

HttpResponse RenderedFrameRoute::facts(const HttpRequest& request) {
  const std::string& id = request.param("id");
  if (!LooksLikeOrthancId(id)) throw NotFound("no such instance: " + id);
  if (access_) access_(request, studyOf(id));
  const auto d = describe(id);
  std::optional<rendering::Window> window;
  if (d->isGrey()) {
    if (d->grey.windowCenter) {
      window = rendering::Window{*d->grey.windowCenter, *d->grey.windowWidth};
    } else {
      const cv::Mat stored = storedFrame(id, 0, *d);
      double lo = 0, hi = 255;
      if (stored.channels() == 1) cv::minMaxLoc(stored, &lo, &hi);
      const double a = lo * d->grey.rescaleSlope + d->grey.rescaleIntercept;
      const double b = hi * d->grey.rescaleSlope + d->grey.rescaleIntercept;
      window = rendering::ChooseWindow(rendering::RenderRequest{}, rendering::GreyscaleModel{}, std::min(a, b),
                                       std::max(a, b));
    }
  }
  HttpResponse response = HttpResponse::Json(rendering::ViewerFacts(*d, window).dump());
  response.headers["Cache-Control"] = "private, max-age=3600";
  return response;
}

}  // namespace relais::adapter
