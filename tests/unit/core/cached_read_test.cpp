// Cached reads answered on the IO thread (Dispatcher::answer_from_cache): a hit gives the
// handler's very answer and is counted once; a miss, a refused query, a request the route does not
// name, an expired entry and a request that must see a write position are left to the handler;
// only public GET routes may declare a cached read.
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/dispatch.hpp"
#include "core/envelope.hpp"
#include "db/session.hpp"

using namespace o4o;
using namespace o4o::core;

namespace {

// The body without its timestamp, the one part of an answer that differs per request.
std::string without_timestamp(const std::string& body) {
  const auto at = body.rfind(R"(,"timestamp":")");
  return at == std::string::npos ? body : body.substr(0, at);
}

class CachedReadTest : public ::testing::Test {
 protected:
  CachedReadTest() {
    config.access_log = false;
    // The handler reads through the cache as a service does; the route names the same key.
    router.add({Method::get, "/items/:id",
                [this](Request& req) {
                  ++handler_runs;
                  const std::string key = "item:" + std::string(req.param("id"));
                  return ok_serialized(*cache.get(key, {"items"}, clock.now_ms(), [&] {
                    return ReadCache::Fresh{R"({"id":")" + std::string(req.param("id")) + R"("})",
                                            expires_at};
                  }));
                },
                Exec::db, Access::anyone, nullptr, [](const Request& req) -> std::optional<CachedRead> {
                  const auto id = req.param("id");
                  if (id == "bad") throw std::invalid_argument("a query the handler refuses");
                  if (id == "uncached") return std::nullopt;
                  return CachedRead{"item:" + std::string(id), nullptr};
                }});
  }

  Request request(std::string path, std::vector<Header> headers = {}) {
    Request req;
    req.method = Method::get;
    req.target = req.path = std::move(path);
    req.headers = std::move(headers);
    return req;
  }

  // The request's answer as the session gives it: from memory on a hit, else from the handler.
  std::pair<Response, bool> answer(Dispatcher& d, Request req) {
    auto plan = d.plan(req);
    EXPECT_NE(plan.route, nullptr);
    if (auto hit = d.answer_from_cache(*plan.route, req)) return {std::move(*hit), true};
    return {d.run(*plan.route, req), false};
  }

  Config config;
  Router router;
  StaticFiles files{"/nonexistent-web-root"};
  Metrics metrics;
  ManualClock clock;
  ReadCache cache{1 << 20};
  int handler_runs = 0;
  int64_t expires_at = 0;
};

TEST_F(CachedReadTest, AHitIsTheHandlersAnswerWithoutTheHandlerAndCountedOnce) {
  Dispatcher d(config, router, files, metrics, clock, nullptr, &cache);
  auto [miss, from_memory] = answer(d, request("/items/7"));
  EXPECT_FALSE(from_memory);
  EXPECT_EQ(handler_runs, 1);
  EXPECT_EQ(cache.stats().misses, 1u);
  EXPECT_EQ(cache.stats().hits, 0u);

  auto [hit, hit_from_memory] = answer(d, request("/items/7"));
  EXPECT_TRUE(hit_from_memory);
  EXPECT_EQ(handler_runs, 1);
  EXPECT_EQ(cache.stats().misses, 1u);
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_EQ(hit.status, miss.status);
  EXPECT_EQ(hit.content_type, miss.content_type);
  EXPECT_EQ(hit.headers.size(), miss.headers.size());
  EXPECT_EQ(without_timestamp(hit.body), without_timestamp(miss.body));
  EXPECT_EQ(without_timestamp(hit.body), R"({"success":true,"data":{"id":"7"})");
}

TEST_F(CachedReadTest, MissesRefusalsAndUnnamedRequestsGoToTheHandler) {
  Dispatcher d(config, router, files, metrics, clock, nullptr, &cache);
  EXPECT_FALSE(answer(d, request("/items/bad")).second);
  EXPECT_FALSE(answer(d, request("/items/uncached")).second);
  EXPECT_FALSE(answer(d, request("/items/uncached")).second);
  EXPECT_EQ(handler_runs, 3);
  // Without a cache nothing is answered from memory.
  Dispatcher no_cache(config, router, files, metrics, clock);
  answer(no_cache, request("/items/8"));
  EXPECT_FALSE(answer(no_cache, request("/items/8")).second);
}

TEST_F(CachedReadTest, AnExpiredEntryIsLeftToTheHandlerWhichCountsIt) {
  Dispatcher d(config, router, files, metrics, clock, nullptr, &cache);
  expires_at = clock.now_ms() + 1000;
  answer(d, request("/items/9"));
  EXPECT_TRUE(answer(d, request("/items/9")).second);
  clock.advance_ms(1000);
  EXPECT_FALSE(answer(d, request("/items/9")).second);
  const auto s = cache.stats();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 2u);  // the first read, and the expired one (counted once, by the handler)
  EXPECT_EQ(s.expirations, 1u);
}

TEST_F(CachedReadTest, ARequestThatMustSeeAWriteIsNeverAnsweredFromMemory) {
  config.database_replica_urls = {"postgresql://o4o@replica:5432/o4o"};
  Dispatcher d(config, router, files, metrics, clock, nullptr, &cache);
  answer(d, request("/items/5"));
  EXPECT_TRUE(answer(d, request("/items/5")).second);
  const auto hits = cache.stats().hits;
  EXPECT_FALSE(answer(d, request("/items/5", {{"O4O-Read-After", "0/3A1F2B8"}})).second);
  EXPECT_FALSE(answer(d, request("/items/5", {{"Cookie", "a=b; o4o_read_after=1/0"}})).second);
  // The handler's cache read does not answer them from memory either.
  EXPECT_EQ(cache.stats().hits, hits);
  EXPECT_EQ(handler_runs, 3);
  // Nonsense in the header is ignored, as the database session ignores it.
  EXPECT_TRUE(answer(d, request("/items/5", {{"O4O-Read-After", "not/a-position"}})).second);
}

TEST_F(CachedReadTest, TheKeptTextIsShapedForTheAnonymousReaderWhenTheRouteSaysSo) {
  Router shaped;
  shaped.add({Method::get, "/posts/:id", [](Request&) { return Response{}; }, Exec::db,
              Access::anyone, nullptr, [](const Request&) -> std::optional<CachedRead> {
                return CachedRead{"post", [](const std::string& kept) {
                                    return R"({"likedByMe":false,)" + kept.substr(1);
                                  }};
              }});
  cache.store(cache.ticket({"t"}), "post",
              std::make_shared<const std::string>(R"({"title":"x"})"), {"t"}, 0, 0);
  Dispatcher d(config, shaped, files, metrics, clock, nullptr, &cache);
  Request req = request("/posts/1");
  auto plan = d.plan(req);
  auto hit = d.answer_from_cache(*plan.route, req);
  ASSERT_TRUE(hit);
  EXPECT_EQ(without_timestamp(hit->body),
            R"({"success":true,"data":{"likedByMe":false,"title":"x"})");
}

TEST(CachedReadRoutes, OnlyAPublicGetMayDeclareACachedRead) {
  auto cached = [](const Request&) -> std::optional<CachedRead> { return std::nullopt; };
  auto nothing = [](Request&) { return Response{}; };
  Router r;
  EXPECT_THROW(r.add({Method::get, "/mine", nothing, Exec::db, Access::user, nullptr, cached}),
               std::logic_error);
  EXPECT_THROW(r.add({Method::post, "/things", nothing, Exec::db, Access::anyone, nullptr, cached}),
               std::logic_error);
  EXPECT_NO_THROW(r.add({Method::get, "/things", nothing, Exec::db, Access::anyone, nullptr, cached}));
}

}  // namespace
