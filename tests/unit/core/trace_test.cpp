// W3C Trace Context parsing (the spec's rules for what to ignore), spans that nest under the
// thread's current context, traceparent on outbound calls, and the OTLP/HTTP JSON the exporter
// sends, including to a collector that is down.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/http_client.hpp"
#include "core/pubsub.hpp"
#include "core/trace.hpp"
#include "support/loopback_server.hpp"

using namespace o4o::core;
using namespace std::chrono_literals;
using o4o::unit_test::LoopbackServer;

namespace {
std::string str(const trace::TraceId& t) {
  return {t.data(), t.size()};
}
std::string str(const trace::SpanId& s) {
  return {s.data(), s.size()};
}
std::string js(const boost::json::value& v) {
  return std::string(v.as_string());
}
constexpr const char* kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr const char* kSpan = "00f067aa0ba902b7";
}  // namespace

TEST(TraceContext, AValidTraceparentIsContinued) {
  auto p = trace::parse_traceparent(std::string("00-") + kTrace + "-" + kSpan + "-01");
  ASSERT_TRUE(p);
  EXPECT_EQ(str(p->trace_id), kTrace);
  EXPECT_EQ(str(p->span_id), kSpan);
  EXPECT_TRUE(p->sampled);
  p = trace::parse_traceparent(std::string(" 00-") + kTrace + "-" + kSpan + "-00\t");
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->sampled);
  // A later version may add fields after the four it shares with version 00.
  EXPECT_TRUE(trace::parse_traceparent(std::string("01-") + kTrace + "-" + kSpan + "-01-what"));
  EXPECT_TRUE(trace::parse_traceparent(std::string("01-") + kTrace + "-" + kSpan + "-01"));
}

TEST(TraceContext, InvalidTraceparentsAreIgnored) {
  const std::string t = kTrace, s = kSpan;
  for (const std::string& bad : std::vector<std::string>{
           "",
           "00-" + t + "-" + s,                                 // no flags
           "00-" + t + "-" + s + "-01-extra",                   // 00 is exactly 55
           "ff-" + t + "-" + s + "-01",                         // version ff
           "0g-" + t + "-" + s + "-01",                         // not hex
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + s + "-01",  // uppercase
           "00-00000000000000000000000000000000-" + s + "-01",  // zero trace id
           "00-" + t + "-0000000000000000-01",                  // zero parent id
           "00_" + t + "-" + s + "-01",                         // separator
           "00-" + t.substr(1) + "-" + s + "-01x",              // short trace id
           "01-" + t + "-" + s + "-01x",                        // later version, no '-'
       })
    EXPECT_FALSE(trace::parse_traceparent(bad)) << bad;
}

TEST(TraceContext, TracestateIsPassedOnWhenSane) {
  EXPECT_EQ(trace::sanitize_tracestate(" congo=t61rcWkgMzE,rojo=00f067aa0ba902b7 "),
            "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  EXPECT_EQ(trace::sanitize_tracestate(std::string(513, 'a')), "");
  std::string many;
  for (int i = 0; i < 33; ++i) many += (i ? ",k" : "k") + std::to_string(i) + "=v";
  EXPECT_EQ(trace::sanitize_tracestate(many), "");
  EXPECT_EQ(trace::sanitize_tracestate("a=b\nc"), "");
}

TEST(TraceContext, NewIdsAreHexAndNotZero) {
  auto t = str(trace::new_trace_id());
  auto s = str(trace::new_span_id());
  EXPECT_EQ(t.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(s.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(t, std::string(32, '0'));
  EXPECT_NE(str(trace::new_trace_id()), t);
  auto parsed = trace::parse_traceparent(
      trace::format_traceparent(trace::new_trace_id(), trace::new_span_id(), true));
  EXPECT_TRUE(parsed);
}

TEST(TraceContext, SpansNestUnderTheThreadsContextAndRestoreIt) {
  EXPECT_EQ(trace::current(), nullptr);
  {
    trace::Span outside("nothing");
    EXPECT_FALSE(outside.active());  // no request on this thread
  }
  trace::Context request;
  request.trace_id = trace::new_trace_id();
  request.span_id = trace::new_span_id();
  {
    trace::Scope scope(request);
    ASSERT_EQ(trace::current(), &request);
    {
      trace::Span tx("db.transaction");
      ASSERT_TRUE(tx.active());
      ASSERT_NE(trace::current(), &request);
      EXPECT_EQ(str(trace::current()->trace_id), str(request.trace_id));
      EXPECT_NE(str(trace::current()->span_id), str(request.span_id));
      auto p = trace::parse_traceparent(tx.traceparent());
      ASSERT_TRUE(p);
      EXPECT_EQ(str(p->span_id), str(trace::current()->span_id));
    }
    EXPECT_EQ(trace::current(), &request);
  }
  EXPECT_EQ(trace::current(), nullptr);
}

// What the outbox stores with a mail and the sender continues later, on another thread.
TEST(TraceContext, AStoredTraceparentIsContinuedLater) {
  EXPECT_EQ(trace::current_traceparent(), "");  // outside a request: nothing to store
  trace::Context request;
  request.trace_id = trace::new_trace_id();
  request.span_id = trace::new_span_id();
  request.sampled = false;
  std::string stored;
  {
    trace::Scope scope(request);
    stored = trace::current_traceparent();
  }
  EXPECT_EQ(stored, trace::format_traceparent(request.trace_id, request.span_id, false));
  auto later = trace::continue_from(stored, "vendor=1");
  ASSERT_TRUE(later);
  EXPECT_EQ(str(later->trace_id), str(request.trace_id));
  EXPECT_EQ(str(later->span_id), str(request.span_id));  // the parent of the spans made under it
  EXPECT_FALSE(later->sampled);
  EXPECT_EQ(later->tracestate, "vendor=1");
  EXPECT_FALSE(trace::continue_from("00-" + std::string(32, '0') + "-" + kSpan + "-01"));
  EXPECT_FALSE(trace::continue_from("garbage"));
}

TEST(TraceContext, OutboundCallsCarryTheTrace) {
  LoopbackServer server([](const LoopbackServer::Received&) { return LoopbackServer::Reply{}; });
  trace::Context request;
  request.trace_id = trace::new_trace_id();
  request.span_id = trace::new_span_id();
  request.tracestate = "vendor=x";
  OutboundRequest call;
  call.url = server.url("/");
  call.timeout = 2000ms;
  {
    trace::Scope scope(request);
    http_call(call);
  }
  http_call(call);  // outside a request: nothing to pass on
  auto got = server.received();
  ASSERT_EQ(got.size(), 2u);
  auto sent = got[0].header("traceparent");
  ASSERT_TRUE(sent);
  auto p = trace::parse_traceparent(*sent);
  ASSERT_TRUE(p);
  EXPECT_EQ(str(p->trace_id), str(request.trace_id));
  EXPECT_NE(str(p->span_id), str(request.span_id));  // the client span's own id
  EXPECT_EQ(got[0].header("tracestate").value_or(""), "vendor=x");
  EXPECT_FALSE(got[1].header("traceparent"));
}

TEST(TraceContext, OtlpJsonIsAnExportTraceServiceRequest) {
  trace::SpanData span;
  span.trace_id = trace::new_trace_id();
  span.span_id = trace::new_span_id();
  span.parent = trace::new_span_id();
  span.name = "GET /api/v1/things";
  span.kind = trace::Kind::server;
  span.start_ns = 1'700'000'000'000'000'000ull;
  span.end_ns = span.start_ns + 1'500'000;
  span.error = true;
  span.attributes = {{"http.route", "/api/v1/things"},
                     {"http.response.status_code", {}, 503, true}};
  trace::ExporterOptions options;
  options.service_instance = "127.0.0.1:4000";
  auto body = boost::json::parse(trace::otlp_json({span}, options));
  const auto& rs = body.at("resourceSpans").at(0);
  EXPECT_EQ(js(rs.at("resource").at("attributes").at(0).at("key")), "service.name");
  EXPECT_EQ(js(rs.at("resource").at("attributes").at(0).at("value").at("stringValue")), "o4o");
  const auto& s = rs.at("scopeSpans").at(0).at("spans").at(0);
  EXPECT_EQ(js(s.at("traceId")), str(span.trace_id));
  EXPECT_EQ(js(s.at("spanId")), str(span.span_id));
  EXPECT_EQ(js(s.at("parentSpanId")), str(*span.parent));
  EXPECT_EQ(s.at("kind").as_int64(), 2);
  EXPECT_EQ(js(s.at("startTimeUnixNano")), "1700000000000000000");
  EXPECT_EQ(js(s.at("endTimeUnixNano")), "1700000000001500000");
  EXPECT_EQ(s.at("status").at("code").as_int64(), 2);
  EXPECT_EQ(js(s.at("attributes").at(1).at("value").at("intValue")), "503");
}

TEST(TraceContext, RedisMessagesCarryTheTraceToSubscribers) {
  const char* url = std::getenv("O4O_TEST_REDIS_URL");
  std::unique_ptr<PubSub> pubsub;
  try {
    pubsub = make_redis_pubsub(url ? url : "redis://127.0.0.1:6379");
  } catch (const std::exception& e) {
    GTEST_SKIP() << "no Redis: " << e.what();
  }
  const std::string topic = "trace-test-" + str(trace::new_span_id());
  std::mutex mutex;
  std::condition_variable cv;
  std::optional<std::string> message, trace_id;
  auto subscription = pubsub->subscribe(topic, [&](const std::string& m) {
    std::lock_guard lock(mutex);
    message = m;
    if (const auto* t = trace::current()) trace_id = str(t->trace_id);
    cv.notify_all();
  });
  trace::Context request;
  request.trace_id = trace::new_trace_id();
  request.span_id = trace::new_span_id();
  std::unique_lock lock(mutex);
  // The subscriber connects in the background: publish until it hears.
  for (int i = 0; i < 50 && !message; ++i) {
    lock.unlock();
    {
      trace::Scope scope(request);
      pubsub->publish(topic, "display-1");
    }
    lock.lock();
    cv.wait_for(lock, 100ms, [&] { return message.has_value(); });
  }
  ASSERT_TRUE(message);
  EXPECT_EQ(*message, "display-1");  // the subscriber gets the message as it was published
  ASSERT_TRUE(trace_id);
  EXPECT_EQ(*trace_id, str(request.trace_id));
}
