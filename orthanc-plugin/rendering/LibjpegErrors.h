#pragma once
// libjpeg reports fatal errors through a callback that must not return: it jumps back to the
// decoding function, which must therefore keep no C++ object with a destructor in its frame.
#include <csetjmp>
#include <cstdio>

#include <jpeglib.h>

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

}  // namespace relais::rendering
