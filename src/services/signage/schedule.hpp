#pragma once
// Dayparting: weekly time windows in a display's IANA time zone. Evaluation is pure (the instant
// is a parameter), so it is tested with fixed instants and no server.
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace date {
class time_zone;
}

namespace o4o::services::signage {

using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

struct ScheduleEntry {
  unsigned days = 0;  // bit 0 = Monday ... bit 6 = Sunday
  int start = 0;      // minutes after local midnight, 0..1439
  int end = 0;        // 1..1440; end < start is an overnight window belonging to the start day
  int64_t priority = 0;
  boost::json::value content;  // normalised content object
};

struct Schedule {
  std::string timezone;
  const date::time_zone* zone = nullptr;
  std::vector<ScheduleEntry> entries;
};

// The entry whose window contains `now` (local day and minute in the schedule's zone); the
// highest priority wins an overlap, the earlier entry a tie. nullopt outside every window.
std::optional<std::size_t> active_entry(const Schedule& schedule, Instant now);

// What the screen shows at `now`: the winning entry's content, else the plain content (which may
// be null).
const boost::json::value& active_content(const Schedule* schedule,
                                         const boost::json::value& content, Instant now);

// The next instant after `now` at which a window opens or closes (DST-aware), or nullopt when the
// schedule has no entries. Not every such instant changes the winner; callers re-evaluate.
std::optional<Instant> next_change(const Schedule& schedule, Instant now);

// "HH:MM" <-> minutes; "24:00" is accepted only when allow_24 is true.
std::optional<int> parse_hhmm(std::string_view text, bool allow_24);
std::string format_hhmm(int minutes);

// Day names "mon".."sun" <-> bit index 0..6.
std::optional<int> day_index(std::string_view name);
std::string_view day_name(int index);

}  // namespace o4o::services::signage
