#pragma once
// SQL on creator_requests (migration 810): requests to become a creator under
// O4O_CREATOR_APPROVAL=1, pending until an admin approves or rejects them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace o4o::accounts::creator_request_repo {

struct CreatorRequest {
  std::string id;
  std::string user_id;
  std::string user_name;
  std::string user_email;
  std::string reason;
  std::string status;  // pending | approved | rejected
  std::optional<std::string> decision_reason;
  int64_t created_at = 0;
  std::optional<int64_t> decided_at;
};

void insert(db::Connection& c, const std::string& id, const std::string& user_id,
            const std::string& reason, int64_t now);
// The user's newest request.
std::optional<CreatorRequest> latest_of(db::Connection& c, const std::string& user_id);
// Decides the user's pending request; false when there is none.
bool decide(db::Connection& c, const std::string& user_id, const std::string& status,
            const std::optional<std::string>& reason, int64_t now);
// Oldest first; `status` filters when set.
std::vector<CreatorRequest> list(db::Connection& c, const std::optional<std::string>& status,
                                 int64_t limit, int64_t offset);
int64_t count(db::Connection& c, const std::optional<std::string>& status);

}  // namespace o4o::accounts::creator_request_repo
