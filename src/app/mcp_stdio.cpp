#include "app/mcp_stdio.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <istream>
#include <ostream>

#include "core/base64.hpp"
#include "core/http_client.hpp"

namespace o4o::app {

namespace json = boost::json;

namespace {

std::string endpoint_of(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.size() < 4 || url.compare(url.size() - 4, 4, "/mcp") != 0) url += "/mcp";
  return url;
}

// 2026-07-28 streamable-http#value-encoding: a value that is not plain visible ASCII (or looks
// like the sentinel) travels as =?base64?...?=.
std::string header_value(std::string_view v) {
  bool plain = !v.empty() && v.front() != ' ' && v.back() != ' ' &&
               !(v.starts_with("=?base64?") && v.ends_with("?="));
  for (unsigned char c : v) plain = plain && c >= 0x20 && c <= 0x7e;
  if (plain) return std::string(v);
  return "=?base64?" + core::base64_encode(v, core::Base64::standard) + "?=";
}

json::value error_reply(const json::value& id, std::string message, int status) {
  json::object e{{"code", -32603}, {"message", std::move(message)}};
  if (status != 0) e["data"] = json::object{{"httpStatus", status}};
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(e)}};
}

}  // namespace

int run_mcp_stdio(const McpBridgeOptions& options, std::istream& in, std::ostream& out,
                  std::ostream& log) {
  const std::string endpoint = endpoint_of(options.url);
  log << "o4o mcp: forwarding stdio to " << endpoint
      << (options.token.empty() ? " (anonymous: read tools only)" : "") << std::endl;
  std::string legacy_version;  // negotiated by initialize, sent on later requests (2025-06-18)
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;

    core::OutboundRequest req;
    req.method = "POST";
    req.url = endpoint;
    req.body = line;
    req.timeout = std::chrono::milliseconds(60'000);
    req.headers = {{"Content-Type", "application/json"},
                   {"Accept", "application/json, text/event-stream"}};
    if (!options.token.empty()) req.headers.push_back({"Authorization", "Bearer " + options.token});

    json::error_code ec;
    json::value msg = json::parse(line, ec);
    json::value id = nullptr;
    std::string method;
    bool has_id = false;
    if (!ec && msg.is_object()) {
      const auto& o = msg.as_object();
      if (const auto* i = o.if_contains("id")) {
        id = *i;
        has_id = true;
      }
      if (const auto* m = o.if_contains("method"); m && m->is_string()) method = m->as_string();
      const json::object* params = nullptr;
      if (const auto* p = o.if_contains("params"); p && p->is_object()) params = &p->as_object();
      const json::value* version = nullptr;
      if (params)
        if (const auto* meta = params->if_contains("_meta"); meta && meta->is_object())
          version = meta->as_object().if_contains("io.modelcontextprotocol/protocolVersion");
      if (version && version->is_string()) {
        // The modern era's request headers mirror the body (2026-07-28 streamable-http
        // #standard-request-headers), as an HTTP client would send them.
        req.headers.push_back({"MCP-Protocol-Version", std::string(version->as_string())});
        req.headers.push_back({"Mcp-Method", method});
        const char* key = method == "resources/read" ? "uri" : "name";
        if (method == "tools/call" || method == "resources/read" || method == "prompts/get")
          if (const auto* n = params->if_contains(key); n && n->is_string())
            req.headers.push_back({"Mcp-Name", header_value(n->as_string())});
      } else if (!legacy_version.empty() && method != "initialize") {
        req.headers.push_back({"MCP-Protocol-Version", legacy_version});
      }
    }

    core::OutboundResponse res;
    try {
      res = core::http_call(req);
    } catch (const core::OutboundUnavailable&) {
      log << "o4o mcp: " << endpoint << " did not answer" << std::endl;
      if (has_id) out << json::serialize(error_reply(id, "The O4O server did not answer", 0)) << "\n" << std::flush;
      continue;
    }
    if (res.status == 202 || res.body.empty()) continue;
    json::value reply = json::parse(res.body, ec);
    const bool rpc = !ec && reply.is_object() && reply.as_object().contains("jsonrpc");
    if (!rpc) {
      // Not a JSON-RPC answer (a proxy's page, an older server's REST envelope): say so.
      std::string message = "The O4O server answered HTTP " + std::to_string(res.status);
      if (!ec && reply.is_object())
        if (const auto* e = reply.as_object().if_contains("error"); e && e->is_object())
          if (const auto* m = e->as_object().if_contains("message"); m && m->is_string())
            message += ": " + std::string(m->as_string());
      log << "o4o mcp: " << message << std::endl;
      if (has_id) out << json::serialize(error_reply(id, message, res.status)) << "\n" << std::flush;
      continue;
    }
    // An error the transport answered before reading the message (401, 403, 429) has no id (an
    // older server wrote null): give it the request's, so that the client can match it.
    if (has_id && reply.as_object().contains("error"))
      if (auto* rid = reply.as_object().if_contains("id"); rid == nullptr || rid->is_null())
        reply.as_object()["id"] = id;
    if (method == "initialize")
      if (const auto* r = reply.as_object().if_contains("result"); r && r->is_object())
        if (const auto* v = r->as_object().if_contains("protocolVersion"); v && v->is_string())
          legacy_version = v->as_string();
    if (has_id) out << json::serialize(reply) << "\n" << std::flush;
  }
  return 0;
}

}  // namespace o4o::app
