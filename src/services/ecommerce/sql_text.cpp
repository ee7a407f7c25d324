#include "services/ecommerce/sql_text.hpp"

namespace o4o::services::ecommerce {

void append_fragment(std::string& sql, std::string_view fragment, std::string_view replacement) {
  for (;;) {
    const auto at = fragment.find("$?");
    if (at == std::string_view::npos) break;
    sql += fragment.substr(0, at);
    sql += replacement;
    fragment.remove_prefix(at + 2);
  }
  sql += fragment;
}

void append_numbered(std::string& sql, std::string_view fragment, std::size_t number) {
  std::string placeholder(1, '$');
  placeholder.append(std::to_string(number));
  append_fragment(sql, fragment, placeholder);
}

std::string placeholder_list(std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += '$';
    out += std::to_string(first + i);
  }
  return out;
}

}  // namespace o4o::services::ecommerce
