// core::http_call against a loopback server started by each test: what is sent arrives, what is
// answered comes back, and a server that is silent or absent costs a bounded wait, never a hang.
#include <gtest/gtest.h>

#include <chrono>

#include "core/http_client.hpp"
#include "support/loopback_server.hpp"

using namespace o4o::core;
using o4o::unit_test::LoopbackServer;
using namespace std::chrono_literals;

namespace {

std::optional<std::string> header_of(const OutboundResponse& r, std::string_view name) {
  for (const auto& h : r.headers)
    if (h.name == name) return h.value;
  return std::nullopt;
}

}  // namespace

TEST(HttpClient, PostSendsBodyAndHeadersAndReturnsTheAnswer) {
  LoopbackServer server([](const LoopbackServer::Received&) {
    return LoopbackServer::Reply{
        .status = 201, .body = R"({"ok":true})", .headers = {{"X-Answer-Id", "a-1"}}};
  });
  OutboundRequest req;
  req.method = "POST";
  req.url = server.url("/v1/things?x=1");
  req.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", "key-123"}};
  req.body = std::string(3000, 'b');  // over curl's 1 KiB "Expect: 100-continue" threshold
  req.timeout = 2000ms;
  const auto res = http_call(req);

  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(res.body, R"({"ok":true})");
  EXPECT_EQ(header_of(res, "x-answer-id"), "a-1");  // names lowercased
  const auto got = server.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].target, "/v1/things?x=1");
  EXPECT_EQ(got[0].body, req.body);
  EXPECT_EQ(got[0].header("content-type"), "application/json");
  EXPECT_EQ(got[0].header("idempotency-key"), "key-123");
  EXPECT_FALSE(got[0].header("expect").has_value());
}

TEST(HttpClient, GetAndErrorStatusesAreAnswersNotExceptions) {
  LoopbackServer server([](const LoopbackServer::Received& r) {
    return LoopbackServer::Reply{.status = r.target == "/missing" ? 404 : 503, .body = r.method};
  });
  OutboundRequest req;
  req.url = server.url("/missing");
  req.timeout = 2000ms;
  auto res = http_call(req);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body, "GET");
  req.url = server.url("/down");
  EXPECT_EQ(http_call(req).status, 503);
}

TEST(HttpClient, RedirectsAreReturnedNotFollowed) {
  LoopbackServer server([](const LoopbackServer::Received&) {
    return LoopbackServer::Reply{.status = 302, .headers = {{"Location", "http://example.com/"}}};
  });
  OutboundRequest req;
  req.url = server.url("/");
  req.timeout = 2000ms;
  const auto res = http_call(req);
  EXPECT_EQ(res.status, 302);
  EXPECT_EQ(header_of(res, "location"), "http://example.com/");
  EXPECT_EQ(server.received().size(), 1u);
}

TEST(HttpClient, ASilentServerIsUnavailableWithinTheTimeout) {
  LoopbackServer server(
      [](const LoopbackServer::Received&) { return LoopbackServer::Reply{.never_answer = true}; });
  OutboundRequest req;
  req.method = "POST";
  req.url = server.url("/v1/payments/secret-payment-key/cancel");
  req.body = "{}";
  req.timeout = 300ms;
  const auto start = std::chrono::steady_clock::now();
  try {
    http_call(req);
    FAIL() << "expected OutboundUnavailable";
  } catch (const OutboundUnavailable& e) {
    // The message names the host, never the path (which may carry a payment key).
    EXPECT_EQ(std::string(e.what()).find("secret-payment-key"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos) << e.what();
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2000ms);
  EXPECT_EQ(server.received().size(), 1u);  // the request did arrive: the outcome is unknown
}

TEST(HttpClient, ALateAnswerPastTheTimeoutIsUnavailable) {
  LoopbackServer server([](const LoopbackServer::Received&) {
    return LoopbackServer::Reply{.body = "late", .delay = 800ms};
  });
  OutboundRequest req;
  req.url = server.url("/");
  req.timeout = 300ms;
  EXPECT_THROW(http_call(req), OutboundUnavailable);
}

TEST(HttpClient, ARefusedConnectionIsUnavailable) {
  OutboundRequest req;
  req.url = "http://user:pa55word@127.0.0.1:" + std::to_string(LoopbackServer::closed_port()) +
            "/x?token=t0k3n";
  req.timeout = 2000ms;
  const auto start = std::chrono::steady_clock::now();
  try {
    http_call(req);
    FAIL() << "expected OutboundUnavailable";
  } catch (const OutboundUnavailable& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find("pa55word"), std::string::npos) << what;
    EXPECT_EQ(what.find("t0k3n"), std::string::npos) << what;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms);
}

TEST(HttpClient, OnlyHttpAndHttpsUrls) {
  OutboundRequest req;
  req.url = "file:///etc/passwd";
  EXPECT_THROW(http_call(req), std::invalid_argument);
  req.url = "gopher://127.0.0.1/";
  EXPECT_THROW(http_call(req), std::invalid_argument);
}

TEST(HttpClient, HeaderInjectionIsRefused) {
  OutboundRequest req;
  req.url = "http://127.0.0.1:1/";
  req.headers = {{"X-A", "1\r\nX-Injected: 2"}};
  EXPECT_THROW(http_call(req), std::invalid_argument);
}

TEST(HttpClient, CallsFromOneThreadReuseTheConnection) {
  LoopbackServer server(
      [](const LoopbackServer::Received& r) { return LoopbackServer::Reply{.body = r.target}; },
      /*keep_alive=*/true);
  OutboundRequest req;
  req.timeout = 2000ms;
  for (int i = 0; i < 3; ++i) {
    req.url = server.url("/n" + std::to_string(i));
    EXPECT_EQ(http_call(req).body, "/n" + std::to_string(i));
  }
  EXPECT_EQ(server.connections(), 1);
  // Nothing of one call reaches the next: the second sends no body and none of the first's headers.
  req.method = "POST";
  req.body = "first";
  req.headers = {{"X-Only-Once", "1"}};
  http_call(req);
  req.method = "GET";
  req.body.clear();
  req.headers.clear();
  http_call(req);
  const auto got = server.received();
  EXPECT_EQ(got.back().method, "GET");
  EXPECT_EQ(got.back().body, "");
  EXPECT_FALSE(got.back().header("x-only-once").has_value());
}

TEST(HttpClient, AKeptConnectionTheServerClosedIsReplacedNotAFailure) {
  LoopbackServer server(
      [](const LoopbackServer::Received&) {
        return LoopbackServer::Reply{.body = "ok", .close = true};
      },
      /*keep_alive=*/true);
  OutboundRequest req;
  req.url = server.url("/");
  req.timeout = 2000ms;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(http_call(req).body, "ok");
  EXPECT_EQ(server.received().size(), 3u);  // each sent once
  EXPECT_EQ(server.connections(), 3);
}

TEST(HttpClient, ATlsFailureIsUnavailable) {
  // https:// to a server that speaks plain HTTP: the TLS handshake fails before anything is sent.
  LoopbackServer server([](const LoopbackServer::Received&) { return LoopbackServer::Reply{}; });
  OutboundRequest req;
  req.method = "POST";
  req.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/v1/payments/confirm";
  req.body = "{}";
  req.timeout = 2000ms;
  EXPECT_THROW(http_call(req), OutboundUnavailable);
  EXPECT_TRUE(server.received().empty());
}
