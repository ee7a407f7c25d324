#pragma once
// Account records used outside the HTTP API: `o4o users create` and `o4o seed`.
#include <optional>
#include <string>
#include <string_view>

#include "core/app_context.hpp"

namespace o4o::core {

// Creates the account, or updates an existing one (same email after normalisation) to the given
// password, name and role and ends its sessions. Returns the user's id. Validates like the API
// does and throws ApiError (VALIDATION_ERROR) on a bad value.
std::string upsert_user(AppContext& ctx, const std::string& email, const std::string& password,
                        const std::string& name, const std::string& role);

// Ends every session of the user: revokes all of its live refresh tokens. Used by upsert_user and
// by the auth service (password change, deletion); the refresh_tokens table is core's.
void revoke_user_sessions(db::Connection& c, const std::string& user_id, int64_t now_ms);

// Trimmed and lowercased; nullopt when it is not a plausible address (local@domain.tld, at most
// 254 characters).
std::optional<std::string> normalize_email(std::string_view email);

}  // namespace o4o::core
