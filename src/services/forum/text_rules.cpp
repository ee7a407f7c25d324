#include "services/forum/text_rules.hpp"

#include <algorithm>
#include <cstdint>

namespace o4o::services::forum {
namespace {

// Decodes one UTF-8 code point at text[i], advancing i; nullopt on a malformed sequence
// (overlong forms, surrogates and values above U+10FFFF included).
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    len = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    len = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    len = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (i + len > text.size()) return std::nullopt;
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += len;
  return cp;
}

bool in(char32_t cp, char32_t lo, char32_t hi) {
  return cp >= lo && cp <= hi;
}

bool is_unicode_space(char32_t cp) {
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || in(cp, 0x2000, 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

// Letters and digits of any script count as word characters; what is known to be punctuation,
// symbols, spaces or controls does not. (No ICU: a conservative list of blocks.)
bool is_word_char(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }
  if (in(cp, 0x80, 0xBF)) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;  // C1, Latin-1 punct.
  if (cp == 0xD7 || cp == 0xF7) return false;                             // × ÷
  if (in(cp, 0x0300, 0x036F)) return false;                               // combining marks
  if (in(cp, 0x2000, 0x2BFF)) return false;  // punctuation, arrows, math, technical, shapes
  if (in(cp, 0x2E00, 0x2E7F)) return false;  // supplemental punctuation
  if (in(cp, 0x3000, 0x3004) || in(cp, 0x3008, 0x3020) || cp == 0x3030) return false;  // CJK
  if (in(cp, 0xFE10, 0xFE1F) || in(cp, 0xFE30, 0xFE6F)) return false;  // vertical/small forms
  if (in(cp, 0xFF00, 0xFF0F) || in(cp, 0xFF1A, 0xFF20) || in(cp, 0xFF3B, 0xFF40) ||
      in(cp, 0xFF5B, 0xFF65)) {
    return false;  // fullwidth punctuation
  }
  if (in(cp, 0xFFF0, 0xFFFF) || cp == 0xFEFF) return false;
  if (in(cp, 0x1F000, 0x1FAFF)) return false;  // emoji and pictographs
  if (in(cp, 0xE0000, 0xE007F)) return false;  // tags
  return !is_unicode_space(cp);
}

}  // namespace

bool is_category_slug(std::string_view text) {
  if (text.empty() || text.size() > 40) return false;
  for (char ch : text) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) return false;
  }
  return true;
}

bool is_blank(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto cp = next_code_point(text, i);
    if (!cp) return false;
    const bool ascii_space = *cp == ' ' || (*cp >= 0x09 && *cp <= 0x0D);
    if (!ascii_space && !is_unicode_space(*cp)) return false;
  }
  return true;
}

std::optional<std::vector<std::string>> split_search_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    const auto cp = next_code_point(text, i);
    if (!cp) return std::nullopt;
    if (is_word_char(*cp)) {
      current.append(text.substr(start, i - start));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::vector<std::string> first_distinct_words(std::vector<std::string> words, std::size_t max) {
  const auto folded = [](std::string w) {
    for (char& ch : w) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    return w;
  };
  std::vector<std::string> out;
  std::vector<std::string> seen;
  for (auto& word : words) {
    if (out.size() == max) break;
    auto key = folded(word);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(std::move(key));
    out.push_back(std::move(word));
  }
  return out;
}

std::string fts5_prefix_query(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += ' ';
    out += '"';
    for (char ch : word) {
      if (ch == '"') out += '"';  // never present after splitting; escaped all the same
      out += ch;
    }
    out += "\"*";
  }
  return out;
}

namespace {

// "<kind><hex of the value's bytes>": one token of letters and digits, as migration 404 writes it
// with SQLite's hex() (upper case there; the tokenizer folds case on both sides).
std::string fts5_facet(char kind, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "facets : \"";
  out += kind;
  for (char ch : value) {
    const auto byte = static_cast<unsigned char>(ch);
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0F];
  }
  return out + '"';
}

}  // namespace

std::string fts5_search_query(const std::vector<std::string>& words,
                              const std::optional<std::string>& category,
                              const std::optional<std::string>& author_id) {
  std::string out = "{title content} : (" + fts5_prefix_query(words) + ")";
  if (category) out += " AND " + fts5_facet('c', *category);
  if (author_id) out += " AND " + fts5_facet('a', *author_id);
  return out;
}

namespace {

// 'text' as a tsquery lexeme, quotes and backslashes doubled.
void append_quoted_lexeme(std::string& out, std::string_view text) {
  out += '\'';
  for (char ch : text) {
    if (ch == '\'' || ch == '\\') out += ch;
    out += ch;
  }
  out += '\'';
}

}  // namespace

std::string tsquery_facets(const std::optional<std::string>& category,
                           const std::optional<std::string>& author_id) {
  std::string out;
  if (category) append_quoted_lexeme(out, "~c" + *category);
  if (author_id) {
    if (!out.empty()) out += " & ";
    append_quoted_lexeme(out, "~a" + *author_id);
  }
  return out;
}

std::string tsquery_prefix_query(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += " & ";
    append_quoted_lexeme(out, word);  // quotes never present after splitting; escaped anyway
    out += ":*";
  }
  return out;
}

namespace {

// The lexeme standing for "a word starting with `word`" when `word` is one character that has it
// (migration 406): '~p' and the character in lower case; nullopt otherwise.
std::optional<std::string> initial_lexeme(std::string_view word) {
  std::size_t i = 0;
  const auto cp = next_code_point(word, i);
  if (!cp || i != word.size()) return std::nullopt;
  const bool ascii =
      (*cp >= '0' && *cp <= '9') || (*cp >= 'a' && *cp <= 'z') || (*cp >= 'A' && *cp <= 'Z');
  if (!ascii && !in(*cp, 0xAC00, 0xD7A3) && !in(*cp, 0x4E00, 0x9FFF)) return std::nullopt;
  std::string out = "~p";
  if (*cp >= 'A' && *cp <= 'Z') {
    out += static_cast<char>(*cp - 'A' + 'a');
  } else {
    out += word;
  }
  return out;
}

}  // namespace

TsqueryMatch tsquery_match(const std::vector<std::string>& words,
                           const std::optional<std::string>& category,
                           const std::optional<std::string>& author_id) {
  TsqueryMatch out{tsquery_facets(category, author_id), "", ""};
  std::vector<std::string> longer;
  for (const auto& word : words) {
    if (const auto lexeme = initial_lexeme(word)) {
      if (!out.initials.empty()) out.initials += " & ";
      append_quoted_lexeme(out.initials, *lexeme);
    } else {
      longer.push_back(word);
    }
  }
  out.prefixes = tsquery_prefix_query(longer);
  return out;
}

}  // namespace o4o::services::forum
