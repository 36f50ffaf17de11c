#include "adapter/OrthancApi.h"

#include <orthanc/OrthancCPlugin.h>

#include <stdexcept>

#include "adapter/OrthancContext.h"

namespace relais::adapter {

namespace {

class Buffer {
 public:
  Buffer() { buffer_.data = nullptr; buffer_.size = 0; }
  ~Buffer() {
    if (buffer_.data != nullptr) OrthancPluginFreeMemoryBuffer(Context(), &buffer_);
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  OrthancPluginMemoryBuffer* get() { return &buffer_; }
  std::string text() const {
    return buffer_.data == nullptr ? std::string() : std::string(static_cast<const char*>(buffer_.data), buffer_.size);
  }

 private:
  OrthancPluginMemoryBuffer buffer_;
};

}  // namespace

std::optional<nlohmann::json> TryGetJson(const std::string& uri) {
  Buffer b;
  if (OrthancPluginRestApiGet(Context(), b.get(), uri.c_str()) != OrthancPluginErrorCode_Success) return std::nullopt;
  return nlohmann::json::parse(b.text());
}

std::optional<std::string> TryGetText(const std::string& uri) {
  Buffer b;
  if (OrthancPluginRestApiGet(Context(), b.get(), uri.c_str()) != OrthancPluginErrorCode_Success) return std::nullopt;
  return b.text();
}

nlohmann::json GetJson(const std::string& uri) {
  auto j = TryGetJson(uri);
  if (!j) throw std::runtime_error("Orthanc refused GET " + uri);
  return *j;
}

std::optional<nlohmann::json> TryPostJson(const std::string& uri, const std::string& body) {
  Buffer b;
  if (OrthancPluginRestApiPost(Context(), b.get(), uri.c_str(), body.data(), static_cast<uint32_t>(body.size())) !=
      OrthancPluginErrorCode_Success) {
    return std::nullopt;
  }
  return nlohmann::json::parse(b.text());
}

OrthancAnswer Post(const std::string& uri, const std::string& body) {
  Buffer b;
  const OrthancPluginErrorCode code = OrthancPluginRestApiPost(Context(), b.get(), uri.c_str(), body.data(),
                                                               static_cast<uint32_t>(body.size()));
  OrthancAnswer answer;
  answer.errorCode = static_cast<int>(code);
  if (code != OrthancPluginErrorCode_Success) answer.error = OrthancPluginGetErrorDescription(Context(), code);
  answer.body = b.text();
  return answer;
}

}  // namespace relais::adapter
