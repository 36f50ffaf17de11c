#pragma once
// One frame's bytes read straight from a stored DICOM file: the header first (a few
// kilobytes, more only when the file needs them), then just the frame. The file is reached
// through a reader, so this is the same for a file on disk and for bytes in memory.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "rendering/DicomLayout.h"
#include "rendering/FrameDescription.h"

namespace relais::rendering {

// Returns `length` bytes from `offset`, fewer only at the end of the file.
using ReadBytes = std::function<std::string(uint64_t offset, size_t length)>;

struct StoredFrames {
  DicomLayout layout;
  FrameDescription description;
  uint64_t fileSize = 0;
};

// Walks the header of a file of `fileSize` bytes up to Pixel Data, reading a few kilobytes
// (more only when the header needs them). Throws std::runtime_error naming the problem when
// the file is not one DicomLayout walks or has no Pixel Data (the caller then lets Orthanc
// read it).
DicomLayout ReadStoredLayout(const ReadBytes& read, uint64_t fileSize);

// ReadStoredLayout and the frames it describes.
StoredFrames DescribeStoredFile(const ReadBytes& read, uint64_t fileSize);

// The file's bytes in front of Pixel Data: a complete Part 10 file of every attribute but the
// pixels (and any after them), which any DICOM parser reads. Throws like ReadStoredLayout.
std::string StoredHeaderBytes(const ReadBytes& read, uint64_t fileSize);

struct ByteRange {
  uint64_t offset = 0;
  size_t length = 0;
};

// Where native frame `frame` lies in the file; nothing for encapsulated pixel data. Throws
// std::runtime_error when the frame lies beyond Pixel Data or the file.
std::optional<ByteRange> NativeFrameRange(const StoredFrames& stored, unsigned frame);

// Frame `frame` as Orthanc's /frames/{n}/raw would give it: a native frame's bytes, or the
// fragments of a single-frame encapsulated image joined. Nothing for layouts read better by
// Orthanc (several encapsulated frames). Throws std::runtime_error when the file is shorter
// than its header says.
std::optional<std::string> ReadStoredFrame(const ReadBytes& read, const StoredFrames& stored, unsigned frame);

}  // namespace relais::rendering
