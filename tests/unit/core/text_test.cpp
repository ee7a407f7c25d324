// core/text: trimming, ASCII lowercasing and LIKE patterns.
#include "core/text.hpp"

#include <gtest/gtest.h>

namespace {

using namespace o4o::core;

TEST(CoreText, TrimsAsciiSpaceOrTheGivenCharacters) {
  EXPECT_EQ(trim(" \t a b \r\n\f\v"), "a b");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim(" \tx\t ", " "), "\tx\t");
}

TEST(CoreText, LowercasesAsciiOnly) {
  EXPECT_EQ(ascii_lower("AbC-Ä가"), "abc-Ä가");
  EXPECT_TRUE(starts_with_lower("Bearer x", "bearer "));
  EXPECT_FALSE(starts_with_lower("Bear", "bearer "));
}

TEST(CoreText, LikePatternEscapesWildcards) {
  EXPECT_EQ(like_contains_pattern("tea"), "%tea%");
  EXPECT_EQ(like_contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
  EXPECT_EQ(like_contains_pattern("녹차"), "%녹차%");
  EXPECT_EQ(like_contains_pattern(ascii_lower("Ab%_\\c")), "%ab\\%\\_\\\\c%");
}

TEST(CoreText, ValidUtf8) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("서울 café 😀"));
  EXPECT_FALSE(is_valid_utf8("\xFF\xFE"));
  EXPECT_FALSE(is_valid_utf8("abc\x80"));           // stray continuation byte
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xE3\x80"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

}  // namespace
