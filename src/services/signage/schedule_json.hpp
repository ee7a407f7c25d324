#pragma once
// A schedule as JSON: validation of the request body, rendering, and reading the stored form.
#include <boost/json/object.hpp>
#include <optional>

#include "core/json_body.hpp"
#include "services/signage/schedule.hpp"

namespace o4o::services::signage {

inline constexpr std::size_t kMaxScheduleEntries = 100;
inline constexpr int64_t kMaxPriority = 1'000'000'000;

// {timezone, entries: [{days, start, end, priority, content}]}. Returns nullopt after recording
// every problem in `body`. An empty `entries` list (timezone then optional) means "no schedule".
std::optional<Schedule> parse_schedule(core::JsonBody& body);

boost::json::object schedule_json(const Schedule& schedule);

// The stored form (written by schedule_json); throws when it is not that form.
Schedule schedule_from_json(const boost::json::value& stored);

}  // namespace o4o::services::signage
