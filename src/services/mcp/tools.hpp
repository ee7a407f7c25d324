#pragma once
// The tools of the contract's "MCP" section: each a thin adapter that turns its arguments into
// one REST call (services/mcp/loopback.hpp) and the REST answer into a tool result. Business
// errors come back as isError results carrying the contract's error code. Nothing here decides
// who may do what: each tool names the REST route it adapts, and the server checks that route's
// access rule with core::authorize before the tool runs (as the dispatcher does for the route).
#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <vector>

#include "core/caller.hpp"
#include "core/errors.hpp"
#include "core/http.hpp"
#include "services/mcp/loopback.hpp"
#include "services/mcp/quotes.hpp"

namespace o4o::services::mcp {

struct ToolContext {
  const Loopback& rest;
  const core::Request& outer;  // the /mcp request: its bearer token and client address
  const Quotes& quotes;
  const core::Caller& caller;  // who core::authorize found under the tool's route's rule
  std::string site;  // where browsers reach the web app ("https://shop.example.com"), for payUrl
};

struct ToolResult {
  boost::json::object structured;  // always an object (the contract)
  std::string text;
  bool is_error = false;
  std::string outcome = "ok";  // metrics label: ok | <error code, lowercased>
};

// The REST route a tool adapts ("/api/v1/forum/posts/:id/comments", as its service registers it):
// its access rule is the tool's. No pattern: a public tool (whoami, which answers {user: null}).
struct Adapts {
  core::Method method = core::Method::get;
  std::string_view pattern;
};

struct Tool {
  std::string name, title, description;
  Adapts route;
  boost::json::object input_schema, output_schema, annotations;
  bool read_only() const;  // its readOnlyHint: a read-only assistant token may call it
  std::function<ToolResult(const boost::json::object& args, const ToolContext&)> run;
};

// Every tool, in a fixed order (2026-07-28 server/tools: tools/list SHOULD be deterministic).
const std::vector<Tool>& tools();
const Tool* find_tool(std::string_view name);

// A refusal of core::authorize (or any ApiError) as an isError result with the contract's code.
ToolResult refusal(const core::ApiError& e);

// JSON as text with object keys sorted, for signatures and stable renderings.
std::string canonical_json(const boost::json::value& v);

}  // namespace o4o::services::mcp
