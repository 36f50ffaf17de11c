#include "adapter/RenderedFrameRoute.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "adapter/OrthancContext.h"
#include "domain/HttpError.h"
#include "rendering/FrameRenderer.h"
#include "rendering/RenderRequest.h"

namespace relais::adapter {

namespace {

constexpr const char* kJpegBaseline = "1.2.840.10008.1.2.4.50";
// Bumped whenever rendering changes what it produces, so browsers drop old ETags.
constexpr const char* kRendererVersion = "r1";

struct DicomFile {
  OrthancPluginMemoryBuffer buffer{};
  ~DicomFile() {
    if (buffer.data != nullptr) OrthancPluginFreeMemoryBuffer(Context(), &buffer);
  }
};

struct ParsedInstance {
  OrthancPluginDicomInstance* instance = nullptr;
  ~ParsedInstance() {
    if (instance != nullptr) OrthancPluginFreeDicomInstance(Context(), instance);
  }
};

struct DecodedImage {
  OrthancPluginImage* image = nullptr;
  ~DecodedImage() {
    if (image != nullptr) OrthancPluginFreeImage(Context(), image);
  }
};

std::string TakeString(char* s) {
  if (s == nullptr) return {};
  std::string out(s);
  OrthancPluginFreeString(Context(), s);
  return out;
}

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

// First value of a possibly multi-valued DS/IS attribute ("40\80" -> 40).
std::optional<double> FirstNumber(const nlohmann::json& tags, const char* tag) {
  auto it = tags.find(tag);
  if (it == tags.end() || !it->is_string()) return std::nullopt;
  std::string text = it->get<std::string>();
  text = text.substr(0, text.find('\\'));
  try {
    size_t used = 0;
    double v = std::stod(text, &used);
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string Text(const nlohmann::json& tags, const char* tag) {
  auto it = tags.find(tag);
  if (it == tags.end() || !it->is_string()) return {};
  std::string s = it->get<std::string>();
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

rendering::GreyscaleModel ModelFromTags(const nlohmann::json& tags) {
  rendering::GreyscaleModel m;
  if (auto v = FirstNumber(tags, "0028,1053"); v && *v != 0) m.rescaleSlope = *v;
  if (auto v = FirstNumber(tags, "0028,1052")) m.rescaleIntercept = *v;
  m.monochrome1 = Text(tags, "0028,0004") == "MONOCHROME1";
  m.windowCenter = FirstNumber(tags, "0028,1050");
  m.windowWidth = FirstNumber(tags, "0028,1051");
  if (!m.windowCenter || !m.windowWidth) m.windowCenter = m.windowWidth = std::nullopt;
  return m;
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

RenderedFrameRoute::RenderedFrameRoute(size_t cacheBytes, InstanceAccess access)
    : cache_(cacheBytes), access_(std::move(access)) {}

HttpResponse RenderedFrameRoute::serve(const HttpRequest& request) {
  const std::string& id = request.param("id");
  if (!LooksLikeOrthancId(id)) throw NotFound("no such instance: " + id);
  const unsigned frame = ParseFrame(request.param("n"));
  const rendering::RenderRequest r = rendering::ParseRenderRequest(request.query);
  if (access_) access_(request, id);

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
  response.body = *jpeg;
  return response;
}

std::string RenderedFrameRoute::render(const std::string& id, unsigned frame, const rendering::RenderRequest& r) {
  OrthancPluginContext* c = Context();
  DicomFile file;
  if (OrthancPluginGetDicomForInstance(c, &file.buffer, id.c_str()) != OrthancPluginErrorCode_Success) {
    throw NotFound("no such instance: " + id);
  }
  ParsedInstance parsed;
  parsed.instance = OrthancPluginCreateDicomInstance(c, file.buffer.data, file.buffer.size);
  if (parsed.instance == nullptr) throw HttpError(422, "instance " + id + " is not a readable DICOM file");

  const uint32_t frames = OrthancPluginGetInstanceFramesCount(c, parsed.instance);
  if (frame >= frames) {
    throw NotFound("instance " + id + " has " + std::to_string(frames) + " frame(s); no frame " +
                   std::to_string(frame));
  }
  const auto flags = static_cast<OrthancPluginDicomToJsonFlags>(OrthancPluginDicomToJsonFlags_StopAfterPixelData |
                                                                OrthancPluginDicomToJsonFlags_SkipGroupLengths);
  const nlohmann::json tags = nlohmann::json::parse(
      TakeString(OrthancPluginGetInstanceAdvancedJson(c, parsed.instance, OrthancPluginDicomToJsonFormat_Short,
                                                      flags, 64)));
  const rendering::GreyscaleModel model = ModelFromTags(tags);

  const std::string syntax = TakeString(OrthancPluginGetInstanceTransferSyntaxUid(c, parsed.instance));
  const std::string photometric = Text(tags, "0028,0004");
  if (syntax == kJpegBaseline && photometric != "PALETTE COLOR") {
    OrthancPluginMemoryBuffer raw{};
    if (OrthancPluginGetInstanceRawFrame(c, &raw, parsed.instance, frame) == OrthancPluginErrorCode_Success) {
      std::string bytes(static_cast<const char*>(raw.data), raw.size);
      OrthancPluginFreeMemoryBuffer(c, &raw);
      try {
        return rendering::RenderJpeg(bytes, model, r);
      } catch (const std::runtime_error&) {
        // Fall through: Orthanc's decoder either copes or names the problem.
      }
    }
  }

  DecodedImage decoded;
  decoded.image = OrthancPluginGetInstanceDecodedFrame(c, parsed.instance, frame);
  if (decoded.image == nullptr) {
    throw HttpError(415, "Orthanc cannot decode frame " + std::to_string(frame) + " of instance " + id +
                             " (transfer syntax " + syntax + ")");
  }
  cv::Mat pixels = AsMat(decoded.image);
  // Orthanc's decoder already turns PALETTE COLOR and YBR into RGB; the grey model only
  // applies to one-channel frames.
  return rendering::RenderPixels(pixels, model, r);
}

}  // namespace relais::adapter
