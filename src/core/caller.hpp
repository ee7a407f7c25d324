#pragma once
// Who is calling, as plain values: what core::authorize (core/access.hpp) found out from the
// credentials a request presented, as far as its route's access rule needed to know.
#include <cstdint>
#include <optional>
#include <string>

namespace o4o::core {

struct AuthUser {
  std::string id;
  std::string email;
  std::string role;  // admin | creator | user
  bool email_verified = false;
  int64_t sessions_after = 0;  // ms: access tokens issued before this second are no longer valid
  // Empty for an access token; "read" or "write" for an assistant token
  // (core::kAssistantTokenPrefix).
  std::string token_scope;
  bool is_admin() const { return role == "admin"; }
};

struct Caller {
  // A verified access token's user: always set under the rules user, creator and admin.
  std::optional<AuthUser> user;
  // The token presented under the rule device (or admin_or_device without an access token), not
  // yet matched to a display: the service does that.
  std::string device_token;
};

}  // namespace o4o::core
