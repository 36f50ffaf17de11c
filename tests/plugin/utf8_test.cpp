// What the hub accepts as text (domain/Utf8): well-formed UTF-8 only.
#include "domain/Utf8.h"

#include <gtest/gtest.h>

using relais::IsUtf8;

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsUtf8(""));
  EXPECT_TRUE(IsUtf8("plain ASCII"));
  EXPECT_TRUE(IsUtf8("p\xC3\xA9" "diatrie"));         // é
  EXPECT_TRUE(IsUtf8("\xD8\xB7\xD8\xA8"));              // Arabic
  EXPECT_TRUE(IsUtf8("\xE2\x82\xAC"));                  // €
  EXPECT_TRUE(IsUtf8("\xF0\x9F\xA9\xBA"));              // U+1FA7A
  EXPECT_TRUE(IsUtf8("\xF4\x8F\xBF\xBF"));              // U+10FFFF
  EXPECT_TRUE(IsUtf8(std::string_view("a\0b", 3)));     // NUL is a character
}

TEST(Utf8, RefusesWhatIsNot) {
  EXPECT_FALSE(IsUtf8("\xFF"));
  EXPECT_FALSE(IsUtf8("\x80"));                // a continuation byte alone
  EXPECT_FALSE(IsUtf8("\xC3"));                // cut short
  EXPECT_FALSE(IsUtf8("\xC3\x28"));            // bad continuation
  EXPECT_FALSE(IsUtf8("\xC0\xAF"));            // overlong '/'
  EXPECT_FALSE(IsUtf8("\xE0\x80\xAF"));        // overlong
  EXPECT_FALSE(IsUtf8("\xF0\x80\x80\xAF"));    // overlong
  EXPECT_FALSE(IsUtf8("\xED\xB2\x80"));        // a UTF-16 surrogate (U+DC80)
  EXPECT_FALSE(IsUtf8("\xF4\x90\x80\x80"));    // above U+10FFFF
  EXPECT_FALSE(IsUtf8("\xF8\x88\x80\x80\x80"));  // five-byte form
  EXPECT_FALSE(IsUtf8("ok\xE2\x82"));          // cut short at the end
}
