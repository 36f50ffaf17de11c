#include <gtest/gtest.h>

#include "rendering/FrameDescription.h"

using namespace relais::rendering;

namespace {
nlohmann::json Grey16Tags() {
  return {{"0028,0004", "MONOCHROME1 "}, {"0028,0010", "2"}, {"0028,0011", "3"}, {"0028,0002", "1"},
          {"0028,0100", "16"},          {"0028,0101", "12"}, {"0028,0102", "11"}, {"0028,0103", "0"},
          {"0028,1050", "40\\80"},      {"0028,1051", "400\\800"}, {"0028,1052", "-1024"}, {"0028,1053", "1"}};
}
}  // namespace

TEST(FrameDescription, ReadsLayoutAndGreyModelFromShortTags) {
  FrameDescription d = DescribeFrames(Grey16Tags(), "1.2.840.10008.1.2.1");
  EXPECT_EQ(d.photometric, "MONOCHROME1");
  EXPECT_EQ(d.rows, 2);
  EXPECT_EQ(d.columns, 3);
  EXPECT_EQ(d.bitsStored, 12);
  EXPECT_EQ(d.frames, 1);
  EXPECT_TRUE(d.grey.monochrome1);
  EXPECT_DOUBLE_EQ(*d.grey.windowCenter, 40);  // first of several windows
  EXPECT_DOUBLE_EQ(*d.grey.windowWidth, 400);
  EXPECT_DOUBLE_EQ(d.grey.rescaleIntercept, -1024);
  EXPECT_TRUE(d.isPlainNative());
  EXPECT_FALSE(d.isJpegBaseline());
}

TEST(FrameDescription, OnlyPlainLittleEndianLayoutsAreReadDirectly) {
  EXPECT_FALSE(DescribeFrames(Grey16Tags(), "1.2.840.10008.1.2.2").isPlainNative());   // big endian
  EXPECT_FALSE(DescribeFrames(Grey16Tags(), "1.2.840.10008.1.2.5").isPlainNative());   // RLE
  // JPEG-LS lossless, as relais-capture stores grey images: Orthanc decodes it.
  EXPECT_FALSE(DescribeFrames(Grey16Tags(), "1.2.840.10008.1.2.4.80").isPlainNative());
  EXPECT_FALSE(DescribeFrames(Grey16Tags(), "1.2.840.10008.1.2.4.80").isJpegBaseline());
  nlohmann::json palette = Grey16Tags();
  palette["0028,0004"] = "PALETTE COLOR";
  EXPECT_FALSE(DescribeFrames(palette, "1.2.840.10008.1.2.1").isPlainNative());
  EXPECT_FALSE(DescribeFrames(palette, "1.2.840.10008.1.2.4.50").isJpegBaseline());
  nlohmann::json odd = Grey16Tags();
  odd["0028,0102"] = "15";  // high bit not at bitsStored - 1
  EXPECT_FALSE(DescribeFrames(odd, "1.2.840.10008.1.2.1").isPlainNative());
}

TEST(FrameDescription, ClearsBitsAboveHighBit) {
  FrameDescription d = DescribeFrames(Grey16Tags(), "1.2.840.10008.1.2.1");
  const uint16_t values[6] = {0xF001, 0x0FFF, 0x1000, 0, 5, 0xFFFF};
  cv::Mat m = ReadNativeFrame(std::string(reinterpret_cast<const char*>(values), sizeof(values)), d);
  ASSERT_EQ(m.type(), CV_16UC1);
  EXPECT_EQ(m.at<uint16_t>(0, 0), 0x001);
  EXPECT_EQ(m.at<uint16_t>(0, 1), 0xFFF);
  EXPECT_EQ(m.at<uint16_t>(0, 2), 0);
  EXPECT_EQ(m.at<uint16_t>(1, 2), 0xFFF);
}

TEST(FrameDescription, SignExtendsSignedValues) {
  nlohmann::json tags = Grey16Tags();
  tags["0028,0103"] = "1";
  FrameDescription d = DescribeFrames(tags, "1.2.840.10008.1.2.1");
  const uint16_t values[6] = {0x0FFF, 0x0800, 0x07FF, 0, 1, 0xFFFF};
  cv::Mat m = ReadNativeFrame(std::string(reinterpret_cast<const char*>(values), sizeof(values)), d);
  ASSERT_EQ(m.type(), CV_16SC1);
  EXPECT_EQ(m.at<int16_t>(0, 0), -1);
  EXPECT_EQ(m.at<int16_t>(0, 1), -2048);
  EXPECT_EQ(m.at<int16_t>(0, 2), 2047);
}

TEST(FrameDescription, PlanarRgbIsInterleaved) {
  nlohmann::json tags = {{"0028,0004", "RGB"}, {"0028,0010", "1"}, {"0028,0011", "2"}, {"0028,0002", "3"},
                         {"0028,0100", "8"},   {"0028,0101", "8"}, {"0028,0102", "7"}, {"0028,0006", "1"}};
  FrameDescription d = DescribeFrames(tags, "1.2.840.10008.1.2");
  const std::string planes = {'\x0A', '\x0B', '\x14', '\x15', '\x1E', '\x1F'};  // RR GG BB
  cv::Mat m = ReadNativeFrame(planes, d);
  EXPECT_EQ(m.at<cv::Vec3b>(0, 0), cv::Vec3b(10, 20, 30));
  EXPECT_EQ(m.at<cv::Vec3b>(0, 1), cv::Vec3b(11, 21, 31));
}

TEST(FrameDescription, TooFewBytesIsAnError) {
  FrameDescription d = DescribeFrames(Grey16Tags(), "1.2.840.10008.1.2.1");
  EXPECT_THROW(ReadNativeFrame(std::string(5, '\0'), d), std::runtime_error);
}

// Values usable as stored are viewed, not copied (a 15 MB radiograph read once); values
// that need work are copied, and the stored bytes stay as they were.
TEST(FrameDescription, ViewsUsableValuesAndCopiesTheOthers) {
  nlohmann::json full = Grey16Tags();
  full["0028,0101"] = "16";
  full["0028,0102"] = "15";
  const uint16_t values[6] = {0xF001, 0x0FFF, 0x1000, 0, 5, 0xFFFF};
  const std::string bytes(reinterpret_cast<const char*>(values), sizeof(values));
  const cv::Mat viewed = NativeFrameValues(bytes, DescribeFrames(full, "1.2.840.10008.1.2.1"));
  EXPECT_EQ(viewed.data, reinterpret_cast<const uchar*>(bytes.data()));
  EXPECT_EQ(viewed.at<uint16_t>(0, 0), 0xF001);
  const cv::Mat owned = ReadNativeFrame(bytes, DescribeFrames(full, "1.2.840.10008.1.2.1"));
  EXPECT_NE(owned.data, reinterpret_cast<const uchar*>(bytes.data()));
  EXPECT_EQ(owned.at<uint16_t>(0, 0), 0xF001);

  const cv::Mat masked = NativeFrameValues(bytes, DescribeFrames(Grey16Tags(), "1.2.840.10008.1.2.1"));
  EXPECT_NE(masked.data, reinterpret_cast<const uchar*>(bytes.data()));
  EXPECT_EQ(masked.at<uint16_t>(0, 0), 0x001);
  EXPECT_EQ(bytes, std::string(reinterpret_cast<const char*>(values), sizeof(values)));
}
