#pragma once
// The name the domain's routes and access policy use for an Orthanc HTTP method.
#include <orthanc/OrthancCPlugin.h>

namespace relais::adapter {

inline const char* HttpMethodName(OrthancPluginHttpMethod method) {
  switch (method) {
    case OrthancPluginHttpMethod_Get: return "GET";
    case OrthancPluginHttpMethod_Post: return "POST";
    case OrthancPluginHttpMethod_Put: return "PUT";
    case OrthancPluginHttpMethod_Delete: return "DELETE";
    default: return "UNKNOWN";
  }
}

}  // namespace relais::adapter
