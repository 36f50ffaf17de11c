#pragma once
// libjpeg's own API, where the renderer needs more than TurboJPEG offers (decoding in bands).
// libjpeg reports fatal errors through a callback that must not return: it jumps back to the
// decoding function, which must therefore keep no C++ object with a destructor in its frame.
#include <csetjmp>
#include <cstdio>

#include <jpeglib.h>
#include <opencv2/core.hpp>

#include "rendering/RenderGeometry.h"

namespace relais::rendering {

struct LibjpegErrorJump {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

// Installs the jump on `cinfo`; warnings are counted by libjpeg (err->num_warnings), not printed.
inline jpeg_error_mgr* JumpOnLibjpegError(LibjpegErrorJump& error) {
  jpeg_std_error(&error.manager);
  error.manager.error_exit = [](j_common_ptr cinfo) {
    auto* self = reinterpret_cast<LibjpegErrorJump*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, self->message);
    std::longjmp(self->jump, 1);
  };
  error.manager.output_message = [](j_common_ptr) {};
  return &error.manager;
}

// After jpeg_read_header: starts decoding as the renderer does everywhere (DCT-scaled by
// `factor`, fast DCT, grey or RGB into an image of type `outType`, CV_8UC1 or CV_8UC3). False,
// the reason in error.message, when the JPEG is of another colour model than `outType` wants.
// May jump out through `error` like any libjpeg call.
inline bool StartRenderDecoding(jpeg_decompress_struct& cinfo, ScalingFactor factor, int outType,
                                LibjpegErrorJump& error) {
  const bool grey = cinfo.jpeg_color_space == JCS_GRAYSCALE && cinfo.num_components == 1;
  const bool colour = (cinfo.jpeg_color_space == JCS_YCbCr || cinfo.jpeg_color_space == JCS_RGB) &&
                      cinfo.num_components == 3;
  if (!(grey ? outType == CV_8UC1 : colour && outType == CV_8UC3)) {
    std::snprintf(error.message, sizeof(error.message), "colour model not decoded in bands");
    return false;
  }
  cinfo.scale_num = static_cast<unsigned>(factor.num);
  cinfo.scale_denom = static_cast<unsigned>(factor.denom);
  cinfo.dct_method = JDCT_IFAST;  // as DecodeJpeg: the result is shrunk afterwards
  cinfo.out_color_space = grey ? JCS_GRAYSCALE : JCS_EXT_RGB;
  jpeg_start_decompress(&cinfo);
  return true;
}

}  // namespace relais::rendering
