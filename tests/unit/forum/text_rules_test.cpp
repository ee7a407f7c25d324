#include "services/forum/text_rules.hpp"

#include <gtest/gtest.h>

namespace o4o::services::forum {
namespace {

using Words = std::vector<std::string>;

TEST(ForumTextRules, CategorySlugs) {
  EXPECT_TRUE(is_category_slug("general"));
  EXPECT_TRUE(is_category_slug("q-and-a-2"));
  EXPECT_TRUE(is_category_slug(std::string(40, 'a')));
  EXPECT_FALSE(is_category_slug(""));
  EXPECT_FALSE(is_category_slug(std::string(41, 'a')));
  EXPECT_FALSE(is_category_slug("General"));
  EXPECT_FALSE(is_category_slug("a b"));
  EXPECT_FALSE(is_category_slug("a_b"));
  EXPECT_FALSE(is_category_slug("공지"));
}

TEST(ForumTextRules, BlankText) {
  EXPECT_TRUE(is_blank(""));
  EXPECT_TRUE(is_blank(" \t\r\n"));
  EXPECT_TRUE(is_blank("\xE3\x80\x80"));  // ideographic space
  EXPECT_FALSE(is_blank(" a "));
  EXPECT_FALSE(is_blank("<p></p>"));
}

TEST(ForumTextRules, SplitsWordsOnPunctuationOfAnyKind) {
  EXPECT_EQ(split_search_words("hello world"), (Words{"hello", "world"}));
  EXPECT_EQ(split_search_words("  서울  맛집 "), (Words{"서울", "맛집"}));
  EXPECT_EQ(split_search_words("\"quoted\" AND (x OR y*)"),
            (Words{"quoted", "AND", "x", "OR", "y"}));
  EXPECT_EQ(split_search_words("a:b c-d e\\f g&h|i!j"),
            (Words{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}));
  EXPECT_EQ(split_search_words("서울…부산"), (Words{"서울", "부산"}));
  EXPECT_EQ(split_search_words("café"), (Words{"café"}));
  EXPECT_EQ(split_search_words("\"*-()'\\:&|!"), Words{});
  EXPECT_EQ(split_search_words(""), Words{});
}

TEST(ForumTextRules, RejectsInvalidUtf8) {
  EXPECT_FALSE(split_search_words("abc\xFF").has_value());
  EXPECT_FALSE(split_search_words("\xC0\xAF").has_value());      // overlong '/'
  EXPECT_FALSE(split_search_words("\xED\xA0\x80").has_value());  // surrogate
  EXPECT_FALSE(split_search_words("\xE3\x80").has_value());      // truncated
}

TEST(ForumTextRules, BuildsPrefixQueries) {
  const Words words{"서울", "OR"};
  EXPECT_EQ(fts5_prefix_query(words), "\"서울\"* \"OR\"*");
  EXPECT_EQ(tsquery_prefix_query(words), "'서울':* & 'OR':*");
  EXPECT_EQ(fts5_prefix_query({"a\"b"}), "\"a\"\"b\"*");
  EXPECT_EQ(tsquery_prefix_query({"a'b\\"}), "'a''b\\\\':*");
  EXPECT_EQ(fts5_prefix_query({}), "");
}

TEST(ForumTextRules, SearchQueryKeepsWordsToTitleAndContentAndAndsTheFilters) {
  const Words words{"서", "k"};
  EXPECT_EQ(fts5_search_query(words, std::nullopt, std::nullopt),
            "{title content} : (\"서\"* \"k\"*)");
  // The facets are the hex of the value's bytes: one token, whatever the slug or id holds.
  EXPECT_EQ(fts5_search_query(words, std::string("qna"), std::nullopt),
            "{title content} : (\"서\"* \"k\"*) AND facets : \"c716e61\"");
  EXPECT_EQ(fts5_search_query({"x"}, std::string("a-b"), std::string("0f-Z")),
            "{title content} : (\"x\"*) AND facets : \"c612d62\" AND facets : \"a30662d5a\"");
  EXPECT_EQ(fts5_search_query({"x"}, std::nullopt, std::string("\xEC\x84\x9C")),
            "{title content} : (\"x\"*) AND facets : \"aec849c\"");
}

TEST(ForumTextRules, TsqueryFacetsNameTheFiltersAsLexemesNoWordCanBe) {
  EXPECT_EQ(tsquery_facets(std::nullopt, std::nullopt), "");
  EXPECT_EQ(tsquery_facets(std::string("qna"), std::nullopt), "'~cqna'");
  EXPECT_EQ(tsquery_facets(std::nullopt, std::string("0f-1")), "'~a0f-1'");
  EXPECT_EQ(tsquery_facets(std::string("a-b"), std::string("x'y")), "'~ca-b' & '~ax''y'");
}

TEST(ForumTextRules, TsqueryMatchAsksForTheInitialLexemeOfEachOneCharacterWord) {
  // ASCII letters (in lower case) and digits, Hangul syllables and CJK ideographs have a '~p'
  // lexeme (migration 406); any other word, of one character or more, stays a prefix.
  const auto m =
      tsquery_match({"K", "서", "서울", "7", "中", "é", "ab"}, std::string("qna"), std::nullopt);
  EXPECT_EQ(m.facets, "'~cqna'");
  EXPECT_EQ(m.initials, "'~pk' & '~p서' & '~p7' & '~p中'");
  EXPECT_EQ(m.prefixes, "'서울':* & 'é':* & 'ab':*");
  const auto words_only = tsquery_match({"ab", "c"}, std::nullopt, std::nullopt);
  EXPECT_EQ(words_only.facets, "");
  EXPECT_EQ(words_only.initials, "'~pc'");
  EXPECT_EQ(words_only.prefixes, "'ab':*");
  EXPECT_EQ(tsquery_match({"z"}, std::nullopt, std::string("u1")).prefixes, "");
}

TEST(ForumTextRules, FirstDistinctWordsKeepsOrderFoldsAsciiCaseAndCaps) {
  EXPECT_EQ(first_distinct_words({"a", "B", "a", "b", "서", "서"}, 10), (Words{"a", "B", "서"}));
  Words many;
  for (char c = 'a'; c <= 'z'; ++c) many.emplace_back(1, c);
  EXPECT_EQ(first_distinct_words(many, 10).size(), 10u);
  EXPECT_EQ(first_distinct_words(many, 10).back(), "j");
  EXPECT_EQ(first_distinct_words({}, 10), Words{});
}

}  // namespace
}  // namespace o4o::services::forum
