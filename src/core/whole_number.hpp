#pragma once
// The whole of a text as an integer within [min, max], or nothing. std::from_chars alone reads
// "12abc" as 12; settings, query parameters and URL parts must be refused instead.
#include <charconv>
#include <concepts>
#include <limits>
#include <optional>
#include <string_view>

namespace o4o::core {

template <std::integral T>
std::optional<T> whole_number(std::string_view text, T min = std::numeric_limits<T>::min(),
                              T max = std::numeric_limits<T>::max()) {
  T n{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n < min || n > max)
    return std::nullopt;
  return n;
}

}  // namespace o4o::core
