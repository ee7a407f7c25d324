// Schedule evaluation with fixed instants: overnight windows, DST days in Europe/Berlin,
// overlapping priorities, and the next-change instant the stream pusher relies on.
#include <date/date.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "services/signage/schedule.hpp"

namespace sg = o4o::services::signage;
namespace json = boost::json;

namespace {

sg::Instant utc(int y, unsigned m, unsigned d, int h, int min) {
  auto day = date::sys_days(date::year{y} / date::month{m} / date::day{d});
  return sg::Instant(day) + std::chrono::hours{h} + std::chrono::minutes{min};
}

json::value text(const char* v) {
  return json::object{{"type", "text"}, {"value", v}};
}

unsigned days(std::initializer_list<const char*> names) {
  unsigned bits = 0;
  for (auto n : names) bits |= 1U << *sg::day_index(n);
  return bits;
}

sg::ScheduleEntry entry(unsigned day_bits, const char* start, const char* end, int64_t priority,
                        const char* label) {
  sg::ScheduleEntry e;
  e.days = day_bits;
  e.start = *sg::parse_hhmm(start, false);
  e.end = *sg::parse_hhmm(end, true);
  e.priority = priority;
  e.content = text(label);
  return e;
}

sg::Schedule schedule(const char* zone, std::vector<sg::ScheduleEntry> entries) {
  return sg::Schedule{zone, date::locate_zone(zone), std::move(entries)};
}

// The label of the winning entry, or "plain".
std::string shown(const sg::Schedule& s, sg::Instant now) {
  static const json::value plain = text("plain");
  const auto& c = sg::active_content(&s, plain, now);
  return std::string(c.at("value").as_string());
}

int64_t ms(sg::Instant t) {
  return t.time_since_epoch().count();
}

// The next re-check instant in epoch milliseconds, -1 for none (readable when a check fails).
int64_t next_ms(const sg::Schedule& s, sg::Instant now) {
  auto next = sg::next_change(s, now);
  return next ? ms(*next) : -1;
}

const unsigned kEveryDay = days({"mon", "tue", "wed", "thu", "fri", "sat", "sun"});

}  // namespace

TEST(SignageSchedule, OvernightWindowBelongsToItsStartDay) {
  // Asia/Seoul is UTC+9 all year. 2026-01-02 is a Friday.
  ASSERT_EQ(date::weekday(date::sys_days(date::year{2026} / 1 / 2)), date::Friday);
  auto s = schedule("Asia/Seoul", {entry(days({"fri"}), "22:00", "02:00", 0, "night")});
  // Local = UTC + 9 h.
  EXPECT_EQ(shown(s, utc(2026, 1, 2, 12, 59)), "plain");  // Fri 21:59
  EXPECT_EQ(shown(s, utc(2026, 1, 2, 13, 0)), "night");   // Fri 22:00
  EXPECT_EQ(shown(s, utc(2026, 1, 2, 15, 30)), "night");  // Sat 00:30, past midnight
  EXPECT_EQ(shown(s, utc(2026, 1, 2, 16, 59)), "night");  // Sat 01:59
  EXPECT_EQ(shown(s, utc(2026, 1, 2, 17, 0)), "plain");   // Sat 02:00: closed
  EXPECT_EQ(shown(s, utc(2026, 1, 3, 14, 0)), "plain");   // Sat 23:00: Saturday not listed
  EXPECT_EQ(shown(s, utc(2026, 1, 1, 16, 0)), "plain");   // Fri 01:00: Thursday not listed
  EXPECT_EQ(next_ms(s, utc(2026, 1, 2, 14, 0)), ms(utc(2026, 1, 2, 17, 0)));
  EXPECT_EQ(next_ms(s, utc(2026, 1, 2, 17, 0)), ms(utc(2026, 1, 9, 13, 0)));
}

TEST(SignageSchedule, SpringForwardInBerlin) {
  // 2026-03-29 (Sunday): 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
  ASSERT_EQ(date::weekday(date::sys_days(date::year{2026} / 3 / 29)), date::Sunday);
  auto s = schedule("Europe/Berlin", {entry(days({"sun"}), "01:00", "04:00", 0, "early"),
                                      entry(days({"sun"}), "02:00", "03:00", 9, "gap")});
  EXPECT_EQ(shown(s, utc(2026, 3, 28, 23, 59)), "plain");  // 00:59 CET
  EXPECT_EQ(shown(s, utc(2026, 3, 29, 0, 0)), "early");    // 01:00 CET
  EXPECT_EQ(shown(s, utc(2026, 3, 29, 0, 59)), "early");   // 01:59 CET
  EXPECT_EQ(shown(s, utc(2026, 3, 29, 1, 0)), "early");    // 03:00 CEST: the gap hour never runs
  EXPECT_EQ(shown(s, utc(2026, 3, 29, 1, 59)), "early");   // 03:59 CEST
  EXPECT_EQ(shown(s, utc(2026, 3, 29, 2, 0)), "plain");    // 04:00 CEST: 2 real hours in all
  EXPECT_EQ(next_ms(s, utc(2026, 3, 29, 0, 30)), ms(utc(2026, 3, 29, 1, 0)));
  EXPECT_EQ(next_ms(s, utc(2026, 3, 29, 1, 0)), ms(utc(2026, 3, 29, 2, 0)));

  // A daily 08:00 window opens at 07:00 UTC before the change and 06:00 UTC after it.
  auto daily = schedule("Europe/Berlin", {entry(kEveryDay, "08:00", "09:00", 0, "morning")});
  EXPECT_EQ(shown(daily, utc(2026, 3, 28, 7, 0)), "morning");
  EXPECT_EQ(shown(daily, utc(2026, 3, 29, 6, 0)), "morning");
  EXPECT_EQ(shown(daily, utc(2026, 3, 29, 7, 0)), "plain");
  // The clock change itself is a re-check point, then the shifted opening.
  EXPECT_EQ(next_ms(daily, utc(2026, 3, 28, 12, 0)), ms(utc(2026, 3, 29, 1, 0)));
  EXPECT_EQ(next_ms(daily, utc(2026, 3, 29, 1, 0)), ms(utc(2026, 3, 29, 6, 0)));
}

TEST(SignageSchedule, FallBackInBerlinRunsTheRepeatedHourTwice) {
  // 2026-10-25 (Sunday): 03:00 CEST falls back to 02:00 CET at 01:00 UTC.
  ASSERT_EQ(date::weekday(date::sys_days(date::year{2026} / 10 / 25)), date::Sunday);
  auto s = schedule("Europe/Berlin", {entry(days({"sun"}), "02:00", "03:00", 0, "repeat")});
  EXPECT_EQ(shown(s, utc(2026, 10, 24, 23, 59)), "plain");  // 01:59 CEST
  EXPECT_EQ(shown(s, utc(2026, 10, 25, 0, 0)), "repeat");   // 02:00 CEST
  EXPECT_EQ(shown(s, utc(2026, 10, 25, 1, 30)), "repeat");  // 02:30 CET, second time round
  EXPECT_EQ(shown(s, utc(2026, 10, 25, 2, 0)), "plain");    // 03:00 CET
  EXPECT_EQ(next_ms(s, utc(2026, 10, 25, 0, 10)), ms(utc(2026, 10, 25, 1, 0)));

  // A window ending inside the repeated hour closes, then reopens when the clock goes back.
  auto half = schedule("Europe/Berlin", {entry(days({"sun"}), "01:00", "02:30", 0, "half")});
  EXPECT_EQ(shown(half, utc(2026, 10, 25, 0, 15)), "half");   // 02:15 CEST
  EXPECT_EQ(shown(half, utc(2026, 10, 25, 0, 45)), "plain");  // 02:45 CEST
  EXPECT_EQ(shown(half, utc(2026, 10, 25, 1, 15)), "half");   // 02:15 CET
  EXPECT_EQ(shown(half, utc(2026, 10, 25, 1, 45)), "plain");  // 02:45 CET
  EXPECT_EQ(next_ms(half, utc(2026, 10, 25, 0, 15)), ms(utc(2026, 10, 25, 0, 30)));
  EXPECT_EQ(next_ms(half, utc(2026, 10, 25, 0, 45)), ms(utc(2026, 10, 25, 1, 0)));
  EXPECT_EQ(next_ms(half, utc(2026, 10, 25, 1, 15)), ms(utc(2026, 10, 25, 1, 30)));
}

TEST(SignageSchedule, HighestPriorityWinsAndTiesGoToTheEarlierEntry) {
  auto s = schedule("UTC", {entry(kEveryDay, "08:00", "18:00", 1, "day"),
                            entry(kEveryDay, "12:00", "13:00", 5, "lunch"),
                            entry(kEveryDay, "12:00", "14:00", 5, "late-lunch"),
                            entry(kEveryDay, "00:00", "24:00", -3, "always")});
  EXPECT_EQ(shown(s, utc(2026, 5, 4, 10, 0)), "day");
  EXPECT_EQ(shown(s, utc(2026, 5, 4, 12, 30)), "lunch");
  EXPECT_EQ(shown(s, utc(2026, 5, 4, 13, 30)), "late-lunch");
  EXPECT_EQ(shown(s, utc(2026, 5, 4, 19, 0)), "always");
  EXPECT_EQ(next_ms(s, utc(2026, 5, 4, 12, 30)), ms(utc(2026, 5, 4, 13, 0)));
}

TEST(SignageSchedule, OutsideEveryWindowShowsThePlainContent) {
  auto s = schedule("America/New_York", {entry(days({"mon"}), "09:00", "10:00", 0, "meeting")});
  EXPECT_EQ(shown(s, utc(2026, 5, 4, 13, 30)), "meeting");  // Mon 09:30 EDT
  EXPECT_EQ(shown(s, utc(2026, 5, 5, 13, 30)), "plain");    // Tuesday
  json::value none;
  EXPECT_TRUE(sg::active_content(nullptr, none, utc(2026, 5, 4, 13, 30)).is_null());
  sg::Schedule empty{"UTC", date::locate_zone("UTC"), {}};
  EXPECT_FALSE(sg::next_change(empty, utc(2026, 5, 4, 0, 0)).has_value());
}

TEST(SignageSchedule, ParsesClockTimes) {
  EXPECT_EQ(sg::parse_hhmm("00:00", false), 0);
  EXPECT_EQ(sg::parse_hhmm("23:59", false), 23 * 60 + 59);
  EXPECT_EQ(sg::parse_hhmm("24:00", true), 24 * 60);
  EXPECT_FALSE(sg::parse_hhmm("24:00", false));
  EXPECT_FALSE(sg::parse_hhmm("24:01", true));
  EXPECT_FALSE(sg::parse_hhmm("12:60", false));
  EXPECT_FALSE(sg::parse_hhmm("9:00", false));
  EXPECT_FALSE(sg::parse_hhmm("09-00", false));
  EXPECT_EQ(sg::format_hhmm(9 * 60 + 5), "09:05");
  EXPECT_EQ(sg::format_hhmm(24 * 60), "24:00");
}
