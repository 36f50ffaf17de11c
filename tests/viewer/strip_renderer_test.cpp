// Rendering in strips must give exactly the bytes of rendering the whole frame.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cstring>

#include <opencv2/core.hpp>

#include "TestImages.h"
#include "harness/Files.h"
#include "harness/TempDir.h"
#include "rendering/FrameRenderer.h"
#include "rendering/StripRenderer.h"

using namespace relais::rendering;
using relais::test::GreyOptions;

namespace {

struct StoredFile {
  std::string bytes;
  StoredFrames frames;

  ReadInto reader() const {
    return [this](uint64_t offset, size_t length, void* target) {
      const size_t n = offset >= bytes.size() ? 0 : std::min(length, bytes.size() - static_cast<size_t>(offset));
      std::memcpy(target, bytes.data() + offset, n);
      return n;
    };
  }
  std::string wholeRendering(const RenderRequest& r) const {
    const auto range = NativeFrameRange(frames, 0);
    return RenderPixels(ReadNativeFrame(std::string_view(bytes).substr(range->offset, range->length), frames.description),
                        frames.description.grey, r);
  }
};

class StripRendererTest : public ::testing::Test {
 protected:
  // Noise over every 16 bits: the bits above High Bit (12 stored) are set almost everywhere.
  StoredFile write(int width, int height, const GreyOptions& options, bool signedPixels = false) {
    cv::Mat values(height, width, CV_16UC1);
    cv::randu(values, 0, 65536);
    const std::string name = "grey" + std::to_string(count_++);
    auto file = dir_ / (name + ".dcm");
    relais::test::WriteGrey16(file, values, options);
    if (signedPixels) {
      DcmFileFormat f;  // read lazily: saved under another name, not over its own source
      EXPECT_TRUE(f.loadFile(file.c_str()).good());
      f.getDataset()->putAndInsertUint16(DCM_PixelRepresentation, 1);
      file = dir_ / (name + "-signed.dcm");
      EXPECT_TRUE(f.saveFile(file.c_str(), EXS_LittleEndianExplicit).good());
    }
    StoredFile stored;
    stored.bytes = relais::test::ReadFile(file);
    const std::string& bytes = stored.bytes;
    stored.frames = DescribeStoredFile(
        [&bytes](uint64_t offset, size_t length) { return bytes.substr(offset, length); }, bytes.size());
    return stored;
  }

  relais::test::TempDir dir_{"relais-strips"};
  int count_ = 0;
};

RenderRequest Width(int width) {
  RenderRequest r;
  r.width = width;
  return r;
}

}  // namespace

TEST_F(StripRendererTest, SameBytesAsTheWholeFrameWithEveryWindowSource) {
  GreyOptions windowed;
  windowed.window = "2048\\3000";
  const StoredFile fileWindow = write(1201, 907, windowed);  // odd sizes: trimmed edges, many strips
  const StoredFile noWindow = write(1201, 907, GreyOptions{});
  RenderRequest requested = Width(400);
  requested.windowCenter = 1000;
  requested.windowWidth = 500;

  for (const RenderRequest& r : {Width(400), Width(300), Width(133), requested}) {
    for (const StoredFile* f : {&fileWindow, &noWindow}) {
      const auto strips = RenderGreyInStrips(f->reader(), f->frames, 0, r);
      ASSERT_TRUE(strips) << r.width;
      EXPECT_EQ(*strips, f->wholeRendering(r)) << r.width;
    }
  }
}

TEST_F(StripRendererTest, SignedAndRescaledValuesToo) {
  GreyOptions rescaled;
  rescaled.rescaleSlope = 2;
  rescaled.rescaleIntercept = -1024;
  rescaled.monochrome1 = true;
  const StoredFile f = write(640, 2000, rescaled, true);
  ASSERT_TRUE(f.frames.description.signedPixels);
  const auto strips = RenderGreyInStrips(f.reader(), f.frames, 0, Width(200));
  ASSERT_TRUE(strips);
  EXPECT_EQ(*strips, f.wholeRendering(Width(200)));
}

TEST_F(StripRendererTest, LeavesFramesItCannotHelpToTheWholeFramePath) {
  const StoredFile f = write(600, 400, GreyOptions{});
  EXPECT_FALSE(RenderGreyInStrips(f.reader(), f.frames, 0, Width(400)));  // shrunk by less than half
  EXPECT_FALSE(RenderGreyInStrips(f.reader(), f.frames, 0, RenderRequest{}));  // full size
  EXPECT_TRUE(RenderGreyInStrips(f.reader(), f.frames, 0, Width(300)));
}

TEST_F(StripRendererTest, AFileShorterThanItsHeaderSaysIsAnError) {
  StoredFile f = write(600, 400, GreyOptions{});
  f.bytes.resize(f.bytes.size() - 1000);
  EXPECT_THROW(RenderGreyInStrips(f.reader(), f.frames, 0, Width(100)), std::runtime_error);
}
