#pragma once
// Shared by the targets whose input is "Name: value" lines, an empty line, then a body (not an
// HTTP parser: a way for the fuzzer to write headers).
#include <string>
#include <string_view>
#include <vector>

#include "core/http.hpp"

namespace o4o::fuzz {

// Appends the header lines at the start of `input` to `headers` and returns the rest (the body).
inline std::string_view read_header_lines(std::string_view input,
                                          std::vector<core::Header>& headers) {
  while (!input.empty()) {
    const auto nl = input.find('\n');
    const std::string_view line = input.substr(0, nl);
    input = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
  }
  return input;
}

}  // namespace o4o::fuzz
