#pragma once
// The tools of the contract's "MCP" section: each a thin adapter that turns its arguments into
// one REST call (services/mcp/loopback.hpp) and the REST answer into a tool result. Business
// errors come back as isError results carrying the contract's error code; nothing here decides
// who may do what.
#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <vector>

#include "core/http.hpp"
#include "services/mcp/loopback.hpp"
#include "services/mcp/quotes.hpp"

namespace o4o::services::mcp {

struct ToolContext {
  const Loopback& rest;
  const core::Request& outer;  // the /mcp request: its bearer token and client address
  const Quotes& quotes;
  std::string site;  // where browsers reach the web app ("https://shop.example.com"), for payUrl
};

struct ToolResult {
  boost::json::object structured;  // always an object (the contract)
  std::string text;
  bool is_error = false;
  std::string outcome = "ok";  // metrics label: ok | <error code, lowercased>
};

struct Tool {
  std::string name, title, description;
  boost::json::object input_schema, output_schema, annotations;
  std::function<ToolResult(const boost::json::object& args, const ToolContext&)> run;
};

// Every tool, in a fixed order (2026-07-28 server/tools: tools/list SHOULD be deterministic).
const std::vector<Tool>& tools();
const Tool* find_tool(std::string_view name);

// JSON as text with object keys sorted, for signatures and stable renderings.
std::string canonical_json(const boost::json::value& v);

}  // namespace o4o::services::mcp
