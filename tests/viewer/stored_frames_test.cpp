// Reading frames straight from stored files: the header walk and the frame slices checked
// against what DCMTK itself reads from the same files.
#include <gtest/gtest.h>

#include <fstream>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "TestImages.h"
#include "harness/Files.h"
#include "harness/TempDir.h"
#include "rendering/StoredFrames.h"

using namespace relais::rendering;
using relais::test::GreyOptions;
using relais::test::ReadFile;

namespace {

ReadBytes FromMemory(const std::string& bytes) {
  return [&bytes](uint64_t offset, size_t length) {
    return offset >= bytes.size() ? std::string() : bytes.substr(offset, length);
  };
}

DcmFileFormat Load(const std::filesystem::path& file) {
  DcmFileFormat f;
  EXPECT_TRUE(f.loadFile(file.c_str()).good());
  return f;
}

std::string NativePixels(const std::filesystem::path& file) {
  DcmFileFormat f = Load(file);
  const Uint8* data = nullptr;
  unsigned long count = 0;
  EXPECT_TRUE(f.getDataset()->findAndGetUint8Array(DCM_PixelData, data, &count).good());
  return std::string(reinterpret_cast<const char*>(data), count);
}

void Save(DcmFileFormat& f, const std::filesystem::path& file, E_TransferSyntax syntax, E_EncodingType encoding) {
  ASSERT_TRUE(f.saveFile(file.c_str(), syntax, encoding).good());
}

// Every little-endian encoding a sender may use: implicit or explicit VR, sequences and items
// of defined or undefined length.
const struct {
  const char* name;
  E_TransferSyntax syntax;
  E_EncodingType encoding;
} kLittleEndianEncodings[] = {{"implicit-undefined.dcm", EXS_LittleEndianImplicit, EET_UndefinedLength},
                              {"implicit-explicit.dcm", EXS_LittleEndianImplicit, EET_ExplicitLength},
                              {"explicit-undefined.dcm", EXS_LittleEndianExplicit, EET_UndefinedLength},
                              {"explicit-explicit.dcm", EXS_LittleEndianExplicit, EET_ExplicitLength}};

class StoredFramesTest : public ::testing::Test {
 protected:
  relais::test::TempDir dir_{"relais-stored-frames"};
};

}  // namespace

TEST_F(StoredFramesTest, Grey16FrameIsTheStoredPixelData) {
  GreyOptions options;
  options.window = "2048\\4096";
  options.rescaleIntercept = -1024;
  relais::test::WriteGrey16(dir_ / "grey.dcm", options);
  const std::string bytes = ReadFile(dir_ / "grey.dcm");

  const StoredFrames stored = DescribeStoredFile(FromMemory(bytes), bytes.size());
  const FrameDescription& d = stored.description;
  EXPECT_EQ(d.transferSyntax, "1.2.840.10008.1.2.1");
  EXPECT_EQ(d.rows, 128);
  EXPECT_EQ(d.columns, 256);
  EXPECT_EQ(d.bitsAllocated, 16);
  EXPECT_EQ(d.bitsStored, 12);
  EXPECT_EQ(d.photometric, "MONOCHROME2");
  EXPECT_DOUBLE_EQ(*d.grey.windowCenter, 2048);
  EXPECT_DOUBLE_EQ(d.grey.rescaleIntercept, -1024);
  EXPECT_FALSE(d.studyInstanceUid.empty());
  EXPECT_TRUE(d.isPlainNative());

  const auto frame = ReadStoredFrame(FromMemory(bytes), stored, 0);
  ASSERT_TRUE(frame);
  EXPECT_EQ(*frame, NativePixels(dir_ / "grey.dcm"));
  EXPECT_THROW(ReadStoredFrame(FromMemory(bytes), stored, 1), std::runtime_error);
}

TEST_F(StoredFramesTest, EachFrameOfAClipIsItsOwnSlice) {
  relais::test::WriteRgb(dir_ / "clip.dcm", 64, 48, 4);
  const std::string bytes = ReadFile(dir_ / "clip.dcm");
  const StoredFrames stored = DescribeStoredFile(FromMemory(bytes), bytes.size());
  EXPECT_EQ(stored.description.frames, 4);
  EXPECT_EQ(stored.description.samplesPerPixel, 3);
  const std::string all = NativePixels(dir_ / "clip.dcm");
  const size_t frameBytes = 64 * 48 * 3;
  for (unsigned k = 0; k < 4; ++k) {
    EXPECT_EQ(*ReadStoredFrame(FromMemory(bytes), stored, k), all.substr(k * frameBytes, frameBytes)) << k;
  }
  EXPECT_THROW(ReadStoredFrame(FromMemory(bytes), stored, 4), std::runtime_error);
}

// An icon (with Pixel Data of its own, inside a sequence) and a large private element before
// the frame's Pixel Data, in implicit and explicit VR, with sequences of undefined and of
// explicit length: the walk must skip all of it and take the outer attributes.
TEST_F(StoredFramesTest, SequencesIconsAndLargeElementsBeforePixelDataAreSkipped) {
  relais::test::WriteGrey16(dir_ / "plain.dcm", GreyOptions{});
  DcmFileFormat f = Load(dir_ / "plain.dcm");
  DcmItem* icon = nullptr;
  ASSERT_TRUE(f.getDataset()->findOrCreateSequenceItem(DCM_IconImageSequence, icon, -2).good());
  icon->putAndInsertUint16(DCM_Rows, 4);
  icon->putAndInsertUint16(DCM_Columns, 4);
  icon->putAndInsertUint16(DCM_BitsAllocated, 8);
  const Uint8 iconPixels[16] = {1};
  icon->putAndInsertUint8Array(DCM_PixelData, iconPixels, 16);
  DcmItem* nested = nullptr;  // a sequence inside the item
  ASSERT_TRUE(icon->findOrCreateSequenceItem(DCM_ReferencedImageSequence, nested, -2).good());
  nested->putAndInsertString(DCM_ReferencedSOPInstanceUID, "1.2.3.4");
  const std::string big(100 * 1024, 'x');  // beyond the first read of the header
  f.getDataset()->putAndInsertUint8Array(DcmTag(0x0029, 0x1010, EVR_OB), reinterpret_cast<const Uint8*>(big.data()),
                                         big.size());
  f.getDataset()->putAndInsertString(DcmTag(0x0029, 0x0010, EVR_LO), "RELAIS TEST");

  for (const auto& v : kLittleEndianEncodings) {
    Save(f, dir_ / v.name, v.syntax, v.encoding);
    const std::string bytes = ReadFile(dir_ / v.name);
    const StoredFrames stored = DescribeStoredFile(FromMemory(bytes), bytes.size());
    EXPECT_EQ(stored.description.rows, 128) << v.name;
    EXPECT_EQ(stored.description.columns, 256) << v.name;
    EXPECT_EQ(stored.description.bitsStored, 12) << v.name;
    EXPECT_TRUE(stored.description.isPlainNative()) << v.name;
    EXPECT_EQ(*ReadStoredFrame(FromMemory(bytes), stored, 0), NativePixels(dir_ / v.name)) << v.name;
  }
}

// The viewer's measurements: Imager Pixel Spacing of an X-ray, and the calibrated regions of an
// ultrasound image read from inside their sequence, in every encoding a sender may use.
TEST_F(StoredFramesTest, CalibrationIsReadFromTheHeader) {
  GreyOptions options;
  relais::test::WriteGrey16(dir_ / "dx.dcm", options);
  DcmFileFormat dx = Load(dir_ / "dx.dcm");
  ASSERT_TRUE(dx.getDataset()->putAndInsertString(DCM_ImagerPixelSpacing, "0.2\\0.25").good());
  Save(dx, dir_ / "dx-spacing.dcm", EXS_LittleEndianExplicit, EET_ExplicitLength);
  std::string bytes = ReadFile(dir_ / "dx-spacing.dcm");
  const PixelCalibration xray = DescribeStoredFile(FromMemory(bytes), bytes.size()).description.calibration;
  ASSERT_TRUE(xray.spacing);
  EXPECT_DOUBLE_EQ(xray.spacing->rowMm, 0.2);
  EXPECT_DOUBLE_EQ(xray.spacing->columnMm, 0.25);
  EXPECT_EQ(xray.spacing->source, "ImagerPixelSpacing");

  relais::test::WriteRgb(dir_ / "us.dcm", 64, 48);
  DcmFileFormat us = Load(dir_ / "us.dcm");
  DcmItem* region = nullptr;
  // A first region in dB (a Doppler scale): not a distance, left out.
  ASSERT_TRUE(us.getDataset()->findOrCreateSequenceItem(DCM_SequenceOfUltrasoundRegions, region, -2).good());
  region->putAndInsertUint16(DCM_PhysicalUnitsXDirection, 2);
  region->putAndInsertUint16(DCM_PhysicalUnitsYDirection, 2);
  ASSERT_TRUE(us.getDataset()->findOrCreateSequenceItem(DCM_SequenceOfUltrasoundRegions, region, -2).good());
  region->putAndInsertUint32(DCM_RegionLocationMinX0, 4);
  region->putAndInsertUint32(DCM_RegionLocationMinY0, 6);
  region->putAndInsertUint32(DCM_RegionLocationMaxX1, 59);
  region->putAndInsertUint32(DCM_RegionLocationMaxY1, 40);
  region->putAndInsertUint16(DCM_PhysicalUnitsXDirection, 3);
  region->putAndInsertUint16(DCM_PhysicalUnitsYDirection, 3);
  region->putAndInsertFloat64(DCM_PhysicalDeltaX, 0.0125);
  region->putAndInsertFloat64(DCM_PhysicalDeltaY, 0.015);
  DcmItem* nested = nullptr;  // a sequence inside the item is skipped
  ASSERT_TRUE(region->findOrCreateSequenceItem(DCM_ReferencedImageSequence, nested, -2).good());
  nested->putAndInsertString(DCM_ReferencedSOPInstanceUID, "1.2.3.4");
  for (const auto& v : kLittleEndianEncodings) {
    Save(us, dir_ / v.name, v.syntax, v.encoding);
    bytes = ReadFile(dir_ / v.name);
    const FrameDescription d = DescribeStoredFile(FromMemory(bytes), bytes.size()).description;
    ASSERT_EQ(d.calibration.regions.size(), 1u) << v.name;
    const UltrasoundRegion& r = d.calibration.regions[0];
    EXPECT_EQ(r.x0, 4) << v.name;
    EXPECT_EQ(r.y0, 6) << v.name;
    EXPECT_EQ(r.x1, 59) << v.name;
    EXPECT_EQ(r.y1, 40) << v.name;
    EXPECT_DOUBLE_EQ(r.mmPerPixelX, 0.125) << v.name;
    EXPECT_DOUBLE_EQ(r.mmPerPixelY, 0.15) << v.name;
    ASSERT_TRUE(d.calibration.spacing) << v.name;
    EXPECT_EQ(d.calibration.spacing->source, "UltrasoundRegion") << v.name;
    EXPECT_EQ(d.columns, 64) << v.name;  // the attributes after the sequence are still read
    EXPECT_EQ(*ReadStoredFrame(FromMemory(bytes), DescribeStoredFile(FromMemory(bytes), bytes.size()), 0),
              NativePixels(dir_ / v.name))
        << v.name;
  }
}

TEST_F(StoredFramesTest, JpegPhotoIsItsFragmentsJoined) {
  relais::test::WriteJpegPhoto(dir_ / "photo.dcm", 320, 240);
  const std::string bytes = ReadFile(dir_ / "photo.dcm");
  const StoredFrames stored = DescribeStoredFile(FromMemory(bytes), bytes.size());
  EXPECT_TRUE(stored.description.isJpegBaseline());
  EXPECT_FALSE(stored.layout.pixelDataLength);

  DcmFileFormat f = Load(dir_ / "photo.dcm");
  DcmElement* element = nullptr;
  ASSERT_TRUE(f.getDataset()->findAndGetElement(DCM_PixelData, element).good());
  DcmPixelSequence* sequence = nullptr;
  ASSERT_TRUE(static_cast<DcmPixelData*>(element)
                  ->getEncapsulatedRepresentation(EXS_JPEGProcess1, nullptr, sequence)
                  .good());
  std::string expected;
  for (unsigned long i = 1; i < sequence->card(); ++i) {  // item 0: the offset table
    DcmPixelItem* item = nullptr;
    ASSERT_TRUE(sequence->getItem(item, i).good());
    Uint8* data = nullptr;
    ASSERT_TRUE(item->getUint8Array(data).good());
    expected.append(reinterpret_cast<const char*>(data), item->getLength());
  }
  const auto frame = ReadStoredFrame(FromMemory(bytes), stored, 0);
  ASSERT_TRUE(frame);
  EXPECT_EQ(*frame, expected);
  EXPECT_EQ(static_cast<unsigned char>((*frame)[0]), 0xFF);
  EXPECT_EQ(static_cast<unsigned char>((*frame)[1]), 0xD8);
}

TEST_F(StoredFramesTest, HeaderBytesAreTheWholeFileButItsPixels) {
  // What routing reads instead of the whole file: every attribute in front of Pixel Data,
  // sequences (with an icon's own Pixel Data) and large private elements included.
  relais::test::WriteGrey16(dir_ / "plain.dcm", GreyOptions{});
  DcmFileFormat f = Load(dir_ / "plain.dcm");
  DcmItem* icon = nullptr;
  ASSERT_TRUE(f.getDataset()->findOrCreateSequenceItem(DCM_IconImageSequence, icon, -2).good());
  const Uint8 iconPixels[16] = {7};
  icon->putAndInsertUint8Array(DCM_PixelData, iconPixels, 16);
  const std::string big(100 * 1024, 'x');  // beyond the first read of the header
  f.getDataset()->putAndInsertString(DcmTag(0x0029, 0x0010, EVR_LO), "RELAIS TEST");
  f.getDataset()->putAndInsertUint8Array(DcmTag(0x0029, 0x1010, EVR_OB), reinterpret_cast<const Uint8*>(big.data()),
                                         big.size());
  f.getDataset()->putAndInsertString(DCM_StationName, "VAN-07");
  for (const auto syntax : {EXS_LittleEndianImplicit, EXS_LittleEndianExplicit}) {
    const auto name = std::string(syntax == EXS_LittleEndianImplicit ? "implicit" : "explicit");
    Save(f, dir_ / (name + ".dcm"), syntax, EET_UndefinedLength);
    const std::string bytes = ReadFile(dir_ / (name + ".dcm"));
    const std::string header = StoredHeaderBytes(FromMemory(bytes), bytes.size());
    ASSERT_LT(header.size(), bytes.size() - 128 * 256 * 2) << name;  // the pixels are not in it
    std::ofstream(dir_ / (name + "-header.dcm"), std::ios::binary) << header;

    DcmFileFormat whole = Load(dir_ / (name + ".dcm"));
    DcmFileFormat front = Load(dir_ / (name + "-header.dcm"));
    DcmDataset& a = *whole.getDataset();
    DcmDataset& b = *front.getDataset();
    EXPECT_FALSE(b.tagExists(DCM_PixelData)) << name;
    EXPECT_EQ(b.card(), a.card() - 1) << name;  // everything else
    for (unsigned long i = 0; i < b.card(); ++i) {
      DcmElement* mine = b.getElement(i);
      DcmElement* theirs = nullptr;
      ASSERT_TRUE(a.findAndGetElement(mine->getTag(), theirs).good()) << name << " " << mine->getTag().toString();
      EXPECT_EQ(mine->getLength(), theirs->getLength()) << name << " " << mine->getTag().toString();
    }
    const char* station = nullptr;
    EXPECT_TRUE(b.findAndGetString(DCM_StationName, station).good());
    EXPECT_STREQ(station, "VAN-07");
    DcmItem* iconItem = nullptr;
    ASSERT_TRUE(b.findAndGetSequenceItem(DCM_IconImageSequence, iconItem, 0).good()) << name;
    EXPECT_TRUE(iconItem->tagExists(DCM_PixelData)) << name;  // the icon's own, inside the sequence
  }
  // No Pixel Data at all (a report, say): refused, the caller asks Orthanc.
  DcmFileFormat report;
  report.getDataset()->putAndInsertString(DCM_SOPClassUID, UID_BasicTextSRStorage);
  report.getDataset()->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4.5");
  Save(report, dir_ / "report.dcm", EXS_LittleEndianExplicit, EET_ExplicitLength);
  const std::string sr = ReadFile(dir_ / "report.dcm");
  EXPECT_THROW(StoredHeaderBytes(FromMemory(sr), sr.size()), std::runtime_error);
}

TEST_F(StoredFramesTest, BigEndianAndOtherFilesAreLeftToOrthancWithAReason) {
  relais::test::WriteGrey16(dir_ / "plain.dcm", GreyOptions{});
  DcmFileFormat f = Load(dir_ / "plain.dcm");
  Save(f, dir_ / "big.dcm", EXS_BigEndianExplicit, EET_ExplicitLength);
  const std::string big = ReadFile(dir_ / "big.dcm");
  try {
    DescribeStoredFile(FromMemory(big), big.size());
    FAIL() << "a big-endian file was walked";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("1.2.840.10008.1.2.2"), std::string::npos) << e.what();
  }
  const std::string text(4096, 'a');
  EXPECT_THROW(DescribeStoredFile(FromMemory(text), text.size()), std::runtime_error);
}

TEST_F(StoredFramesTest, TruncatedFilesAreRefusedNotMisread) {
  relais::test::WriteGrey16(dir_ / "plain.dcm", GreyOptions{});
  const std::string bytes = ReadFile(dir_ / "plain.dcm");
  const std::string headerOnly = bytes.substr(0, 300);
  EXPECT_THROW(DescribeStoredFile(FromMemory(headerOnly), headerOnly.size()), std::runtime_error);

  const std::string cut = bytes.substr(0, bytes.size() - 100);
  const StoredFrames stored = DescribeStoredFile(FromMemory(cut), cut.size());
  EXPECT_THROW(ReadStoredFrame(FromMemory(cut), stored, 0), std::runtime_error);
}
