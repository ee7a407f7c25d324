// The MCP server's pure rules, without a server: quote ids, header value decoding, the DNS
// rebinding checks, canonical JSON, and the tool table's shape.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>

#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/router.hpp"
#include "services/mcp/message.hpp"
#include "services/mcp/quotes.hpp"
#include "services/mcp/server.hpp"
#include "services/mcp/tools.hpp"

namespace mcp = o4o::services::mcp;

TEST(McpQuotes, BindToolUserArgumentsAndExpiry) {
  mcp::Quotes q("secret-one");
  const std::string id = q.issue("place_order", "user-1", R"({"items":[1]})", 4200, 1000);
  EXPECT_EQ(mcp::Quotes::total_of(id), 4200);
  EXPECT_EQ(q.check(id, "place_order", "user-1", R"({"items":[1]})", 999), mcp::Quotes::Check::ok);
  EXPECT_EQ(q.check(id, "place_order", "user-1", R"({"items":[1]})", 1001), mcp::Quotes::Check::expired);
  EXPECT_EQ(q.check(id, "place_order", "user-2", R"({"items":[1]})", 0), mcp::Quotes::Check::invalid);
  EXPECT_EQ(q.check(id, "back_project", "user-1", R"({"items":[1]})", 0), mcp::Quotes::Check::invalid);
  EXPECT_EQ(q.check(id, "place_order", "user-1", R"({"items":[2]})", 0), mcp::Quotes::Check::invalid);
  EXPECT_EQ(mcp::Quotes("secret-two").check(id, "place_order", "user-1", R"({"items":[1]})", 0),
            mcp::Quotes::Check::invalid);
  // A later expiry written into the id breaks its signature.
  std::string forged = id;
  forged.replace(3, 4, "9999");
  EXPECT_EQ(q.check(forged, "place_order", "user-1", R"({"items":[1]})", 0), mcp::Quotes::Check::invalid);
  // So does a smaller total.
  std::string cheaper = id;
  cheaper.replace(cheaper.find(".4200."), 6, ".4100.");
  EXPECT_EQ(mcp::Quotes::total_of(cheaper), 4100);
  EXPECT_EQ(q.check(cheaper, "place_order", "user-1", R"({"items":[1]})", 0), mcp::Quotes::Check::invalid);
  EXPECT_EQ(q.check("garbage", "place_order", "user-1", "{}", 0), mcp::Quotes::Check::invalid);
  EXPECT_EQ(mcp::Quotes::idempotency_key(id), mcp::Quotes::idempotency_key(id));
  EXPECT_LE(mcp::Quotes::idempotency_key(id).size(), 255u);
}

TEST(McpHeaders, Base64SentinelIsDecoded) {
  EXPECT_EQ(mcp::decode_header_value("whoami"), "whoami");
  EXPECT_EQ(mcp::decode_header_value("=?base64?SGVsbG8sIOS4lueVjA==?="), "Hello, 世界");
  EXPECT_EQ(mcp::decode_header_value("=?base64?!!!?="), std::nullopt);
}

// An unknown MCP-Protocol-Version is answered with the versions we speak and the one asked for;
// bytes that are not UTF-8 are not echoed into the JSON (they made the answer invalid JSON; found
// by fuzz_mcp_message).
TEST(McpHeaders, UnsupportedVersionAnswerIsJsonWhateverTheHeaderHolds) {
  for (std::string version : {std::string("2024-11-05"), std::string("20\xff" "4-11-05")}) {
    o4o::core::Request req;
    req.method = o4o::core::Method::post;
    req.headers = {{"Content-Type", "application/json"}, {"MCP-Protocol-Version", version}};
    req.body = R"({"jsonrpc":"2.0","id":8,"method":"tools/list"})";
    auto read = mcp::read_message(req);
    ASSERT_TRUE(std::holds_alternative<o4o::core::Response>(read));
    const auto& res = std::get<o4o::core::Response>(read);
    EXPECT_EQ(res.status, 400);
    boost::system::error_code ec;
    auto body = boost::json::parse(res.body, ec);
    ASSERT_FALSE(ec) << res.body;
    const auto& data = body.at("error").at("data");
    EXPECT_EQ(body.at("error").at("code").as_int64(), -32022);
    EXPECT_EQ(data.at("requested").as_string(), version == "2024-11-05" ? "2024-11-05" : "");
    EXPECT_EQ(data.at("supported").as_array().size(), 3u);
  }
}

TEST(McpDnsRebinding, OriginsAndHosts) {
  EXPECT_TRUE(mcp::origin_allowed("http://localhost:4000", ""));
  EXPECT_TRUE(mcp::origin_allowed("http://127.0.0.1:5173", ""));
  EXPECT_TRUE(mcp::origin_allowed("http://[::1]:4000", ""));
  EXPECT_FALSE(mcp::origin_allowed("http://evil.example", ""));
  EXPECT_FALSE(mcp::origin_allowed("null", ""));
  EXPECT_TRUE(mcp::origin_allowed("https://Shop.Example.com", "https://shop.example.com/"));
  EXPECT_FALSE(mcp::origin_allowed("http://shop.example.com", "https://shop.example.com"));
  EXPECT_TRUE(mcp::host_allowed("localhost:4000", ""));
  EXPECT_TRUE(mcp::host_allowed("127.0.0.1:4000", ""));
  EXPECT_TRUE(mcp::host_allowed("10.0.0.5", ""));  // an IP literal cannot be a rebound name
  EXPECT_TRUE(mcp::host_allowed("[::1]:4000", ""));
  EXPECT_FALSE(mcp::host_allowed("evil.example:4000", ""));
  EXPECT_TRUE(mcp::host_allowed("shop.example.com", "https://shop.example.com"));
  EXPECT_FALSE(mcp::host_allowed("", ""));
}

TEST(McpJson, CanonicalSortsKeysRecursively) {
  auto v = boost::json::parse(R"({"b":1,"a":{"d":[{"y":1,"x":2}],"c":null}})");
  EXPECT_EQ(mcp::canonical_json(v), R"({"a":{"c":null,"d":[{"x":2,"y":1}]},"b":1})");
}

TEST(McpTools, EveryToolHasSchemasAnnotationsAndAUniqueName) {
  const auto& tools = mcp::tools();
  EXPECT_EQ(tools.size(), 17u);
  std::set<std::string> names;
  for (const auto& t : tools) {
    EXPECT_TRUE(names.insert(t.name).second) << t.name;
    EXPECT_EQ(t.input_schema.at("type"), "object") << t.name;
    EXPECT_EQ(t.output_schema.at("type"), "object") << t.name;
    EXPECT_TRUE(t.annotations.at("readOnlyHint").is_bool()) << t.name;
    EXPECT_FALSE(t.description.empty()) << t.name;
  }
  EXPECT_NE(mcp::find_tool("place_order"), nullptr);
  EXPECT_EQ(mcp::find_tool("nope"), nullptr);
}

// A tool's access is its route's rule: every tool but whoami names a REST route, and a tool that
// writes adapts a route that writes (so that a read-only token is refused it, and the hint is honest).
TEST(McpTools, EachToolNamesTheRouteItAdapts) {
  for (const auto& t : mcp::tools()) {
    if (t.name == "whoami") {
      EXPECT_TRUE(t.route.pattern.empty());
      continue;
    }
    EXPECT_TRUE(t.route.pattern.starts_with("/api/v1/")) << t.name;
    EXPECT_EQ(t.read_only(), t.route.method == o4o::core::Method::get) << t.name;
  }
}

// The core's refusals on /mcp (core::render_error's envelope) become JSON-RPC errors with no id;
// the protocol's own answers pass unchanged.
TEST(McpErrors, EnvelopesBecomeJsonRpcErrorsWithTheStatusKept) {
  o4o::core::Response limited = o4o::core::render_error(
      std::make_exception_ptr(o4o::core::err::rate_limited(3)), "req-1");
  mcp::as_jsonrpc_error(limited);
  EXPECT_EQ(limited.status, 429);
  const auto body = boost::json::parse(limited.body).as_object();
  EXPECT_EQ(body.at("jsonrpc"), "2.0");
  EXPECT_FALSE(body.contains("id"));  // MCP ids are never null: no id at all
  EXPECT_EQ(body.at("error").at("code"), -32000);
  EXPECT_EQ(body.at("error").at("data").at("code"), "RATE_LIMITED");
  EXPECT_EQ(body.at("error").at("data").at("retryAfter"), 3);
  EXPECT_FALSE(body.contains("success"));

  o4o::core::Response large =
      o4o::core::error_response(413, "PAYLOAD_TOO_LARGE", "Request body is too large");
  mcp::as_jsonrpc_error(large);
  const auto big = boost::json::parse(large.body).as_object();
  EXPECT_EQ(big.at("error").at("code"), -32600);
  EXPECT_EQ(big.at("error").at("data").at("code"), "PAYLOAD_TOO_LARGE");

  o4o::core::Response rpc;
  rpc.status = 400;
  rpc.body = R"({"jsonrpc":"2.0","id":7,"error":{"code":-32700,"message":"Parse error"}})";
  const std::string before = rpc.body;
  mcp::as_jsonrpc_error(rpc);
  EXPECT_EQ(rpc.body, before);
}

// An error whose request id could not be read has no id member (MCP basic/index: ids are never
// null; JSONRPCErrorResponse's id is optional); any other error carries the request's id.
TEST(McpErrors, AnUnreadIdIsLeftOutNeverNull) {
  const auto answer = mcp::transport_error(403, -32600, "Forbidden: Origin not allowed");
  const auto refused = boost::json::parse(answer.body).as_object();
  EXPECT_FALSE(refused.contains("id"));
  EXPECT_EQ(refused.at("error").at("code"), -32600);
  EXPECT_FALSE(mcp::rpc_error(nullptr, -32700, "Parse error").contains("id"));
  EXPECT_EQ(mcp::rpc_error(7, -32601, "Method not found").at("id"), 7);
  EXPECT_EQ(mcp::rpc_error("a", -32601, "Method not found").at("id"), "a");
}

TEST(McpErrors, TheRouterFindsTheFormatByPathAsMatchSeesIt) {
  o4o::core::Router router;
  router.set_error_format("/mcp", &mcp::as_jsonrpc_error);
  EXPECT_NE(router.error_format("/mcp"), nullptr);
  EXPECT_NE(router.error_format("//mcp/"), nullptr);
  EXPECT_NE(router.error_format("/mcp?x=1"), nullptr);
  EXPECT_EQ(router.error_format("/mcpx"), nullptr);
  EXPECT_EQ(router.error_format("/api/v1/mcp"), nullptr);
}
