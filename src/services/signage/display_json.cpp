#include <boost/json/serialize.hpp>

#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "services/signage/display.hpp"
#include "services/signage/schedule_json.hpp"

namespace o4o::services::signage {

namespace json = boost::json;

Instant instant_of(int64_t epoch_ms) {
  return Instant(std::chrono::milliseconds(epoch_ms));
}

namespace {
const json::value& shown(const Display& d, int64_t now_ms) {
  return active_content(d.schedule ? &*d.schedule : nullptr, d.content, instant_of(now_ms));
}
}  // namespace

json::object display_json(const Display& d, int64_t now_ms) {
  json::object out;
  out["id"] = d.id;
  out["name"] = d.name;
  out["location"] = d.location;
  out["status"] = d.online(now_ms) ? "online" : "offline";
  out["content"] = d.content;
  out["activeContent"] = shown(d, now_ms);
  out["schedule"] = d.schedule ? json::value(schedule_json(*d.schedule)) : json::value(nullptr);
  out["contentVersion"] = d.content_version;
  out["lastSeenAt"] =
      d.last_seen_at ? json::value(core::format_timestamp(*d.last_seen_at)) : json::value(nullptr);
  out["createdAt"] = core::format_timestamp(d.created_at);
  out["updatedAt"] = core::format_timestamp(d.updated_at);
  return out;
}

std::string event_id(const Display& d, int64_t now_ms) {
  auto hash = core::sha256_hex(json::serialize(shown(d, now_ms)));
  return std::to_string(d.content_version) + "-" + hash.substr(0, 12);
}

}  // namespace o4o::services::signage
