#include "LibJpeg.h"

#include <algorithm>
#include <string>

#include "relais/capture/CaptureError.h"

namespace relais::capture {
namespace {

// libjpeg reports errors through a callback that must not return; throwing from it unwinds
// through libjpeg's frames (built with unwind tables on Debian), and the RAII owners release
// its memory.
[[noreturn]] void throwJpegError(j_common_ptr cinfo) {
  char message[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, message);
  throw CaptureError(std::string(cinfo->is_decompressor ? "the JPEG image data are damaged: "
                                                        : "the JPEG could not be written: ") +
                     message);
}

void onMessage(j_common_ptr cinfo, int level) {
  if (level < 0) throwJpegError(cinfo);
}

void throwingErrors(jpeg_error_mgr& errors) {
  jpeg_std_error(&errors);
  errors.error_exit = throwJpegError;
  errors.emit_message = onMessage;
}

JpegCompressor& owner(j_compress_ptr cinfo) { return *static_cast<JpegCompressor*>(cinfo->client_data); }

void initDestination(j_compress_ptr) {}

boolean growDestination(j_compress_ptr cinfo) {
  JpegCompressor& self = owner(cinfo);
  const std::size_t used = self.out->size();
  self.out->resize(used * 2);
  self.destination.next_output_byte = self.out->data() + used;
  self.destination.free_in_buffer = used;
  return TRUE;
}

void termDestination(j_compress_ptr cinfo) {
  JpegCompressor& self = owner(cinfo);
  self.out->resize(self.out->size() - self.destination.free_in_buffer);
}

}  // namespace

JpegDecompressor::JpegDecompressor() {
  throwingErrors(errors);
  info.err = &errors;
  jpeg_create_decompress(&info);
}

JpegDecompressor::~JpegDecompressor() { jpeg_destroy_decompress(&info); }

JpegCompressor::JpegCompressor(Bytes& target, std::size_t expectedSize) : out(&target) {
  throwingErrors(errors);
  info.err = &errors;
  jpeg_create_compress(&info);
  info.client_data = this;
  out->resize(std::max<std::size_t>(expectedSize, 64 * 1024));
  destination.next_output_byte = out->data();
  destination.free_in_buffer = out->size();
  destination.init_destination = initDestination;
  destination.empty_output_buffer = growDestination;
  destination.term_destination = termDestination;
  info.dest = &destination;
}

JpegCompressor::~JpegCompressor() { jpeg_destroy_compress(&info); }

}  // namespace relais::capture
