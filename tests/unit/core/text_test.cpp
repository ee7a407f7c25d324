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

}  // namespace
