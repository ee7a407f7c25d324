#include "services/mcp/message.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <cctype>

#include "core/base64.hpp"
#include "core/text.hpp"
#include "services/mcp/protocol.hpp"

namespace o4o::services::mcp {

namespace json = boost::json;

namespace {

bool is_loopback_name(std::string_view host) {
  if (host == "localhost" || host.ends_with(".localhost")) return true;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string(host), ec);
  return !ec && a.is_loopback();
}

bool is_ip_literal(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(host), ec);
  return !ec;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "host[:port]" without the port.
std::string_view host_part(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') {
    auto end = authority.find(']');
    return end == std::string_view::npos ? authority : authority.substr(0, end + 1);
  }
  auto colon = authority.rfind(':');
  return colon == std::string_view::npos ? authority : authority.substr(0, colon);
}

// scheme://host[:port] of a URL, lowercased; empty when it is none.
std::string origin_of(std::string_view url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u || !u->has_authority()) return {};
  std::string o = lower(u->scheme()) + "://" + lower(u->encoded_host_and_port());
  return o;
}

bool content_type_is_json(std::optional<std::string_view> ct) {
  if (!ct) return false;
  auto semi = ct->find(';');
  auto type = lower(ct->substr(0, semi));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type == "application/json";
}

// 2025-06-18 and later: clients list application/json and text/event-stream; we answer JSON, and
// accept a client that lists only one of them (the issue), or none at all.
bool accept_ok(std::optional<std::string_view> accept) {
  if (!accept || accept->empty()) return true;
  auto a = lower(*accept);
  return a.find("application/json") != std::string::npos ||
         a.find("text/event-stream") != std::string::npos || a.find("*/*") != std::string::npos ||
         a.find("application/*") != std::string::npos;
}

}  // namespace

json::object rpc_error(const json::value& id, int code, std::string_view message,
                       json::value data) {
  json::object e{{"code", code}, {"message", message}};
  if (!data.is_null()) e["data"] = std::move(data);
  json::object out{{"jsonrpc", "2.0"}};
  if (!id.is_null()) out["id"] = id;
  out["error"] = std::move(e);
  return out;
}

core::Response json_response(int status, const json::value& body) {
  core::Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = json::serialize(body);
  return r;
}

core::Response transport_error(int status, int code, std::string_view message) {
  return json_response(status, rpc_error(nullptr, code, message));
}

json::array versions_array() {
  json::array a;
  for (auto v : kAllVersions) a.emplace_back(v);
  return a;
}

bool origin_allowed(std::string_view origin, std::string_view public_url) {
  auto o = origin_of(origin);
  if (o.empty()) return false;  // "null" and other opaque origins
  if (!public_url.empty() && o == origin_of(public_url)) return true;
  auto u = boost::urls::parse_absolute_uri(origin);
  return (u->scheme() == "http" || u->scheme() == "https") &&
         is_loopback_name(lower(u->encoded_host()));
}

bool host_allowed(std::string_view host, std::string_view public_url) {
  auto h = lower(host_part(host));
  if (h.empty()) return false;
  if (is_loopback_name(h) || is_ip_literal(h)) return true;
  if (public_url.empty()) return false;
  auto u = boost::urls::parse_absolute_uri(public_url);
  return u && lower(u->encoded_host()) == h;
}

std::optional<std::string> decode_header_value(std::string_view value) {
  constexpr std::string_view head = "=?base64?", tail = "?=";
  if (value.size() < head.size() + tail.size() || !value.starts_with(head) ||
      !value.ends_with(tail))
    return std::string(value);
  return core::base64_decode(value.substr(head.size(), value.size() - head.size() - tail.size()),
                             core::Base64::standard);
}

std::optional<core::Response> refuse_origin_or_host(const core::Request& req,
                                                    std::string_view public_url) {
  if (auto origin = req.header("Origin"); origin && !origin_allowed(*origin, public_url))
    return transport_error(403, kInvalidRequest, "Forbidden: Origin not allowed");
  if (auto host = req.header("Host"); host && !host_allowed(*host, public_url))
    return transport_error(403, kInvalidRequest, "Forbidden: Host not allowed");
  return std::nullopt;
}

std::variant<core::Response, Message> read_message(const core::Request& req) {
  if (req.method != core::Method::post) {
    // 2026-07-28 streamable-http#earlier-streamable-http-revisions: GET and DELETE are 405 (no
    // server-initiated stream, no sessions to end).
    auto r = transport_error(405, kInvalidRequest, "Method not allowed: POST only");
    r.set_header("Allow", "POST");
    return r;
  }
  if (!content_type_is_json(req.header("Content-Type")))
    return transport_error(415, kInvalidRequest, "Content-Type must be application/json");
  if (!accept_ok(req.header("Accept")))
    return transport_error(406, kInvalidRequest,
                           "Accept must allow application/json or text/event-stream");

  json::error_code ec;
  json::value body = json::parse(req.body, ec);
  if (ec) return transport_error(400, kParseError, "Parse error");
  // 2025-06-18 changelog: JSON-RPC batching removed; one message per POST.
  if (!body.is_object())
    return transport_error(400, kInvalidRequest, "Invalid Request: one JSON-RPC message per POST");
  const auto& msg = body.as_object();
  const auto* jsonrpc = msg.if_contains("jsonrpc");
  if (jsonrpc == nullptr || *jsonrpc != "2.0")
    return transport_error(400, kInvalidRequest, "Invalid Request: jsonrpc must be \"2.0\"");
  const auto* method_v = msg.if_contains("method");
  if (method_v == nullptr) {
    // A response from the client: we never send requests, so there is nothing to match it to.
    if (msg.contains("result") || msg.contains("error")) {
      core::Response r;
      r.status = 202;
      r.content_type.clear();
      return r;
    }
    return transport_error(400, kInvalidRequest, "Invalid Request: no method");
  }
  if (!method_v->is_string())
    return transport_error(400, kInvalidRequest, "Invalid Request: method must be a string");
  const std::string_view method = method_v->as_string();
  const auto* id = msg.if_contains("id");
  if (id == nullptr) {
    // A notification (notifications/initialized, notifications/cancelled, ...): accepted, 202
    // with no body (2025-06-18 and 2026-07-28 streamable-http "Sending Messages" 5).
    core::Response r;
    r.status = 202;
    r.content_type.clear();
    return r;
  }
  // MCP ids are strings or integers, never null (2025-06-18 basic#requests).
  if (!id->is_string() && !id->is_int64() && !id->is_uint64())
    return json_response(400, rpc_error(nullptr, kInvalidRequest,
                                        "Invalid Request: id must be a string or an integer"));
  const auto* params_v = msg.if_contains("params");
  if (params_v != nullptr && !params_v->is_object() && !params_v->is_null())
    return json_response(
        200, rpc_error(*id, kInvalidParams, "Invalid params: params must be an object"));
  static const json::object kNoParams;
  const auto& params =
      params_v != nullptr && params_v->is_object() ? params_v->as_object() : kNoParams;

  const auto header_version = req.header("MCP-Protocol-Version");
  const json::value* meta_v = params.if_contains("_meta");
  const json::object* meta = meta_v && meta_v->is_object() ? &meta_v->as_object() : nullptr;
  const json::value* body_version = meta ? meta->if_contains(kMetaProtocolVersion) : nullptr;
  auto bad = [&](int code, std::string_view message, json::value data = nullptr) {
    return json_response(400, rpc_error(*id, code, message, std::move(data)));
  };
  auto unsupported = [&](std::string_view requested) {
    // The header's bytes are echoed only when they are UTF-8 text: Boost.JSON writes a string's
    // bytes as they are, and a response that is not JSON helps no client (found by
    // fuzz_mcp_message).
    return bad(kUnsupportedProtocolVersion, "Unsupported protocol version",
               json::object{{"supported", versions_array()},
                            {"requested", core::is_valid_utf8(requested) ? requested : ""}});
  };

  // Which era a request belongs to (2026-07-28 basic/versioning): legacy versions (2025-11-25 and
  // earlier) open with initialize and never put a version in _meta; modern ones carry it in _meta
  // and in MCP-Protocol-Version on every request. So a request is modern when its _meta names a
  // version, when its header names 2026-07-28, or when its method exists only in the modern era
  // (server/discover). A header naming a legacy version, or none, is legacy traffic, whose _meta is
  // not checked (the conformance suite's everything-server does the same).
  const bool header_legacy = header_version && (*header_version == kV20250326 ||
                                                contains(kLegacyVersions, *header_version));
  const bool header_modern = header_version && *header_version == kV20260728;
  if (header_version && !header_legacy && !header_modern && body_version == nullptr)
    // A version we do not speak, in either era: 400 (2025-06-18 basic/transports#protocol-version-
    // header) with the UnsupportedProtocolVersionError that lists ours (2026-07-28
    // basic/versioning).
    return unsupported(*header_version);

  Era era = Era::legacy;
  if (body_version != nullptr || header_modern || method == "server/discover") {
    era = Era::modern;
    // 2026-07-28 basic/index#meta: protocolVersion and clientCapabilities are required in every
    // request's _meta (clientInfo is a SHOULD); "a request missing any required field is
    // malformed: -32602 (Invalid params); on HTTP the status MUST be 400".
    if (meta == nullptr)
      return bad(kInvalidParams, "Invalid params: _meta is required (2026-07-28)");
    if (body_version == nullptr || !body_version->is_string())
      return bad(kInvalidParams,
                 "Invalid params: _meta io.modelcontextprotocol/protocolVersion is required");
    const auto* caps = meta->if_contains(kMetaClientCapabilities);
    if (caps == nullptr || !caps->is_object())
      return bad(kInvalidParams,
                 "Invalid params: _meta io.modelcontextprotocol/clientCapabilities is required");
    // 2026-07-28 basic/transports/streamable-http#request-metadata and #server-validation: the
    // version also travels in MCP-Protocol-Version, and Mcp-Method / Mcp-Name mirror the body; a
    // missing or different header is 400 HeaderMismatch.
    const std::string_view version = body_version->as_string();
    if (!header_version)
      return bad(kHeaderMismatch, "Header mismatch: MCP-Protocol-Version header is missing");
    if (*header_version != version)
      return bad(kHeaderMismatch,
                 "Header mismatch: MCP-Protocol-Version header does not match _meta");
    if (version != kV20260728) return unsupported(version);
    auto mcp_method = req.header("Mcp-Method");
    if (!mcp_method) return bad(kHeaderMismatch, "Header mismatch: Mcp-Method header is missing");
    if (*mcp_method != method)
      return bad(kHeaderMismatch,
                 "Header mismatch: Mcp-Method header does not match the body's method");
    if (method == "tools/call" || method == "resources/read" || method == "prompts/get") {
      const auto* name_v = params.if_contains(method == "resources/read" ? "uri" : "name");
      auto mcp_name = req.header("Mcp-Name");
      if (!mcp_name) return bad(kHeaderMismatch, "Header mismatch: Mcp-Name header is missing");
      auto decoded = decode_header_value(*mcp_name);
      if (!decoded || name_v == nullptr || !name_v->is_string() || *decoded != name_v->as_string())
        return bad(kHeaderMismatch, "Header mismatch: Mcp-Name header does not match the body");
    }
  }
  return Message{*id, std::string(method), params, era};
}

}  // namespace o4o::services::mcp
