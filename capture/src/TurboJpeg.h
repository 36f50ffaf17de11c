#pragma once
// RAII handles for TurboJPEG (libjpeg-turbo 2.1 API), private to relais_capture.
#include <turbojpeg.h>

#include <memory>
#include <string>

#include "relais/capture/CaptureError.h"

namespace relais::capture {

struct TjHandleDeleter {
  void operator()(void* handle) const { tjDestroy(handle); }
};
using TjHandle = std::unique_ptr<void, TjHandleDeleter>;

inline TjHandle makeTj(tjhandle (*init)()) {
  TjHandle handle(init());
  if (!handle) throw CaptureError(std::string("TurboJPEG initialisation failed: ") + tjGetErrorStr2(nullptr));
  return handle;
}

struct TjBufferDeleter {
  void operator()(unsigned char* buffer) const { tjFree(buffer); }
};
using TjBuffer = std::unique_ptr<unsigned char, TjBufferDeleter>;

inline std::string tjError(void* handle) { return tjGetErrorStr2(handle); }

}  // namespace relais::capture
