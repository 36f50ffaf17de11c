#include "adapter/ViewerAssets.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "adapter/OrthancContext.h"
#include "domain/AssetPath.h"
#include "domain/HttpError.h"

#ifndef RELAIS_VIEWER_DIR
#error "RELAIS_VIEWER_DIR must name the viewer's folder"
#endif

namespace relais::adapter {

namespace {

std::string ContentTag(const std::string& bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : bytes) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  char text[24];
  std::snprintf(text, sizeof(text), "\"%016llx\"", static_cast<unsigned long long>(h));
  return text;
}

nlohmann::json RelaisSection() {
  char* text = OrthancPluginGetConfiguration(Context());
  if (text == nullptr) return nlohmann::json::object();
  nlohmann::json config = nlohmann::json::parse(text, nullptr, false);
  OrthancPluginFreeString(Context(), text);
  if (!config.is_object() || !config.contains("Relais") || !config["Relais"].is_object()) {
    return nlohmann::json::object();
  }
  return config["Relais"];
}

}  // namespace

ViewerAssets::ViewerAssets(std::filesystem::path root) : root_(std::move(root)) {}

HttpResponse ViewerAssets::serve(const HttpRequest& request, const std::string& relative) const {
  const auto clean = SafeAssetPath(relative);
  if (!clean) throw NotFound("no such viewer file: " + relative);
  const std::filesystem::path file = root_ / *clean;
  std::ifstream in(file, std::ios::binary);
  if (!in || std::filesystem::is_directory(file)) throw NotFound("no such viewer file: " + *clean);
  std::stringstream bytes;
  bytes << in.rdbuf();
  HttpResponse response;
  response.headers["ETag"] = ContentTag(bytes.str());
  response.headers["Cache-Control"] = "no-cache";
  response.headers["X-Content-Type-Options"] = "nosniff";
  auto inm = request.headers.find("if-none-match");
  if (inm != request.headers.end() && inm->second == response.headers["ETag"]) {
    response.status = 304;
    return response;
  }
  response.contentType = AssetMimeType(*clean);
  response.body = bytes.str();
  return response;
}

std::filesystem::path ConfiguredViewerDirectory() {
  const nlohmann::json relais = RelaisSection();
  if (relais.contains("ViewerDirectory")) {
    if (!relais["ViewerDirectory"].is_string()) {
      throw std::runtime_error("configuration Relais.ViewerDirectory: expected a folder path as a string");
    }
    return relais["ViewerDirectory"].get<std::string>();
  }
  return RELAIS_VIEWER_DIR;
}

size_t ConfiguredRenderCacheBytes() {
  const nlohmann::json relais = RelaisSection();
  if (relais.contains("RenderCacheMegabytes")) {
    const auto& v = relais["RenderCacheMegabytes"];
    if (!v.is_number_integer() || v.get<long long>() < 0) {
      throw std::runtime_error("configuration Relais.RenderCacheMegabytes: expected a non-negative integer");
    }
    return static_cast<size_t>(v.get<long long>()) * 1024 * 1024;
  }
  return 256u * 1024 * 1024;
}

}  // namespace relais::adapter
