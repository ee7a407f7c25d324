#include "services/signage/schedule.hpp"

#include <date/tz.h>

#include <array>

namespace o4o::services::signage {

namespace {

using std::chrono::minutes;

constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};

bool has_day(const ScheduleEntry& e, int day) {
  return (e.days >> day) & 1U;
}

// Whether the entry's window contains local weekday `day` (0 = Monday) at minute `m`.
bool contains(const ScheduleEntry& e, int day, int m) {
  if (e.start < e.end) return has_day(e, day) && m >= e.start && m < e.end;
  // Overnight: the evening part belongs to the start day, the morning part to the day after it.
  int previous = (day + 6) % 7;
  return (has_day(e, day) && m >= e.start) || (has_day(e, previous) && m < e.end);
}

}  // namespace

std::optional<std::size_t> active_entry(const Schedule& schedule, Instant now) {
  if (schedule.zone == nullptr || schedule.entries.empty()) return std::nullopt;
  auto local = date::make_zoned(schedule.zone, now).get_local_time();
  auto local_day = date::floor<date::days>(local);
  int day = static_cast<int>(date::weekday(local_day).iso_encoding()) - 1;
  int minute = static_cast<int>(date::floor<minutes>(local - local_day).count());

  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < schedule.entries.size(); ++i) {
    const auto& e = schedule.entries[i];
    if (!contains(e, day, minute)) continue;
    if (!best || e.priority > schedule.entries[*best].priority) best = i;
  }
  return best;
}

const boost::json::value& active_content(const Schedule* schedule,
                                         const boost::json::value& content, Instant now) {
  if (schedule == nullptr) return content;
  auto i = active_entry(*schedule, now);
  return i ? schedule->entries[*i].content : content;
}

std::optional<Instant> next_change(const Schedule& schedule, Instant now) {
  if (schedule.zone == nullptr || schedule.entries.empty()) return std::nullopt;
  auto local_today = date::floor<date::days>(date::make_zoned(schedule.zone, now).get_local_time());
  std::optional<Instant> best;
  auto consider = [&](date::local_time<minutes> boundary) {
    // A boundary in a DST gap maps to the transition; one in the repeated hour happens twice.
    for (auto pick : {date::choose::earliest, date::choose::latest}) {
      Instant at = std::chrono::time_point_cast<std::chrono::milliseconds>(
          schedule.zone->to_sys(boundary, pick));
      if (at > now && (!best || at < *best)) best = at;
    }
  };
  // A clock change can reopen a window without crossing a boundary (the repeated hour).
  auto now_s = date::floor<std::chrono::seconds>(now);
  auto transition = schedule.zone->get_info(now_s).end;  // far in the future for fixed zones
  if (transition > now_s && transition < now_s + date::days{400})
    best = std::chrono::time_point_cast<std::chrono::milliseconds>(transition);
  for (int offset = -1; offset <= 8; ++offset) {
    auto day_start = local_today + date::days{offset};
    int day = static_cast<int>(date::weekday(day_start).iso_encoding()) - 1;
    for (const auto& e : schedule.entries) {
      if (!has_day(e, day)) continue;
      consider(day_start + minutes{e.start});
      consider(day_start + minutes{e.end < e.start ? e.end + 24 * 60 : e.end});
    }
  }
  return best;
}

std::optional<int> parse_hhmm(std::string_view text, bool allow_24) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(text[0]) || !digit(text[1]) || !digit(text[3]) ||
      !digit(text[4]))
    return std::nullopt;
  int h = (text[0] - '0') * 10 + (text[1] - '0');
  int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59) return std::nullopt;
  if (h == 24 && m == 0 && allow_24) return 24 * 60;
  if (h > 23) return std::nullopt;
  return h * 60 + m;
}

std::string format_hhmm(int minutes_of_day) {
  int h = minutes_of_day / 60;
  int m = minutes_of_day % 60;
  std::string out(5, ':');
  out[0] = static_cast<char>('0' + h / 10);
  out[1] = static_cast<char>('0' + h % 10);
  out[3] = static_cast<char>('0' + m / 10);
  out[4] = static_cast<char>('0' + m % 10);
  return out;
}

std::optional<int> day_index(std::string_view name) {
  for (std::size_t i = 0; i < kDayNames.size(); ++i)
    if (kDayNames[i] == name) return static_cast<int>(i);
  return std::nullopt;
}

std::string_view day_name(int index) {
  return kDayNames.at(static_cast<std::size_t>(index));
}

}  // namespace o4o::services::signage
