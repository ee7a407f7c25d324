#include "core/time_format.hpp"

// date::parse trips a false maybe-uninitialized warning inside <chrono> at -O3.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <date/date.h>

#include <chrono>
#include <cstdio>
#include <sstream>

namespace o4o::core {

std::string format_timestamp(int64_t epoch_ms) {
  // Every response carries a timestamp: plain arithmetic instead of a formatting stream.
  using namespace std::chrono;
  int64_t days = epoch_ms >= 0 ? epoch_ms / 86'400'000 : (epoch_ms - 86'399'999) / 86'400'000;
  int64_t ms_of_day = epoch_ms - days * 86'400'000;
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  const int year = static_cast<int>(ymd.year());
  if (year >= 0 && year <= 9999) {
    // Digits by hand: snprintf's format parsing was a visible share of a cached read's answer.
    std::string out = "0000-00-00T00:00:00.000Z";
    const auto put = [&out](std::size_t at, int value, int width) {
      for (int i = width - 1; i >= 0; --i, value /= 10) out[at + i] = static_cast<char>('0' + value % 10);
    };
    put(0, year, 4);
    put(5, static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
    put(8, static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
    put(11, static_cast<int>(ms_of_day / 3'600'000), 2);
    put(14, static_cast<int>(ms_of_day / 60'000 % 60), 2);
    put(17, static_cast<int>(ms_of_day / 1000 % 60), 2);
    put(20, static_cast<int>(ms_of_day % 1000), 3);
    return out;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(ms_of_day / 3'600'000), static_cast<int>(ms_of_day / 60'000 % 60),
                static_cast<int>(ms_of_day / 1000 % 60), static_cast<int>(ms_of_day % 1000));
  return buf;
}

namespace {

// date::parse reads %T's seconds as a floating-point number and rounds it unchecked (undefined
// behaviour on what is not a number: "05:00~00", found by fuzz/json_body.cpp), so only RFC 3339's
// shape reaches it: YYYY-MM-DDTHH:MM:SS[.fraction]±HH:MM.
bool rfc3339_shape(std::string_view s) {
  auto digits = [&](std::size_t from, std::size_t n) {
    if (s.size() < from + n) return false;
    for (std::size_t i = from; i < from + n; ++i)
      if (s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  if (!(digits(0, 4) && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2) &&
        s[10] == 'T' && digits(11, 2) && s[13] == ':' && digits(14, 2) && s[16] == ':' &&
        digits(17, 2)))
    return false;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  return s.size() == i + 6 && (s[i] == '+' || s[i] == '-') && digits(i + 1, 2) &&
         s[i + 3] == ':' && digits(i + 4, 2);
}

}  // namespace

std::optional<int64_t> parse_timestamp(std::string_view text) {
  using namespace std::chrono;
  if (text.size() < 20 || text.size() > 40) return std::nullopt;
  std::string s(text);
  // date::parse wants "+hh:mm" or "Z" handled separately; normalise a trailing Z/z to +00:00.
  if (s.back() == 'Z' || s.back() == 'z') {
    s.pop_back();
    s += "+00:00";
  }
  if (s.size() > 10 && (s[10] == 't' || s[10] == ' ')) s[10] = 'T';
  if (!rfc3339_shape(s)) return std::nullopt;
  std::istringstream in(s);
  date::sys_time<microseconds> tp;
  in >> date::parse("%FT%T%Ez", tp);
  if (in.fail()) return std::nullopt;
  in.peek();
  if (!in.eof()) return std::nullopt;
  return duration_cast<milliseconds>(tp.time_since_epoch()).count();
}

}  // namespace o4o::core

#pragma GCC diagnostic pop
