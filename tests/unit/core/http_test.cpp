// Router, body validation, time format, paging and static file safety: the pure parts of core.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "core/clock.hpp"
#include "core/dispatch.hpp"
#include "core/errors.hpp"
#include "core/event_stream.hpp"
#include "core/json_body.hpp"
#include "core/logging.hpp"
#include "core/pagination.hpp"
#include "core/rate_limit.hpp"
#include "core/router.hpp"
#include "core/static_files.hpp"
#include "core/time_format.hpp"
#include "core/whole_number.hpp"

using namespace o4o::core;

namespace {
Response nothing(Request&) {
  return {};
}

Request json_request(std::string body, std::string content_type = "application/json") {
  Request r;
  r.method = Method::post;
  r.body = std::move(body);
  if (!content_type.empty()) r.headers.push_back({"Content-Type", content_type});
  return r;
}

std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e.code();
  }
  return "none";
}
}  // namespace

TEST(CoreRouter, MatchesParametersAndTellsMethodNotAllowed) {
  Router r;
  r.add({Method::get, "/api/v1/forum/posts/:id", nothing});
  r.add({Method::put, "/api/v1/forum/posts/:id", nothing});
  r.add({Method::get, "/api/v1/forum/posts/:id/comments/:commentId", nothing});
  std::vector<std::pair<std::string, std::string>> params;
  auto m = r.match(Method::get, "/api/v1/forum/posts/abc/comments/def", params);
  ASSERT_NE(m.route, nullptr);
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].second, "abc");
  EXPECT_EQ(params[1].first, "commentId");

  m = r.match(Method::del, "/api/v1/forum/posts/abc", params);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(m.allow, "GET, PUT");

  m = r.match(Method::get, "/api/v1/forum/nothing", params);
  EXPECT_FALSE(m.path_known);
  EXPECT_THROW(r.add({Method::get, "/api/v1/forum/posts/:other", nothing}), std::logic_error);
}

TEST(CoreRouter, FindsARouteByItsPatternOnly) {
  Router r;
  r.add({Method::get, "/api/v1/forum/posts/:id", nothing, Exec::db, Access::anyone});
  r.add({Method::put, "/api/v1/forum/posts/:id", nothing, Exec::db, Access::user});
  const Route* put = r.find(Method::put, "/api/v1/forum/posts/:id");
  ASSERT_NE(put, nullptr);
  EXPECT_EQ(put->access, Access::user);
  EXPECT_EQ(r.find(Method::put, "/api/v1/forum/posts/abc"), nullptr);  // a path is not a pattern
  EXPECT_EQ(r.find(Method::del, "/api/v1/forum/posts/:id"), nullptr);
}

TEST(CoreRouter, EmptySegmentsAreDroppedEverywhere) {
  Router r;
  r.add({Method::get, "/api/v1/forum/posts/:id", nothing});
  std::vector<std::pair<std::string, std::string>> params;
  EXPECT_NE(r.match(Method::get, "/api/v1/forum/posts/abc/", params).route, nullptr);
  EXPECT_NE(r.match(Method::get, "/api//v1/forum//posts/abc", params).route, nullptr);
  EXPECT_EQ(params.at(0).second, "abc");
  // A parameter never matches an empty segment: "/posts//" is "/posts", not "/posts/:id".
  EXPECT_EQ(r.match(Method::get, "/api/v1/forum/posts//", params).route, nullptr);
}

TEST(CoreRouter, HeadIsServedByGet) {
  Router r;
  r.add({Method::get, "/healthz", nothing});
  std::vector<std::pair<std::string, std::string>> params;
  EXPECT_NE(r.match(Method::head, "/healthz", params).route, nullptr);
}

TEST(CoreJsonBody, RejectsWrongMediaTypeBadJsonAndNonObjects) {
  EXPECT_EQ(code_of([] { JsonBody::parse(json_request("{}", "text/plain")); }),
            "UNSUPPORTED_MEDIA_TYPE");
  EXPECT_EQ(code_of([] { JsonBody::parse(json_request("{\"a\":")); }), "INVALID_JSON");
  EXPECT_EQ(code_of([] { JsonBody::parse(json_request("[1,2]")); }), "VALIDATION_ERROR");
  EXPECT_EQ(code_of([] { JsonBody::parse(json_request("", "")); }), "none");
  EXPECT_EQ(code_of([] { JsonBody::parse(json_request("{}", "application/json; charset=utf-8")); }),
            "none");
}

TEST(CoreJsonBody, CollectsEveryProblemWithFieldNames) {
  auto body = JsonBody::parse(json_request(
      R"({"name":"  ","price":10.5,"stock":-1,"when":"yesterday","items":[{"qty":"x"}]})"));
  body.string("name", Need::required, 1, 100);
  body.integer("price", Need::required);
  body.integer("stock", Need::required, 0);
  body.timestamp("when", Need::required);
  body.string("missing", Need::required, 1, 10);
  auto items = body.get("items")->as_array();
  auto item = nested(items[0], "items[0]", body);
  item.integer("qty", Need::required, 1);
  try {
    body.finish();
    FAIL() << "expected a validation error";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 400);
    const auto& details = e.details().as_array();
    ASSERT_EQ(details.size(), 6u);
    std::vector<std::string> fields;
    for (const auto& d : details) fields.emplace_back(d.as_object().at("field").as_string());
    EXPECT_EQ(fields, (std::vector<std::string>{"name", "price", "stock", "when", "missing",
                                                "items[0].qty"}));
  }
}

// Past 2^53 - 1 a number is "too large", not "must be at least 1" (which it is).
TEST(CoreJsonBody, SaysTooLargeAboveTheSafeIntegerRange) {
  auto body = JsonBody::parse(
      json_request(R"({"quantity":9007199254740992,"huge":18446744073709551615,"level":7})"));
  body.integer("quantity", Need::required, 1);
  body.integer("huge", Need::required, 1);
  body.integer("level", Need::required, 0, 5);
  try {
    body.finish();
    FAIL() << "expected a validation error";
  } catch (const ApiError& e) {
    std::vector<std::string> messages;
    for (const auto& d : e.details().as_array())
      messages.emplace_back(d.as_object().at("message").as_string());
    EXPECT_EQ(messages, (std::vector<std::string>{"quantity is too large", "huge is too large",
                                                  "level must be between 0 and 5"}));
  }
}

TEST(CoreWholeNumber, TakesTheWholeTextOrNothing) {
  using o4o::core::whole_number;
  EXPECT_EQ(whole_number<int>("42"), 42);
  EXPECT_EQ(whole_number<int64_t>("-7", -10, 10), -7);
  for (const char* bad : {"", " 1", "1 ", "12abc", "0x10", "+1", "1.5", "99999999999"})
    EXPECT_FALSE(whole_number<int>(bad)) << bad;
  EXPECT_FALSE(whole_number("0", 1, 65535));
  EXPECT_FALSE(whole_number("65536", 1, 65535));
}

TEST(CoreStaticFiles, ReadsAcceptEncodingQualities) {
  using o4o::core::accepted_quality;
  EXPECT_EQ(accepted_quality("gzip, deflate, br", "br"), 1.0);
  EXPECT_EQ(accepted_quality("gzip;q=0.5, BR;Q=0.8", "br"), 0.8);
  EXPECT_EQ(accepted_quality("gzip;q=0.5", "br"), 0.0);
  EXPECT_EQ(accepted_quality("*;q=0.2, gzip;q=0", "gzip"), 0.0);  // named beats *
  EXPECT_EQ(accepted_quality("*;q=0.2, gzip;q=0", "br"), 0.2);
  // Nonsense never throws and never accepts.
  for (const char* junk : {"", ";;,", "br;q=", "br;q=2", "br;q=-1", "br;q=0.5x", "\"br\"", "b r"})
    EXPECT_EQ(accepted_quality(junk, "br"), 0.0) << junk;
}

TEST(CoreJsonBody, CountsCharactersNotBytes) {
  auto body = JsonBody::parse(json_request(R"({"name":"서울에서"})"));
  auto v = body.string("name", Need::required, 1, 4);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, "서울에서");
  EXPECT_EQ(utf8_length("서울"), 2u);
  EXPECT_NO_THROW(body.finish());
}

TEST(CoreTime, FormatsAndParsesRfc3339) {
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(1767225600123), "2026-01-01T00:00:00.123Z");
  EXPECT_EQ(format_timestamp(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59.999Z");
  // Every field in its place, over a spread of instants (each read back to the same instant).
  for (int64_t ms = 0; ms < 4'102'444'800'000; ms += 9'876'543'211) {
    EXPECT_EQ(parse_timestamp(format_timestamp(ms)), ms) << format_timestamp(ms);
  }
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.123Z"), 1767225600123);
  EXPECT_EQ(parse_timestamp("2026-01-01T09:00:00+09:00"), 1767225600000);
  EXPECT_EQ(parse_timestamp("2025-12-31T19:00:00-05:00"), 1767225600000);
  EXPECT_FALSE(parse_timestamp("2026-01-01"));
  EXPECT_FALSE(parse_timestamp("yesterday at noon, roughly"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00Zjunk"));
  // Not a number where the seconds go (undefined behaviour inside date::parse before).
  EXPECT_FALSE(parse_timestamp("2062-12-06T05:00~00Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:0.5Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00.Z"));
  EXPECT_EQ(parse_timestamp("2026-01-01 00:00:00.5z"), 1767225600500);
}

TEST(CorePagination, ValidatesPageAndLimit) {
  Request r;
  r.query = {{"page", "2"}, {"limit", "50"}};
  auto p = parse_page(r);
  EXPECT_EQ(p.offset(), 50);
  for (auto bad : {"0", "-1", "abc", "1.5", ""}) {
    Request q;
    q.query = {{"page", bad}};
    EXPECT_EQ(code_of([&] { parse_page(q); }), "VALIDATION_ERROR") << bad;
  }
  Request big;
  big.query = {{"limit", "101"}};
  EXPECT_EQ(code_of([&] { parse_page(big); }), "VALIDATION_ERROR");
}

TEST(CoreRateLimit, RefillsOverTime) {
  RateLimiter limiter(5);  // burst of 10
  int allowed = 0;
  for (int i = 0; i < 20; ++i) allowed += limiter.take("1.2.3.4", 1000) == 0;
  EXPECT_EQ(allowed, 10);
  EXPECT_GE(limiter.take("1.2.3.4", 1000), 1);
  EXPECT_EQ(limiter.take("5.6.7.8", 1000), 0);  // another client is not affected
  EXPECT_EQ(limiter.take("1.2.3.4", 1300), 0);  // 0.3 s later: 1.5 tokens back
}

TEST(CoreDispatch, BelievesForwardedForOnlyFromTrustedProxies) {
  Config c;
  c.trusted_proxies = {"10.0.0.0/8", "127.0.0.1"};
  Router r;
  StaticFiles files("/nonexistent-web-root");
  Metrics m;
  SystemClock clock;
  Dispatcher d(c, r, files, m, clock);
  EXPECT_EQ(d.client_ip("127.0.0.1", "1.1.1.1, 2.2.2.2"), "2.2.2.2");
  EXPECT_EQ(d.client_ip("10.1.2.3", "9.9.9.9"), "9.9.9.9");
  EXPECT_EQ(d.client_ip("192.168.1.1", "9.9.9.9"), "192.168.1.1");
  EXPECT_EQ(d.client_ip("127.0.0.1", "not-an-ip"), "127.0.0.1");
  EXPECT_EQ(Dispatcher::request_id("abc-123"), "abc-123");
  EXPECT_NE(Dispatcher::request_id("bad id with spaces"), "bad id with spaces");
}

TEST(CoreDispatch, CountsOnlyRequestsThatHashTowardTheHashingLimit) {
  Config c;
  c.password_hash_per_min = 3;
  Router r;
  // One route says which of its requests hash (here: a body "hash"); the other hashes for all.
  r.add({Method::put, "/api/v1/users/:id", nothing, Exec::cpu, Access::anyone, nullptr, nullptr,
         [](const Request& req) { return req.body == "hash"; }});
  r.add({Method::post, "/api/v1/auth/login", nothing, Exec::cpu});
  StaticFiles files("/nonexistent-web-root");
  Metrics m;
  ManualClock clock;
  Dispatcher d(c, r, files, m, clock);
  auto plan = [&](Method method, std::string path, std::string body, std::string ip = "1.2.3.4") {
    Request req;
    req.method = method;
    req.path = std::move(path);
    req.body = std::move(body);
    req.client_ip = std::move(ip);
    auto p = d.plan(req);
    return p.immediate ? p.immediate->status : 0;
  };
  for (int i = 0; i < 10; ++i) EXPECT_EQ(plan(Method::put, "/api/v1/users/u1", "locale"), 0) << i;
  EXPECT_EQ(plan(Method::put, "/api/v1/users/u1", "hash"), 0);
  EXPECT_EQ(plan(Method::post, "/api/v1/auth/login", "anything"), 0);
  EXPECT_EQ(plan(Method::put, "/api/v1/users/u1", "hash"), 0);
  EXPECT_EQ(plan(Method::put, "/api/v1/users/u1", "hash"), 429);
  EXPECT_EQ(plan(Method::post, "/api/v1/auth/login", "anything"), 429);
  EXPECT_EQ(plan(Method::put, "/api/v1/users/u1", "locale"), 0);
  EXPECT_EQ(plan(Method::put, "/api/v1/users/u1", "hash", "5.6.7.8"), 0);
  // Only a route on the CPU pool may declare it.
  EXPECT_THROW(r.add({Method::get, "/x", nothing, Exec::db, Access::anyone, nullptr, nullptr,
                      [](const Request&) { return true; }}),
               std::logic_error);
}

TEST(CoreStaticFiles, ServesInsideTheRootOnly) {
  namespace fs = std::filesystem;
  auto base = fs::temp_directory_path() / ("o4o-static-" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "root/assets");
  std::ofstream(base / "root/index.html") << "<html>app</html>";
  std::ofstream(base / "root/assets/app.123.js") << "console.log(1)";
  std::ofstream(base / "secret.txt") << "secret";
  fs::create_symlink(base / "secret.txt", base / "root/leak.txt");
  StaticFiles files((base / "root").string());

  auto get = [&](std::string path) {
    Request r;
    r.path = std::move(path);
    return files.serve(r);
  };
  auto js = get("/assets/app.123.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/shop/products/42").body, "<html>app</html>");  // SPA route
  EXPECT_EQ(get("/missing.png").status, 404);
  EXPECT_EQ(get("/../secret.txt").status, 404);
  EXPECT_EQ(get("/assets/../../secret.txt").status, 404);
  EXPECT_EQ(get("/leak.txt").status, 404);  // symlink out of the root
  fs::remove_all(base);
}

TEST(CoreEventStream, FormatsMultilineDataSafely) {
  EXPECT_EQ(EventStream::format("content", "7", "a\nb"),
            "event: content\nid: 7\ndata: a\ndata: b\n\n");
  EventStream s;
  bool ended = false;
  s.on_end([&] { ended = true; });
  s.send("x");
  s.close();
  s.send("y");  // after close: dropped
  auto q = s.take();
  ASSERT_EQ(q.size(), 1u);
  s.ended();
  s.ended();
  EXPECT_TRUE(ended);
}

TEST(CoreLogging, RedactsTokensInTargets) {
  EXPECT_EQ(log::redact_target("/api/v1/signage/displays/1/stream?token=abc&x=1"),
            "/api/v1/signage/displays/1/stream?token=REDACTED&x=1");
  EXPECT_EQ(log::redact_target("/x?a=1&token=zzz"), "/x?a=1&token=REDACTED");
  EXPECT_EQ(log::redact_target("/x?mytoken=1"), "/x?mytoken=1");
  // Any spelling or encoding of the name that the server reads as token (issue 19).
  EXPECT_EQ(log::redact_target("/s?%74oken=abc"), "/s?%74oken=REDACTED");
  EXPECT_EQ(log::redact_target("/s?x=1&TOKEN=abc&to%6Ben=def&y"), "/s?x=1&TOKEN=REDACTED&to%6Ben=REDACTED&y");
  EXPECT_EQ(log::redact_target("/s?%54%4F%4B%45%4E=abc"), "/s?%54%4F%4B%45%4E=REDACTED");
  EXPECT_EQ(log::redact_target("/s?"), "/s?");
}
