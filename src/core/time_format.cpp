#include "core/time_format.hpp"

// date::parse trips a false maybe-uninitialized warning inside <chrono> at -O3.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <date/date.h>

#include <chrono>
#include <sstream>

namespace o4o::core {

std::string format_timestamp(int64_t epoch_ms) {
  using namespace std::chrono;
  sys_time<milliseconds> tp{milliseconds(epoch_ms)};
  return date::format("%FT%TZ", tp);
}

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
