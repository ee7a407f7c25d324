#pragma once
// Access rules: who may call a route. Every route declares one (core/router.hpp); the dispatcher
// checks it with authorize() before the handler runs, once, and any other entry point (an MCP
// tool, a job) calls the same function. Ownership ("the author", "the backer") is not an access
// rule: services check it, because only they know who owns what.
#include <optional>
#include <string_view>

#include "core/auth.hpp"
#include "core/caller.hpp"
#include "core/http.hpp"

namespace o4o::core {

enum class Access {
  anyone,           // public: no credentials looked at
  user,             // a valid access token of any role; 401 without one
  creator,          // a creator's or an admin's access token; 403 for a user
  admin,            // an admin's access token; 403 for anyone else
  device,           // a device token, in "Authorization: Bearer" or "?token=" (event streams
                    // cannot send headers); 401 without one. The service matches it to the display.
  admin_or_device,  // an admin's access token, or else a device token in "Authorization: Bearer"
};

// "public", "user", "creator", "admin", "device", "admin or device".
std::string_view access_name(Access rule);

// The credentials a caller presented.
struct Credentials {
  // core::bearer_token(): nullopt without an Authorization header, empty when it is not a usable
  // bearer token.
  std::optional<std::string_view> bearer;
  std::optional<std::string_view> token_param;  // ?token=, for the device rule only
  // The call changes something (not GET or HEAD): a read-only assistant token may not make it.
  bool writes = false;

  static Credentials of(const Request& req);
};

// Checks the rule against the credentials and says who the caller is; throws ApiError 401
// (UNAUTHORIZED) or 403 (FORBIDDEN). May read the database (the user's current role).
Caller authorize(const Authenticator& auth, Access rule, const Credentials& presented);

}  // namespace o4o::core
