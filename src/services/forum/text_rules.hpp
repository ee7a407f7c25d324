#pragma once
// Pure text rules of the forum: category slugs, blank content, and turning a user's search text
// into words and then into FTS5 / PostgreSQL tsquery expressions that are never parsed as syntax.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace o4o::services::forum {

// Search uses the first this many distinct words of the text; the rest are ignored (each word
// costs a prefix expansion in the index).
inline constexpr std::size_t kMaxSearchWords = 10;

// [a-z0-9-]{1,40}
bool is_category_slug(std::string_view text);

// True when the text has no character other than white space (ASCII and Unicode spaces).
bool is_blank(std::string_view text);

// Splits search text into words: runs of letters and digits of any script. ASCII punctuation,
// control characters and common Unicode punctuation/symbol blocks separate words and are dropped.
// nullopt when the text is not valid UTF-8.
std::optional<std::vector<std::string>> split_search_words(std::string_view text);

// The first `max` distinct words, in order; words that differ only in ASCII case are the same
// (both indexes fold case).
std::vector<std::string> first_distinct_words(std::vector<std::string> words, std::size_t max);

// `"w1"* "w2"*`: every word a quoted prefix phrase, implicitly ANDed (FTS5 MATCH syntax).
std::string fts5_prefix_query(const std::vector<std::string>& words);

// The MATCH expression of a search: the words (as fts5_prefix_query) in title and content only,
// ANDed with the facet token of each filter given: the category's and the author's, which the
// index holds in its facets column (migration 404), so FTS5 intersects the filter with the words.
// `{title content} : ("w1"* "w2"*) AND facets : "c<hex of category>" AND facets : "a<hex of id>"`
std::string fts5_search_query(const std::vector<std::string>& words,
                              const std::optional<std::string>& category,
                              const std::optional<std::string>& author_id);

// The filters as the lexemes PostgreSQL's search rows hold (migration 405), for a tsquery cast
// (not parsed as words): `'~c<category>' & '~a<author id>'`; empty without filters.
std::string tsquery_facets(const std::optional<std::string>& category,
                           const std::optional<std::string>& author_id);

// `'w1':* & 'w2':*`: every word a quoted prefix lexeme, ANDed (to_tsquery syntax).
std::string tsquery_prefix_query(const std::vector<std::string>& words);

// What a PostgreSQL search row must hold, in three parts that are ANDed, each empty when it has
// nothing: `facets`, the filters' lexemes (tsquery_facets); `initials`, '~p<character>' for each
// word of one character (an ASCII letter or digit, a Hangul syllable or a CJK ideograph:
// characters every locale's parser reads as a word, whose lower case is one character), which a
// row holds for every character one of its words starts with (migration 406); these two for a
// tsquery cast. And `prefixes`, for to_tsquery, the other words as tsquery_prefix_query writes
// them. A one-character prefix matched in the index is a merge of the lists of every word that
// starts with it; its '~p' lexeme is one list.
struct TsqueryMatch {
  std::string facets;
  std::string initials;
  std::string prefixes;
};
TsqueryMatch tsquery_match(const std::vector<std::string>& words,
                           const std::optional<std::string>& category,
                           const std::optional<std::string>& author_id);

}  // namespace o4o::services::forum
