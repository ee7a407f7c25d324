// Fuzzes the forum's search-query builder: whatever the text, the words are valid UTF-8 word
// runs, at most kMaxSearchWords distinct ones, and the FTS5 / tsquery expressions quote every
// word so that no input becomes query syntax.
#include <cstdint>
#include <cstdlib>
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
  return 0;
}
