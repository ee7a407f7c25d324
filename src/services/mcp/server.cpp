#include "services/mcp/server.hpp"

#include <sodium.h>

#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <boost/asio/ip/address.hpp>

#include "core/access.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "services/mcp/protocol.hpp"
#include "services/mcp/tools.hpp"

namespace o4o::services::mcp {

namespace json = boost::json;

namespace {

constexpr std::string_view kServerName = "o4o";
constexpr std::string_view kInstructions =
    "O4O Platform: a community's shop, crowdfunding, forum and digital signage. Read tools work "
    "for anyone; write tools act as the user whose token the client sends. place_order and "
    "back_project answer a quote first and act only when called again with confirm: true and "
    "the quoteId; show the quote to the user before confirming. Money is in integer minor units.";

json::object server_info() {
  return {{"name", kServerName}, {"title", "O4O Platform"}, {"version", "0.1.0"}};
}

json::object rpc_error(const json::value& id, int code, std::string_view message,
                       json::value data = nullptr) {
  json::object e{{"code", code}, {"message", message}};
  if (!data.is_null()) e["data"] = std::move(data);
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(e)}};
}

json::object rpc_result(const json::value& id, json::object result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

core::Response json_response(int status, const json::value& body) {
  core::Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = json::serialize(body);
  return r;
}

// Errors sent before a message is read have no id (2026-07-28 streamable-http: the body MAY be a
// JSON-RPC error response that has no id). JSON-RPC 2.0 writes that id as null.
core::Response transport_error(int status, int code, std::string_view message) {
  return json_response(status, rpc_error(nullptr, code, message));
}

bool is_loopback_name(std::string_view host) {
  if (host == "localhost" || host.ends_with(".localhost")) return true;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string(host), ec);
  return !ec && a.is_loopback();
}

bool is_ip_literal(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
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

template <class Range>
bool contains(const Range& r, std::string_view v) {
  for (auto x : r)
    if (x == v) return true;
  return false;
}

json::array versions_array() {
  json::array a;
  for (auto v : kAllVersions) a.emplace_back(v);
  return a;
}

json::object capabilities() {
  // 2025-06-18 basic/lifecycle#capability-negotiation; no list-changed notifications: the lists
  // never change while the server runs, and a stateless server keeps no stream to send them on.
  return {{"tools", json::object{{"listChanged", false}}},
          {"resources", json::object{{"subscribe", false}, {"listChanged", false}}}};
}

// Modern results: resultType (2026-07-28 changelog 8), serverInfo in _meta (changelog 2) and, for
// lists and reads, ttlMs/cacheScope (2026-07-28 server/utilities/caching, CacheableResult).
json::object modern(json::object result, std::optional<std::string_view> cache_scope = {},
                    int64_t ttl_ms = 0) {
  result["resultType"] = "complete";
  json::object meta;
  if (auto* m = result.if_contains("_meta"); m && m->is_object()) meta = m->as_object();
  meta[kMetaServerInfo] = server_info();
  result["_meta"] = std::move(meta);
  if (cache_scope) {
    result["ttlMs"] = ttl_ms;
    result["cacheScope"] = *cache_scope;
  }
  return result;
}

struct ResourceKind {
  std::string_view prefix, rest_base, name, title, description;
};
constexpr ResourceKind kResources[] = {
    {"o4o://products/", "/api/v1/ecommerce/products/", "product", "Product",
     "A product of the shop, as JSON"},
    {"o4o://projects/", "/api/v1/crowdfunding/projects/", "project", "Crowdfunding project",
     "A crowdfunding project with its rewards, as JSON"},
    {"o4o://forum/posts/", "/api/v1/forum/posts/", "post", "Forum post",
     "A forum post with its first comments, as JSON"},
};

}  // namespace

void as_jsonrpc_error(core::Response& r) {
  json::error_code ec;
  json::value body = json::parse(r.body, ec);
  const auto* envelope = !ec && body.is_object() ? &body.as_object() : nullptr;
  if (envelope == nullptr || envelope->if_contains("success") == nullptr) return;  // JSON-RPC already
  const auto* error = envelope->if_contains("error");
  if (error == nullptr || !error->is_object()) return;
  const auto* code = error->as_object().if_contains("code");
  const auto* message = error->as_object().if_contains("message");
  json::object data{{"code", code != nullptr ? *code : json::value("INTERNAL_ERROR")}};
  for (const auto& h : r.headers) {
    int seconds = 0;
    const auto& v = h.value;
    if (lower(h.name) == "retry-after" &&
        std::from_chars(v.data(), v.data() + v.size(), seconds).ec == std::errc{})
      data["retryAfter"] = seconds;
  }
  // Input the server would not take (413, 400) is an invalid request; too many requests and a
  // failing server are server errors (JSON-RPC 2.0 section 5.1).
  const int rpc_code = r.status == 429  ? kServerBusy
                       : r.status >= 500 ? kInternalError
                                         : kInvalidRequest;
  const std::string_view text =
      message != nullptr && message->is_string() ? std::string_view(message->as_string()) : "Error";
  r.body = json::serialize(rpc_error(nullptr, rpc_code, text, std::move(data)));
  r.content_type = "application/json";
}

McpServer::McpServer(core::AppContext& ctx, const core::Router& router)
    : ctx_(ctx),
      router_(router),
      rest_(ctx, router),
      // Quotes are signed with a key derived from the JWT secret, which every instance shares;
      // with RS256 and no secret, a per-process key (quotes then confirm on the same instance).
      quotes_(ctx.config.jwt_secret.empty()
                  ? core::random_hex(32)
                  : core::sha256_hex("o4o-mcp-quotes\n" + ctx.config.jwt_secret)) {}

bool McpServer::origin_allowed(std::string_view origin, std::string_view public_url) {
  auto o = origin_of(origin);
  if (o.empty()) return false;  // "null" and other opaque origins
  if (!public_url.empty() && o == origin_of(public_url)) return true;
  auto u = boost::urls::parse_absolute_uri(origin);
  return (u->scheme() == "http" || u->scheme() == "https") && is_loopback_name(lower(u->encoded_host()));
}

bool McpServer::host_allowed(std::string_view host, std::string_view public_url) {
  auto h = lower(host_part(host));
  if (h.empty()) return false;
  if (is_loopback_name(h) || is_ip_literal(h)) return true;
  if (public_url.empty()) return false;
  auto u = boost::urls::parse_absolute_uri(public_url);
  return u && lower(u->encoded_host()) == h;
}

std::optional<std::string> McpServer::decode_header_value(std::string_view value) {
  constexpr std::string_view head = "=?base64?", tail = "?=";
  if (value.size() < head.size() + tail.size() || !value.starts_with(head) || !value.ends_with(tail))
    return std::string(value);
  auto b64 = value.substr(head.size(), value.size() - head.size() - tail.size());
  std::string out(b64.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                        b64.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

std::string McpServer::site(const core::Request& req) const {
  if (!ctx_.config.public_url.empty()) {
    std::string s = ctx_.config.public_url;
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
  }
  auto host = req.header("Host");
  return "http://" + std::string(host ? *host : "localhost");
}

core::Response McpServer::handle(const core::Request& req) const {
  const auto& public_url = ctx_.config.public_url;
  if (auto origin = req.header("Origin"); origin && !origin_allowed(*origin, public_url))
    return transport_error(403, kInvalidRequest, "Forbidden: Origin not allowed");
  if (auto host = req.header("Host"); host && !host_allowed(*host, public_url))
    return transport_error(403, kInvalidRequest, "Forbidden: Host not allowed");
  if (req.header("Authorization")) {
    // A token that is present is checked as the REST API checks it, by core::authorize (2025-06-18
    // basic/authorization#token-handling: an invalid or expired token is HTTP 401). Checked as a
    // read: a read-only assistant token may use /mcp; its write tools are refused one by one.
    try {
      (void)core::authorize(ctx_.auth, core::Access::user,
                            core::Credentials{core::bearer_token(req), std::nullopt, false});
    } catch (const core::ApiError& e) {
      if (e.status() != 401) throw;
      auto r = transport_error(401, kInvalidRequest, "Unauthorized: " + e.message());
      r.set_header("WWW-Authenticate", "Bearer");
      return r;
    }
  }
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
  if (!body.is_object()) return transport_error(400, kInvalidRequest, "Invalid Request: one JSON-RPC message per POST");
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
  if (!method_v->is_string()) return transport_error(400, kInvalidRequest, "Invalid Request: method must be a string");
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
    return json_response(400, rpc_error(nullptr, kInvalidRequest, "Invalid Request: id must be a string or an integer"));
  static const json::object kNoParams;
  const auto* params_v = msg.if_contains("params");
  if (params_v != nullptr && !params_v->is_object() && !params_v->is_null())
    return json_response(200, rpc_error(*id, kInvalidParams, "Invalid params: params must be an object"));
  const auto& params = params_v != nullptr && params_v->is_object() ? params_v->as_object() : kNoParams;

  const auto header_version = req.header("MCP-Protocol-Version");
  const json::value* meta_v = params.if_contains("_meta");
  const json::object* meta = meta_v && meta_v->is_object() ? &meta_v->as_object() : nullptr;
  const json::value* body_version = meta ? meta->if_contains(kMetaProtocolVersion) : nullptr;
  auto bad = [&](int code, std::string_view message, json::value data = nullptr) {
    return json_response(400, rpc_error(*id, code, message, std::move(data)));
  };
  auto unsupported = [&](std::string_view requested) {
    return bad(kUnsupportedProtocolVersion, "Unsupported protocol version",
               json::object{{"supported", versions_array()}, {"requested", requested}});
  };

  // Which era a request belongs to (2026-07-28 basic/versioning): legacy versions (2025-11-25 and
  // earlier) open with initialize and never put a version in _meta; modern ones carry it in _meta
  // and in MCP-Protocol-Version on every request. So a request is modern when its _meta names a
  // version, when its header names 2026-07-28, or when its method exists only in the modern era
  // (server/discover). A header naming a legacy version, or none, is legacy traffic, whose _meta is
  // not checked (the conformance suite's everything-server does the same).
  const bool header_legacy =
      header_version && (*header_version == kV20250326 || contains(kLegacyVersions, *header_version));
  const bool header_modern = header_version && *header_version == kV20260728;
  if (header_version && !header_legacy && !header_modern && body_version == nullptr)
    // A version we do not speak, in either era: 400 (2025-06-18 basic/transports#protocol-version-
    // header) with the UnsupportedProtocolVersionError that lists ours (2026-07-28 basic/versioning).
    return unsupported(*header_version);

  Era era = Era::legacy;
  if (body_version != nullptr || header_modern || method == "server/discover") {
    era = Era::modern;
    // 2026-07-28 basic/index#meta: protocolVersion and clientCapabilities are required in every
    // request's _meta (clientInfo is a SHOULD); "a request missing any required field is
    // malformed: -32602 (Invalid params); on HTTP the status MUST be 400".
    if (meta == nullptr) return bad(kInvalidParams, "Invalid params: _meta is required (2026-07-28)");
    if (body_version == nullptr || !body_version->is_string())
      return bad(kInvalidParams, "Invalid params: _meta io.modelcontextprotocol/protocolVersion is required");
    const auto* caps = meta->if_contains(kMetaClientCapabilities);
    if (caps == nullptr || !caps->is_object())
      return bad(kInvalidParams, "Invalid params: _meta io.modelcontextprotocol/clientCapabilities is required");
    // 2026-07-28 basic/transports/streamable-http#request-metadata and #server-validation: the
    // version also travels in MCP-Protocol-Version, and Mcp-Method / Mcp-Name mirror the body; a
    // missing or different header is 400 HeaderMismatch.
    const std::string_view version = body_version->as_string();
    if (!header_version) return bad(kHeaderMismatch, "Header mismatch: MCP-Protocol-Version header is missing");
    if (*header_version != version)
      return bad(kHeaderMismatch, "Header mismatch: MCP-Protocol-Version header does not match _meta");
    if (version != kV20260728) return unsupported(version);
    auto mcp_method = req.header("Mcp-Method");
    if (!mcp_method) return bad(kHeaderMismatch, "Header mismatch: Mcp-Method header is missing");
    if (*mcp_method != method)
      return bad(kHeaderMismatch, "Header mismatch: Mcp-Method header does not match the body's method");
    if (method == "tools/call" || method == "resources/read" || method == "prompts/get") {
      const auto* name_v = params.if_contains(method == "resources/read" ? "uri" : "name");
      auto mcp_name = req.header("Mcp-Name");
      if (!mcp_name) return bad(kHeaderMismatch, "Header mismatch: Mcp-Name header is missing");
      auto decoded = decode_header_value(*mcp_name);
      if (!decoded || name_v == nullptr || !name_v->is_string() || *decoded != name_v->as_string())
        return bad(kHeaderMismatch, "Header mismatch: Mcp-Name header does not match the body");
    }
  }
  // In the modern era initialize and ping are removed methods: dispatch answers them 404 -32601.
  auto out = dispatch(req, *id, method, params, era);
  return json_response(out.status, out.message);
}

McpServer::Outcome McpServer::dispatch(const core::Request& req, const json::value& id,
                                       std::string_view method, const json::object& params,
                                       Era era) const {
  const bool is_modern = era == Era::modern;
  auto result = [&](json::object r, std::optional<std::string_view> scope = {}, int64_t ttl = 0) {
    return Outcome{200, rpc_result(id, is_modern ? modern(std::move(r), scope, ttl) : std::move(r))};
  };
  if (method == "initialize" && !is_modern) {
    // 2025-06-18 basic/lifecycle#version-negotiation: the client's version when supported, else
    // the latest we support.
    const auto* v = params.if_contains("protocolVersion");
    if (v == nullptr || !v->is_string())
      return {200, rpc_error(id, kInvalidParams, "Invalid params: protocolVersion is required")};
    std::string_view chosen = contains(kLegacyVersions, v->as_string()) ? std::string_view(v->as_string())
                                                                        : kLegacyVersions.front();
    return result({{"protocolVersion", chosen},
                   {"capabilities", capabilities()},
                   {"serverInfo", server_info()},
                   {"instructions", kInstructions}});
  }
  if (method == "server/discover") {
    // 2026-07-28 server/discover: versions, capabilities, identity; cacheable and public.
    json::object r{{"supportedVersions", versions_array()},
                   {"capabilities", capabilities()},
                   {"instructions", kInstructions}};
    return Outcome{200, rpc_result(id, modern(std::move(r), "public", 3'600'000))};
  }
  if (method == "ping" && !is_modern) return result({});  // removed in 2026-07-28 (changelog 5)
  if (method == "tools/list") {
    json::array list;
    for (const auto& t : tools()) {
      list.push_back(json::object{{"name", t.name},
                                  {"title", t.title},
                                  {"description", t.description},
                                  {"inputSchema", t.input_schema},
                                  {"outputSchema", t.output_schema},
                                  {"annotations", t.annotations}});
    }
    // The same list for everyone (the contract): publicly cacheable.
    return result({{"tools", std::move(list)}}, "public", 3'600'000);
  }
  if (method == "tools/call") {
    const auto* name = params.if_contains("name");
    if (name == nullptr || !name->is_string())
      return {200, rpc_error(id, kInvalidParams, "Invalid params: name is required")};
    if (find_tool(name->as_string()) == nullptr) {
      // 2025-11-25 server/tools#error-handling: an unknown tool is a protocol error.
      core::metrics::count_mcp_tool_call("<unknown>", "unknown_tool");
      return {200, rpc_error(id, kInvalidParams, "Unknown tool: " + std::string(name->as_string()))};
    }
    const auto* args = params.if_contains("arguments");
    if (args != nullptr && !args->is_object() && !args->is_null())
      return {200, rpc_error(id, kInvalidParams, "Invalid params: arguments must be an object")};
    return result(call_tool(req, params));
  }
  if (method == "resources/list") return result({{"resources", json::array{}}}, "public", 3'600'000);
  if (method == "resources/templates/list") {
    json::array templates;
    for (const auto& k : kResources)
      templates.push_back(json::object{{"uriTemplate", std::string(k.prefix) + "{id}"},
                                       {"name", k.name},
                                       {"title", k.title},
                                       {"description", k.description},
                                       {"mimeType", "application/json"}});
    return result({{"resourceTemplates", std::move(templates)}}, "public", 3'600'000);
  }
  if (method == "resources/read") return read_resource(req, id, params, era);
  // 2026-07-28 streamable-http#protocol-version-header: an unknown method is 404 with -32601;
  // before, a plain JSON-RPC error.
  return {is_modern ? 404 : 200, rpc_error(id, kMethodNotFound, "Method not found")};
}

json::object McpServer::call_tool(const core::Request& req, const json::object& params) const {
  const Tool& tool = *find_tool(params.at("name").as_string());
  static const json::object kNoArgs;
  const auto* a = params.if_contains("arguments");
  const auto& args = a != nullptr && a->is_object() ? a->as_object() : kNoArgs;
  ToolResult r;
  try {
    // The tool's access is its REST route's rule, checked by the one function that checks every
    // route (core::authorize), before anything runs: a write tool without a token, or an admin's
    // tool for a user, is refused before its quote. The route itself checks again when the tool
    // calls it. A read-only assistant token may call only the read-only tools.
    core::Caller caller;
    if (!tool.route.pattern.empty()) {
      const core::Route* route = router_.find(tool.route.method, tool.route.pattern);
      if (route == nullptr)
        throw core::err::not_found("This server does not serve " + std::string(tool.route.pattern));
      caller = core::authorize(ctx_.auth, route->access,
                               core::Credentials{core::bearer_token(req), std::nullopt, !tool.read_only()});
    }
    ToolContext tc{rest_, req, quotes_, caller, site(req)};
    r = tool.run(args, tc);
  } catch (const core::ApiError& e) {
    r = refusal(e);
  } catch (const std::exception& e) {
    core::log::error("mcp tool failed", {{"tool", tool.name}, {"requestId", req.request_id}, {"error", e.what()}});
    r.is_error = true;
    r.text = "INTERNAL_ERROR: the tool failed";
    r.outcome = "internal_error";
  }
  core::metrics::count_mcp_tool_call(tool.name, r.outcome);
  json::object out;
  out["content"] = json::array{json::object{{"type", "text"}, {"text", r.text}}};
  if (!r.is_error) out["structuredContent"] = std::move(r.structured);
  out["isError"] = r.is_error;
  return out;
}

McpServer::Outcome McpServer::read_resource(const core::Request& req, const json::value& id,
                                            const json::object& params, Era era) const {
  const bool is_modern = era == Era::modern;
  const auto* uri_v = params.if_contains("uri");
  if (uri_v == nullptr || !uri_v->is_string())
    return {200, rpc_error(id, kInvalidParams, "Invalid params: uri is required")};
  const std::string uri(uri_v->as_string());
  // Resource not found: -32002 up to 2025-11-25, -32602 from 2026-07-28 (changelog minor 6).
  auto not_found = [&] {
    return Outcome{200, rpc_error(id, is_modern ? kInvalidParams : kLegacyResourceNotFound,
                                  "Resource not found", json::object{{"uri", uri}})};
  };
  for (const auto& k : kResources) {
    if (!uri.starts_with(k.prefix)) continue;
    const std::string rid = uri.substr(k.prefix.size());
    if (rid.empty() || rid.find_first_of("/?#") != std::string::npos) return not_found();
    auto a = rest_.call(req, {core::Method::get, std::string(k.rest_base) + rid});
    if (a.status == 404) return not_found();
    if (!a.ok()) return {200, rpc_error(id, kInternalError, a.code + ": " + a.message)};
    json::object content{{"uri", uri}, {"mimeType", "application/json"}, {"text", canonical_json(a.data)}};
    json::object r{{"contents", json::array{std::move(content)}}};
    return {200, rpc_result(id, is_modern ? modern(std::move(r), "private", 0) : std::move(r))};
  }
  return not_found();
}

}  // namespace o4o::services::mcp
