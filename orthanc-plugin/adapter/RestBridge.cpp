#include "adapter/RestBridge.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "adapter/HttpMethodName.h"
#include "adapter/OrthancContext.h"
#include "domain/BodyLimits.h"
#include "domain/HttpError.h"
#include "domain/QueryString.h"
#include "domain/Utf8.h"

namespace relais::adapter {

namespace {

const Router* g_router = nullptr;
const BodyLimits* g_bodyLimits = nullptr;

bool IsJson(const std::string& contentType) {
  const std::string type = contentType.substr(0, contentType.find(';'));
  return type == "application/json" || (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0);
}

// Bytes that are not UTF-8 are refused here, once, for every route: kept, they would make any
// later JSON answer or log line that quotes them fail (a 500 for the client's mistake).
// Binary bodies (DICOM, pieces of an upload) are not text and pass as they are.
HttpRequest ToRequest(const char* url, const OrthancPluginHttpRequest* request) {
  HttpRequest r;
  r.method = HttpMethodName(request->method);
  r.path = url;
  if (!IsUtf8(r.path)) throw BadRequest("the path is not valid UTF-8");
  for (uint32_t i = 0; i < request->getCount; ++i) {
    std::string key = DecodeQueryComponent(request->getKeys[i]);
    std::string value = DecodeQueryComponent(request->getValues[i]);
    if (!IsUtf8(key)) throw BadRequest("a parameter name of the query is not valid UTF-8");
    if (!IsUtf8(value)) throw BadRequest("the query's parameter '" + key + "' is not valid UTF-8");
    r.query[std::move(key)] = std::move(value);
  }
  for (uint32_t i = 0; i < request->headersCount; ++i) {
    std::string name = request->headersKeys[i];
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    r.headers[name] = request->headersValues[i];
  }
  // Checked before the body is copied; the request filter already refused what it could
  // before Orthanc read the body.
  const auto limit = g_bodyLimits ? BodyLimitOf(*g_bodyLimits, r.method, r.path) : std::nullopt;
  if (limit && static_cast<int64_t>(request->bodySize) > limit->bytes) {
    throw HttpError(413, TooLargeMessage(static_cast<int64_t>(request->bodySize), *limit),
                    {{"limitBytes", limit->bytes}});
  }
  if (request->body != nullptr && request->bodySize > 0) {
    r.body.assign(static_cast<const char*>(request->body), request->bodySize);
  }
  const auto contentType = r.headers.find("content-type");
  if (contentType != r.headers.end() && IsJson(contentType->second) && !IsUtf8(r.body)) {
    throw BadRequest("the JSON body is not valid UTF-8");
  }
  return r;
}

void Send(OrthancPluginRestOutput* output, const HttpResponse& response) {
  OrthancPluginContext* context = Context();
  for (const auto& [name, value] : response.headers) {
    OrthancPluginSetHttpHeader(context, output, name.c_str(), value.c_str());
  }
  if ((response.status == 200 || response.status == 206) && !response.compressible) {
    // Orthanc gzips every AnswerBuffer a browser accepts gzip for; a body sent as a status
    // goes out as it is (Orthanc 1.10.1 HttpOutput::SendStatus).
    OrthancPluginSetHttpHeader(context, output, "Content-Type", response.contentType.c_str());
    OrthancPluginSendHttpStatus(context, output, static_cast<uint16_t>(response.status), response.body.data(),
                                response.body.size());
  } else if (response.status == 200) {
    OrthancPluginAnswerBuffer(context, output, response.body.data(), response.body.size(),
                              response.contentType.c_str());
  } else if (response.status == 401) {
    OrthancPluginSendUnauthorized(context, output, "Relais");
  } else if (response.status == 204 || response.status == 304) {
    OrthancPluginSendHttpStatusCode(context, output, static_cast<uint16_t>(response.status));
  } else {
    OrthancPluginSetHttpHeader(context, output, "Content-Type", response.contentType.c_str());
    OrthancPluginSendHttpStatus(context, output, static_cast<uint16_t>(response.status), response.body.data(),
                                response.body.size());
  }
}

// Never throws: a message quoting the client's bytes (a JSON parser's) is answered with
// U+FFFD in place of what is not UTF-8.
HttpResponse ErrorResponse(int status, const std::string& message,
                           const nlohmann::json& details = nlohmann::json::object()) {
  nlohmann::json body = details.is_object() ? details : nlohmann::json::object();
  body["error"] = message;
  body["status"] = status;
  HttpResponse response =
      HttpResponse::Json(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), status);
  if (body.contains("retryAfterSeconds")) response.headers["Retry-After"] = body["retryAfterSeconds"].dump();
  return response;
}

}  // namespace

void InstallRouter(const Router* router, const BodyLimits* limits) {
  g_router = router;
  g_bodyLimits = limits;
}

OrthancPluginErrorCode ServeRelaisRoute(OrthancPluginRestOutput* output, const char* url,
                                        const OrthancPluginHttpRequest* request) {
  HttpResponse response;
  try {
    HttpRequest r = ToRequest(url, request);
    response = g_router->dispatch(r);
  } catch (const HttpError& e) {
    response = ErrorResponse(e.status(), e.what(), e.details());
  } catch (const nlohmann::json::exception& e) {
    // Malformed or mistyped JSON in a request body is the client's mistake.
    response = ErrorResponse(400, std::string("invalid JSON: ") + e.what());
  } catch (const std::exception& e) {
    OrthancPluginLogError(Context(), (std::string("Relais: ") + url + ": " + e.what()).c_str());
    response = ErrorResponse(500, e.what());
  }
  Send(output, response);
  return OrthancPluginErrorCode_Success;
}

}  // namespace relais::adapter
