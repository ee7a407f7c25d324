#pragma once
// Reading one POST /mcp before any method runs: the transport's checks (Origin and Host against
// DNS rebinding, the HTTP method, Content-Type, Accept) and the JSON-RPC message with its era
// (2026-07-28 basic/versioning). Free of the application, so that fuzz_mcp_message can feed it
// any request; McpServer::handle checks the bearer token in between and dispatches the message.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/http.hpp"

namespace o4o::services::mcp {

// Legacy: the initialize handshake of 2025-06-18/2025-11-25; modern: the per-request _meta of
// 2026-07-28.
enum class Era { legacy, modern };

// A JSON-RPC request to dispatch: its id (a string or an integer), method, params (empty when
// absent or null) and era.
struct Message {
  boost::json::value id;
  std::string method;
  boost::json::object params;
  Era era = Era::legacy;
};

// The checks against DNS rebinding (2025-06-18 and 2026-07-28 transports, "Security"): an
// Origin, when present, must be O4O_PUBLIC_URL's or a loopback one; the Host must be a loopback
// name, an IP literal (a rebound name never is one) or O4O_PUBLIC_URL's host.
bool origin_allowed(std::string_view origin, std::string_view public_url);
bool host_allowed(std::string_view host, std::string_view public_url);
// 403 when the request's Origin or Host is not allowed.
std::optional<core::Response> refuse_origin_or_host(const core::Request& req,
                                                    std::string_view public_url);
// "=?base64?...?=" decoded (2026-07-28 streamable-http#value-encoding); other values as given.
// nullopt for bad Base64.
std::optional<std::string> decode_header_value(std::string_view value);

// The message of a request, or the answer it already has: 405, 415, 406, a parse error, an
// invalid request or params, a header mismatch, an unsupported version (each with the JSON-RPC
// error of its revision), or 202 with no body for a notification or a client's response.
std::variant<core::Response, Message> read_message(const core::Request& req);

// JSON-RPC 2.0 error and response bodies. An error whose request id could not be read (null
// here) has no "id" member: MCP ids are never null (basic/index of every revision: "Unlike base
// JSON-RPC, the ID MUST NOT be null"; the schema's JSONRPCErrorResponse has "id?: RequestId" from
// 2025-11-25 on, and the official clients refuse an error response whose id is null).
boost::json::object rpc_error(const boost::json::value& id, int code, std::string_view message,
                              boost::json::value data = nullptr);
core::Response json_response(int status, const boost::json::value& body);
// Errors sent before a message is read: a JSON-RPC error response that has no id (2025-06-18,
// 2025-11-25 and 2026-07-28 streamable-http).
core::Response transport_error(int status, int code, std::string_view message);
// The versions this server speaks, newest first.
boost::json::array versions_array();

template <class Range>
bool contains(const Range& r, std::string_view v) {
  for (auto x : r)
    if (x == v) return true;
  return false;
}

}  // namespace o4o::services::mcp
