#pragma once
// ASCII text helpers every layer shares: trimming, lowercasing, and LIKE patterns. Non-ASCII bytes
// (UTF-8) are left as they are.
#include <string>
#include <string_view>

namespace o4o::core {

// The ASCII white space characters (what isspace means in the C locale).
inline constexpr std::string_view kAsciiSpace = " \t\n\r\f\v";

// `s` without leading and trailing characters from `chars`.
std::string_view trim(std::string_view s, std::string_view chars = kAsciiSpace);

constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
// A copy with the ASCII letters lowercased.
std::string ascii_lower(std::string_view s);
// True when `s` starts with `lower_prefix` (given in lowercase), ASCII letters compared without
// case.
bool starts_with_lower(std::string_view s, std::string_view lower_prefix);

// True when `s` is well-formed UTF-8: no stray continuation bytes, truncated or overlong
// sequences, surrogates, or values above U+10FFFF (what PostgreSQL refuses).
bool is_valid_utf8(std::string_view s);

// "%text%" for `column LIKE $n ESCAPE '\'`: the text matched literally anywhere, its wildcards
// (% and _) and the escape character escaped with '\'.
std::string like_contains_pattern(std::string_view text);

// HTML-escapes text (& < > " '), for element text and quoted attribute values alike.
std::string html_escape(std::string_view text);

}  // namespace o4o::core
