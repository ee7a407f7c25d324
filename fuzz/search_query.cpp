// Fuzzes the forum's search-query builder: whatever the text, the words are valid UTF-8 word
// runs, at most kMaxSearchWords distinct ones, and the FTS5 / tsquery expressions quote every
// word so that no input becomes query syntax. The filters (the first bytes of the input, any
// bytes) become facet tokens of hex digits only, outside the words' column filter.
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <utility>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "services/forum/text_rules.hpp"

namespace forum = o4o::services::forum;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto words = forum::split_search_words(text);
  // The forum's own decoder and core's validator agree on what is UTF-8.
  if (words.has_value() != o4o::core::is_valid_utf8(text)) std::abort();
  if (!words) return 0;
  for (const auto& w : *words) {
    if (w.empty() || !o4o::core::is_valid_utf8(w)) std::abort();
    for (char ch : w) {
      if (ch == '"' || ch == '\'' || ch == ' ' || ch == '*' || ch == ':' || ch == '\\') std::abort();
    }
  }
  const auto first = forum::first_distinct_words(*words, forum::kMaxSearchWords);
  if (first.size() > forum::kMaxSearchWords) std::abort();
  const std::string fts = forum::fts5_prefix_query(first);
  const std::string ts = forum::tsquery_prefix_query(first);
  // Every word is one quoted prefix term: as many '"' pairs and '*' as words.
  std::size_t quotes = 0;
  for (char ch : fts) quotes += ch == '"';
  if (quotes != 2 * first.size()) std::abort();
  std::size_t terms = 0;
  for (std::size_t at = ts.find("':*"); at != std::string::npos; at = ts.find("':*", at + 1)) ++terms;
  if (terms != first.size()) std::abort();

  // Filters: a category from the first byte's worth of input, an author from the next.
  const std::size_t n = size == 0 ? 0 : data[0] % 8;
  const std::string category(text.substr(0, std::min(n, size)));
  const std::string author(text.substr(std::min(n, size), std::min<std::size_t>(n, size - std::min(n, size))));
  const std::string full = forum::fts5_search_query(first, category, author);
  const std::string words_part = "{title content} : (" + fts + ")";
  if (full.compare(0, words_part.size(), words_part) != 0) std::abort();
  std::string_view rest = std::string_view(full).substr(words_part.size());
  for (const auto& [kind, value] : {std::pair{'c', category}, std::pair{'a', author}}) {
    const std::string head = std::string(" AND facets : \"") + kind;
    if (rest.substr(0, head.size()) != head) std::abort();
    rest.remove_prefix(head.size());
    if (rest.size() < 2 * value.size() + 1) std::abort();
    for (std::size_t i = 0; i < 2 * value.size(); ++i) {
      const char ch = rest[i];
      if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) std::abort();
    }
    if (rest[2 * value.size()] != '"') std::abort();
    rest.remove_prefix(2 * value.size() + 1);
  }
  if (!rest.empty()) std::abort();
  if (forum::fts5_search_query(first, std::nullopt, std::nullopt) != words_part) std::abort();

  // PostgreSQL's facets: each filter one quoted '~c...' / '~a...' lexeme, quotes doubled, so the
  // tsquery cast reads exactly as many lexemes as filters.
  const std::string facets = forum::tsquery_facets(category, author);
  std::size_t lexemes = 0, at = 0;
  while (at < facets.size()) {
    if (lexemes > 0) {
      if (facets.compare(at, 3, " & ") != 0) std::abort();
      at += 3;
    }
    if (facets[at] != '\'' || facets[at + 1] != '~') std::abort();
    for (at += 2;; ++at) {
      if (at >= facets.size()) std::abort();
      if (facets[at] == '\'' || facets[at] == '\\') {
        if (at + 1 < facets.size() && facets[at + 1] == facets[at]) {
          ++at;  // doubled
          continue;
        }
        if (facets[at] == '\\') std::abort();  // a lone backslash would escape the quote
        break;  // the closing quote
      }
    }
    ++at;
    ++lexemes;
  }
  if (lexemes != 2) std::abort();

  // The search's parts: the facets as above, one quoted '~p' lexeme per word of one character
  // that has one, and the other words as prefixes; every word in exactly one of the two.
  const auto match = forum::tsquery_match(first, category, author);
  if (match.facets != facets) std::abort();
  std::size_t initials = 0;
  for (std::size_t i = match.initials.find("'~p"); i != std::string::npos;
       i = match.initials.find("'~p", i + 1))
    ++initials;
  std::size_t prefixes = 0;
  for (std::size_t i = match.prefixes.find("':*"); i != std::string::npos;
       i = match.prefixes.find("':*", i + 1))
    ++prefixes;
  if (initials + prefixes != first.size()) std::abort();
  for (const auto& w : first) {
    if (w.size() > 4 && match.prefixes.find("'" + w + "':*") == std::string::npos) std::abort();
  }
  return 0;
}
