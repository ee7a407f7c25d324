#pragma once
// A display as the service sees it, and its JSON form for the API and the event stream.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "services/signage/schedule.hpp"

namespace o4o::services::signage {

struct Display {
  std::string id;
  std::string name;
  std::string location;
  boost::json::value content;        // null when none was set
  std::optional<Schedule> schedule;  // nullopt when none
  int64_t content_version = 1;
  std::string token_hash;
  int64_t open_streams = 0;
  std::optional<int64_t> connected_until;
  std::optional<int64_t> last_seen_at;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  // Online while some instance holds a stream and keeps its lease fresh.
  bool online(int64_t now_ms) const {
    return open_streams > 0 && connected_until && *connected_until > now_ms;
  }
};

// The contract's display object at `now_ms` (activeContent and status depend on it).
boost::json::object display_json(const Display& display, int64_t now_ms);

// The SSE event id of the display at `now_ms`: the content version and a hash of what the screen
// shows, so that a schedule window opening or closing yields a new id.
std::string event_id(const Display& display, int64_t now_ms);

Instant instant_of(int64_t epoch_ms);

}  // namespace o4o::services::signage
