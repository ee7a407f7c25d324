#pragma once
// The MCP endpoint: Streamable HTTP at /mcp, stateless, answering application/json, in both eras
// of the protocol (the initialize handshake of 2025-06-18/2025-11-25 and the per-request _meta of
// 2026-07-28). One JSON-RPC message per POST; the answer is computed here from the request alone.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>

#include "core/app_context.hpp"
#include "core/http.hpp"
#include "core/router.hpp"
#include "services/mcp/loopback.hpp"
#include "services/mcp/message.hpp"
#include "services/mcp/quotes.hpp"

namespace o4o::services::mcp {

// An error envelope the core answered on /mcp (a 413 while the body was read, a 429 of the rate
// limit, a 503 when the handler threw) made a JSON-RPC error response with no id, as the
// transport allows for input it cannot accept: the same status and headers (Retry-After), the
// contract's error code in data.code. Other answers are left as they are.
void as_jsonrpc_error(core::Response& r);

class McpServer {
 public:
  McpServer(core::AppContext& ctx, const core::Router& router);
  core::Response handle(const core::Request& req) const;

 private:
  struct Outcome {
    int status = 200;
    boost::json::value message;  // the JSON-RPC response
  };
  Outcome dispatch(const core::Request& req, const boost::json::value& id, std::string_view method,
                   const boost::json::object& params, Era era) const;
  boost::json::object call_tool(const core::Request& req, const boost::json::object& params) const;
  Outcome read_resource(const core::Request& req, const boost::json::value& id,
                        const boost::json::object& params, Era era) const;
  std::string site(const core::Request& req) const;

  core::AppContext& ctx_;
  const core::Router& router_;
  Loopback rest_;
  Quotes quotes_;
};

}  // namespace o4o::services::mcp
