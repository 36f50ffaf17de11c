#pragma once
// Owners of what the Orthanc plugin SDK hands out, each freed with its own SDK call.
#include "adapter/OrthancContext.h"

namespace relais::adapter {

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

struct OrthancString {
  char* text = nullptr;
  ~OrthancString() {
    if (text != nullptr) OrthancPluginFreeString(Context(), text);
  }
};

}  // namespace relais::adapter
