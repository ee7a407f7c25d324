#include "services/mcp/server.hpp"

#include <charconv>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/access.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/text.hpp"
#include "services/mcp/message.hpp"
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

json::object rpc_result(const json::value& id, json::object result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
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
    if (core::ascii_lower(h.name) == "retry-after" &&
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
  if (auto refused = refuse_origin_or_host(req, ctx_.config.public_url)) return std::move(*refused);
  if (req.header("Authorization")) {
    // A token that is present is checked as the REST API checks it, by core::authorize (2025-06-18
    // basic/authorization#token-handling: an invalid or expired token is HTTP 401). Checked as a
    // read: a read-only assistant token may use /mcp; its write tools are refused one by one.
    const auto bearer = core::bearer_token(req);
    try {
      (void)core::authorize(ctx_.auth, core::Access::user,
                            core::Credentials{bearer, std::nullopt, false});
    } catch (const core::ApiError& e) {
      if (e.status() != 401) throw;
      auto r = transport_error(401, kInvalidRequest, "Unauthorized: " + e.message());
      // The challenge of OAuth 2.1 section 5.3 (which 2025-11-25 basic/authorization#token-handling
      // points to) and RFC 6750 section 3: a bearer token that fails is invalid_token; another
      // scheme (Basic, ...) is no bearer credential at all, answered with the bare challenge.
      r.set_header("WWW-Authenticate",
                   bearer && !bearer->empty() ? R"(Bearer error="invalid_token")" : "Bearer");
      return r;
    }
  }
  auto read = read_message(req);
  if (auto* answer = std::get_if<core::Response>(&read)) return std::move(*answer);
  const auto& msg = std::get<Message>(read);
  // In the modern era initialize and ping are removed methods: dispatch answers them 404 -32601.
  auto out = dispatch(req, msg.id, msg.method, msg.params, msg.era);
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
