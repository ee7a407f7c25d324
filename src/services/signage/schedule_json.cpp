#include "services/signage/schedule_json.hpp"

#include <date/tz.h>

#include <boost/json/array.hpp>
#include <stdexcept>

#include "services/signage/content.hpp"

namespace o4o::services::signage {

namespace json = boost::json;

namespace {

const date::time_zone* find_zone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::optional<unsigned> parse_days(core::JsonBody& entry, const std::string& prefix) {
  std::string name = field_path(prefix, "days");
  const json::value* days = entry.get("days");
  if (days == nullptr || !days->is_array() || days->as_array().empty() ||
      days->as_array().size() > 7) {
    entry.fail(name, name + " must be a list of 1 to 7 days (mon..sun)");
    return std::nullopt;
  }
  unsigned bits = 0;
  for (const auto& d : days->as_array()) {
    auto index = d.is_string() ? day_index(d.as_string()) : std::nullopt;
    if (!index) {
      entry.fail(name, name + " must only hold mon, tue, wed, thu, fri, sat or sun");
      return std::nullopt;
    }
    bits |= 1U << *index;
  }
  return bits;
}

// Minutes after midnight, or -1 after recording a problem.
int parse_time(core::JsonBody& entry, const std::string& prefix, std::string_view field,
               bool allow_24) {
  auto text = entry.string(field, core::Need::required, 1, 16);
  if (!text) return -1;
  auto minutes = parse_hhmm(*text, allow_24);
  if (minutes) return *minutes;
  std::string name = field_path(prefix, field);
  entry.fail(name, name + " must be a time HH:MM");
  return -1;
}

std::optional<ScheduleEntry> parse_entry(core::JsonBody& entry, const std::string& prefix) {
  ScheduleEntry out;
  auto days = parse_days(entry, prefix);
  auto start = parse_time(entry, prefix, "start", false);
  auto end = parse_time(entry, prefix, "end", true);
  auto priority = entry.integer("priority", core::Need::required, -kMaxPriority, kMaxPriority);
  if (start >= 0 && start == end) {
    std::string name = field_path(prefix, "end");
    entry.fail(name, name + " must differ from start");
    end = -1;
  }
  std::optional<json::object> content;
  if (const json::value* c = entry.get("content")) {
    auto child = core::nested(*c, "content", entry);
    if (c->is_object()) content = parse_content(child, field_path(prefix, "content"), true);
  } else {
    std::string name = field_path(prefix, "content");
    entry.fail(name, name + " is required");
  }
  if (!days || start < 0 || end < 0 || !priority || !content) return std::nullopt;
  out.days = *days;
  out.start = start;
  out.end = end;
  out.priority = *priority;
  out.content = std::move(*content);
  return out;
}

}  // namespace

std::optional<Schedule> parse_schedule(core::JsonBody& body) {
  Schedule schedule;
  const json::value* entries = body.get("entries");
  if (entries == nullptr || !entries->is_array() ||
      entries->as_array().size() > kMaxScheduleEntries) {
    body.fail("entries", "entries must be a list of at most " +
                             std::to_string(kMaxScheduleEntries) + " windows");
    return std::nullopt;
  }
  const auto& list = entries->as_array();
  // Required even to remove the schedule (no entries): the contract's body always names its zone.
  auto timezone = body.string("timezone", core::Need::required, 1, 64);
  if (timezone) {
    schedule.zone = find_zone(*timezone);
    if (schedule.zone == nullptr)
      body.fail("timezone", "timezone must be an IANA time zone such as Europe/Berlin");
    else
      schedule.timezone = *timezone;
  }
  bool good = schedule.zone != nullptr;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string name = "entries[" + std::to_string(i) + "]";
    auto child = core::nested(list[i], name, body);
    auto entry = list[i].is_object() ? parse_entry(child, name) : std::nullopt;
    if (entry)
      schedule.entries.push_back(std::move(*entry));
    else
      good = false;
  }
  if (!good) return std::nullopt;
  return schedule;
}

json::object schedule_json(const Schedule& schedule) {
  json::array entries;
  for (const auto& e : schedule.entries) {
    json::array days;
    for (int d = 0; d < 7; ++d)
      if ((e.days >> d) & 1U) days.emplace_back(day_name(d));
    entries.push_back(json::object{{"days", std::move(days)},
                                   {"start", format_hhmm(e.start)},
                                   {"end", format_hhmm(e.end)},
                                   {"priority", e.priority},
                                   {"content", e.content}});
  }
  return json::object{{"timezone", schedule.timezone}, {"entries", std::move(entries)}};
}

Schedule schedule_from_json(const json::value& stored) {
  const auto& obj = stored.as_object();
  Schedule schedule;
  schedule.timezone = std::string(obj.at("timezone").as_string());
  // A zone dropped by a later tz database must not make the display unreadable: fall back to UTC.
  schedule.zone = find_zone(schedule.timezone);
  if (schedule.zone == nullptr) schedule.zone = date::locate_zone("UTC");
  for (const auto& v : obj.at("entries").as_array()) {
    const auto& e = v.as_object();
    ScheduleEntry entry;
    for (const auto& d : e.at("days").as_array())
      if (auto i = day_index(d.as_string())) entry.days |= 1U << *i;
    auto start = parse_hhmm(e.at("start").as_string(), false);
    auto end = parse_hhmm(e.at("end").as_string(), true);
    if (!start || !end) throw std::runtime_error("stored schedule has a bad time");
    entry.start = *start;
    entry.end = *end;
    entry.priority = e.at("priority").to_number<int64_t>();
    entry.content = e.at("content");
    schedule.entries.push_back(std::move(entry));
  }
  return schedule;
}

}  // namespace o4o::services::signage
