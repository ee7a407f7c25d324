// The MCP service's entry points: POST /mcp (and 405 for GET and DELETE). It has no tables and
// no demo data of its own: its tools call the other services' routes.
#include <memory>

#include "accounts/accounts.hpp"
#include "core/app_context.hpp"
#include "core/router.hpp"
#include "services/mcp/server.hpp"

namespace o4o::services::mcp {

void attach(core::AppContext&) {}

void register_routes(core::Router& router, core::AppContext& ctx) {
  // The router outlives the server's handlers: both live as long as Platform::serve.
  auto server = std::make_shared<McpServer>(ctx, router);
  auto handler = [server](core::Request& req) { return server->handle(req); };
  router.add({core::Method::post, "/mcp", handler});
  router.add({core::Method::get, "/mcp", handler, core::Exec::io});
  router.add({core::Method::del, "/mcp", handler, core::Exec::io});
}

void seed(core::AppContext&, const accounts::DemoAccounts&) {}

}  // namespace o4o::services::mcp
