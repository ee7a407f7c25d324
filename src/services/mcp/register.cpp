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

namespace {
// /mcp is public at the router: the protocol reads the bearer token itself, checks it with
// core::authorize, and answers a missing one with read tools only (server.cpp).
class Handlers {
 public:
  explicit Handlers(std::shared_ptr<McpServer> server) : server_(std::move(server)) {}
  core::Response mcp(core::Request& req) { return server_->handle(req); }

 private:
  std::shared_ptr<McpServer> server_;
};
}  // namespace

void register_routes(core::Router& router, core::AppContext& ctx) {
  using core::Access;
  using core::Exec;
  using core::Method;
  using H = Handlers;
  // The router outlives the server's handlers: both live as long as Platform::serve. GET and
  // DELETE only answer 405 (no server stream, no sessions): nothing to wait for off the IO thread.
  router.add_table<H>(std::make_shared<H>(std::make_shared<McpServer>(ctx, router)),
                      {
                          {Method::post, "/mcp", Access::anyone, &H::mcp},
                          {Method::get, "/mcp", Access::anyone, &H::mcp, Exec::io},
                          {Method::del, "/mcp", Access::anyone, &H::mcp, Exec::io},
                      });
  // The core's refusals on /mcp (413, 429) reach MCP clients as JSON-RPC errors.
  router.set_error_format("/mcp", &as_jsonrpc_error);
  add_token_routes(router, ctx);
}

void seed(core::AppContext&, const accounts::DemoAccounts&) {}

}  // namespace o4o::services::mcp
