// The MCP service's entry points: POST /mcp (and 405 for GET and DELETE), and the assistant tokens
// of /api/v1/auth/tokens. Its tools call the other services' routes; it has no demo data.
#include <memory>

#include "accounts/accounts.hpp"
#include "core/app_context.hpp"
#include "core/router.hpp"
#include "services/mcp/server.hpp"
#include "services/mcp/token_routes.hpp"

namespace o4o::services::mcp {

void attach(core::AppContext&) {}

void register_routes(core::Router& router, core::AppContext& ctx) {
  // The router outlives the server's handlers: both live as long as Platform::serve.
  auto server = std::make_shared<McpServer>(ctx, router);
  auto handler = [server](core::Request& req) { return server->handle(req); };
  router.add({core::Method::post, "/mcp", handler});
  router.add({core::Method::get, "/mcp", handler, core::Exec::io});
  router.add({core::Method::del, "/mcp", handler, core::Exec::io});
  add_token_routes(router, ctx);
}

void seed(core::AppContext&, const accounts::DemoAccounts&) {}

}  // namespace o4o::services::mcp
