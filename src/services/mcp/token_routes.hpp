#pragma once
// /api/v1/auth/tokens: the long-lived tokens a user gives AI assistants (the contract's "MCP"
// section). Named, scoped read or write, shown once, stored hashed, listed without the secret and
// revoked at once. Verified by core::Authenticator like any bearer token.
#include "core/app_context.hpp"
#include "core/router.hpp"

namespace o4o::services::mcp {

void add_token_routes(core::Router& router, core::AppContext& ctx);

}  // namespace o4o::services::mcp
