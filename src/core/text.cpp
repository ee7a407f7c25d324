#include "core/text.hpp"

namespace o4o::core {

std::string_view trim(std::string_view s, std::string_view chars) {
  const auto b = s.find_first_not_of(chars);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(chars) - b + 1);
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool starts_with_lower(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    if (ascii_lower(s[i]) != lower_prefix[i]) return false;
  }
  return true;
}

std::string like_contains_pattern(std::string_view text) {
  std::string out = "%";
  out.reserve(text.size() + 2);
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  out += '%';
  return out;
}

}  // namespace o4o::core
