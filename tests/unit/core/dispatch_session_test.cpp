// The dispatcher's side of read replicas: a request's db::Session (its address, the position the
// client brings in O4O-Read-After or the cookie) in scope while the handler runs, and the
// position its writes reached sent back in the header and the cookie.
#include <gtest/gtest.h>

#include "core/dispatch.hpp"
#include "db/session.hpp"

using namespace o4o;
using namespace o4o::core;

namespace {

struct Seen {
  bool in_scope = false;
  db::Lsn needed = 0;
  std::vector<std::string> keys;
};

class DispatchSessionTest : public ::testing::Test {
 protected:
  Response run(Config config, std::vector<Header> headers, db::Lsn write_at) {
    Router router;
    router.add({Method::get, "/x", [&, write_at](Request&) {
                  db::Session* s = db::Session::current();
                  seen.in_scope = s != nullptr;
                  if (s) {
                    seen.needed = s->needed();
                    seen.keys = s->keys();
                    if (write_at) s->wrote(write_at);  // as the database does after a commit
                  }
                  return Response{};
                }});
    StaticFiles files("/nonexistent-web-root");
    Metrics metrics;
    SystemClock clock;
    Dispatcher d(config, router, files, metrics, clock);
    Request req;
    req.target = req.path = "/x";
    req.client_ip = "10.1.2.3";
    req.headers = std::move(headers);
    auto plan = d.plan(req);
    EXPECT_NE(plan.route, nullptr);
    Response res = d.run(*plan.route, req);
    d.finish(req, res, plan.pattern, 0.001);
    EXPECT_EQ(db::Session::current(), nullptr);  // only while the handler runs
    return res;
  }

  static std::optional<std::string> header(const Response& r, std::string_view name) {
    for (const auto& h : r.headers)
      if (h.name == name) return h.value;
    return std::nullopt;
  }

  static Config with_replicas() {
    Config c;
    c.access_log = false;
    c.database_replica_urls = {"postgresql://o4o@replica:5432/o4o"};
    return c;
  }

  Seen seen;
};

}  // namespace

TEST_F(DispatchSessionTest, TakesTheHighestPositionTheClientBringsAndItsAddress) {
  run(with_replicas(),
      {{"O4O-Read-After", " 0/1F "}, {"Cookie", "theme=dark; o4o_read_after=0/2A; x=1"}}, 0);
  EXPECT_TRUE(seen.in_scope);
  EXPECT_EQ(seen.needed, 0x2Au);
  EXPECT_EQ(seen.keys, std::vector<std::string>{"a:10.1.2.3"});
}

TEST_F(DispatchSessionTest, IgnoresPositionsThatAreNotPositions) {
  run(with_replicas(), {{"O4O-Read-After", "16/zz"}, {"Cookie", "o4o_read_after=; a=b"}}, 0);
  EXPECT_TRUE(seen.in_scope);
  EXPECT_EQ(seen.needed, 0u);
}

TEST_F(DispatchSessionTest, SendsBackWhereTheRequestsWritesReached) {
  const auto res = run(with_replicas(), {}, 0x16B374D848);
  EXPECT_EQ(header(res, "O4O-Read-After"), "16/B374D848");
  EXPECT_EQ(header(res, "Set-Cookie"),
            "o4o_read_after=16/B374D848; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
}

TEST_F(DispatchSessionTest, AReadOnlyRequestGetsNoPosition) {
  const auto res = run(with_replicas(), {}, 0);
  EXPECT_FALSE(header(res, "O4O-Read-After"));
  EXPECT_FALSE(header(res, "Set-Cookie"));
}

TEST_F(DispatchSessionTest, NoSessionWithoutReplicas) {
  Config c;
  c.access_log = false;
  const auto res = run(c, {{"O4O-Read-After", "0/1F"}}, 0x10);
  EXPECT_FALSE(seen.in_scope);
  EXPECT_FALSE(header(res, "O4O-Read-After"));
}
