// Range requests on the binary answers a unit downloads (domain/ByteRange).
#include "domain/ByteRange.h"

#include <gtest/gtest.h>

using namespace relais;

namespace {
const std::string kEtag = "\"relais-report-3\"";
std::optional<std::string> None() { return std::nullopt; }
}  // namespace

TEST(ByteRangeTest, NoRangeIsTheWholeBody) {
  EXPECT_EQ(DecideByteRange(None(), None(), kEtag, 100).status, 200);
}

TEST(ByteRangeTest, OpenEndedRangeContinuesACutDownload) {
  const ByteRange r = DecideByteRange(std::string("bytes=40-"), None(), kEtag, 100);
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.first, 40);
  EXPECT_EQ(r.last, 99);
}

TEST(ByteRangeTest, ClosedAndSuffixRanges) {
  ByteRange r = DecideByteRange(std::string("bytes=0-9"), None(), kEtag, 100);
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.last, 9);
  r = DecideByteRange(std::string("bytes=90-500"), None(), kEtag, 100);
  EXPECT_EQ(r.last, 99);
  r = DecideByteRange(std::string("bytes=-10"), None(), kEtag, 100);
  EXPECT_EQ(r.first, 90);
  EXPECT_EQ(r.last, 99);
}

TEST(ByteRangeTest, StartPastTheEndIs416) {
  EXPECT_EQ(DecideByteRange(std::string("bytes=100-"), None(), kEtag, 100).status, 416);
}

TEST(ByteRangeTest, ChangedBodyIsSentWhole) {
  EXPECT_EQ(DecideByteRange(std::string("bytes=40-"), std::string("\"relais-report-2\""), kEtag, 100).status, 200);
  EXPECT_EQ(DecideByteRange(std::string("bytes=40-"), kEtag, kEtag, 100).status, 206);
}

TEST(ByteRangeTest, WhatItDoesNotUnderstandGetsTheWholeBody) {
  for (const char* header : {"items=0-4", "bytes=0-4,10-14", "bytes=a-", "bytes=9-3", "bytes"}) {
    EXPECT_EQ(DecideByteRange(std::string(header), None(), kEtag, 100).status, 200) << header;
  }
}

TEST(ByteRangeTest, AnswerCarriesTheRangeAndTheTag) {
  HttpRequest request;
  request.headers["range"] = "bytes=3-";
  const HttpResponse a = RangedBody(request, "0123456789", "application/pdf", kEtag);
  EXPECT_EQ(a.status, 206);
  EXPECT_EQ(a.body, "3456789");
  EXPECT_EQ(a.headers.at("Content-Range"), "bytes 3-9/10");
  EXPECT_EQ(a.headers.at("ETag"), kEtag);
  EXPECT_FALSE(a.compressible);
  request.headers["range"] = "bytes=10-";
  const HttpResponse past = RangedBody(request, "0123456789", "application/pdf", kEtag);
  EXPECT_EQ(past.status, 416);
  EXPECT_EQ(past.headers.at("Content-Range"), "bytes */10");
}
