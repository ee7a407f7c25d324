#pragma once
// Business rules for displays: creation with a one-time device token, edits that bump the
// content version, and a change notice on the pub/sub topic after every committed write so that
// every instance can push to the streams it holds. No HTTP types here.
#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/pagination.hpp"
#include "core/pubsub.hpp"
#include "db/database.hpp"
#include "services/signage/display.hpp"

namespace o4o::services::signage {

inline constexpr std::string_view kTopic = "signage.display";
// A stream's lease on "online": renewed by every keep-alive (15 s), so it lapses within 45 s of
// an instance dying with streams open.
inline constexpr int64_t kLeaseMs = 45'000;

struct CreatedDisplay {
  Display display;
  std::string device_token;  // shown once, stored hashed
};

class DisplayService {
 public:
  DisplayService(db::Database& db, const core::Clock& clock, core::PubSub& pubsub)
      : db_(db), clock_(clock), pubsub_(pubsub) {}

  int64_t now_ms() const { return clock_.now_ms(); }

  core::PageOf<Display> list(int64_t limit, int64_t offset);
  CreatedDisplay create(const std::string& name, const std::string& location,
                        std::optional<boost::json::object> content = std::nullopt);
  std::optional<Display> find(const std::string& id);
  // The display a raw device token belongs to.
  std::optional<Display> find_by_token(std::string_view device_token);
  std::optional<std::string> find_id_by_name(const std::string& name);

  // Each returns nullopt when the display does not exist.
  std::optional<Display> update_details(const std::string& id,
                                        const std::optional<std::string>& name,
                                        const std::optional<std::string>& location);
  std::optional<Display> set_content(const std::string& id, const boost::json::object& content);
  // An empty schedule (no entries) removes it.
  std::optional<Display> set_schedule(const std::string& id, const Schedule& schedule);
  std::optional<std::string> rotate_token(const std::string& id);
  bool remove(const std::string& id);

  // Stream bookkeeping; stream_opened returns the display as it is now (nullopt: deleted).
  // local_streams: the streams this instance holds for it, the new one included.
  std::optional<Display> stream_opened(const std::string& id, int64_t local_streams);
  void streams_closed(const std::map<std::string, int64_t>& closed_by_display);
  void streams_alive(const std::map<std::string, int64_t>& open_by_display);

 private:
  template <class Write>
  std::optional<Display> write_and_reload(const std::string& id, Write&& write);
  void announce(const std::string& id);

  db::Database& db_;
  const core::Clock& clock_;
  core::PubSub& pubsub_;
};

}  // namespace o4o::services::signage
