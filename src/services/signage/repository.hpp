#pragma once
// SQL for signage_displays: parameters in, rows out. Content and schedule travel as JSON text.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "services/signage/display.hpp"

namespace o4o::services::signage::repo {

struct NewDisplay {
  std::string id;
  std::string name;
  std::string location;
  std::optional<std::string> content;  // JSON text
  std::string token_hash;
  int64_t now = 0;
};

void insert(db::Connection& c, const NewDisplay& d);
std::optional<Display> find(db::Connection& c, const std::string& id);
std::optional<Display> find_by_token_hash(db::Connection& c, const std::string& token_hash);
std::optional<std::string> find_id_by_name(db::Connection& c, const std::string& name);
std::vector<Display> page(db::Connection& c, int64_t limit, int64_t offset);
int64_t count(db::Connection& c);

// Each returns whether a display was changed; every one bumps content_version and updated_at.
bool update_details(db::Connection& c, const std::string& id,
                    const std::optional<std::string>& name,
                    const std::optional<std::string>& location, int64_t now);
bool update_content(db::Connection& c, const std::string& id, const std::string& content_json,
                    int64_t now);
bool update_schedule(db::Connection& c, const std::string& id,
                     const std::optional<std::string>& schedule_json, int64_t now);
// The token is not part of the display: no version bump.
bool update_token(db::Connection& c, const std::string& id, const std::string& token_hash);
bool remove(db::Connection& c, const std::string& id);

// Stream bookkeeping (status and lastSeenAt).
void stream_opened(db::Connection& c, const std::string& id, int64_t now, int64_t lease_until,
                   int64_t local_streams);
void streams_closed(db::Connection& c, const std::string& id, int64_t closed, int64_t now);
void streams_alive(db::Connection& c, const std::string& id, int64_t local_streams, int64_t now,
                   int64_t lease_until);

}  // namespace o4o::services::signage::repo
