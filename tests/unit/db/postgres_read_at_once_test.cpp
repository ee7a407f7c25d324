// Database::read_at_once: independent reads at the same time on separate PostgreSQL connections
// when the pool is idle, nothing run when it is not. Needs the test PostgreSQL
// (scripts/start-test-services.sh; O4O_TEST_PG_URL overrides the address).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "db/database.hpp"

using namespace o4o;

namespace {

std::string pg_url() {
  const char* url = std::getenv("O4O_TEST_PG_URL");
  return url ? url : "postgresql://o4o:o4o@127.0.0.1:5432/postgres";
}

std::unique_ptr<db::Database> open_pg(int pool_size) {
  try {
    return db::open_database(pg_url(), {.pool_size = pool_size, .connect_timeout_seconds = 2});
  } catch (const db::UnavailableError&) {
    return nullptr;
  }
}

std::vector<db::Query> pid_queries(int n) {
  return std::vector<db::Query>(static_cast<std::size_t>(n),
                                db::Query{"SELECT pg_backend_pid()", {}});
}

}  // namespace

#define OPEN_OR_SKIP(var, pool) \
  auto var = open_pg(pool);     \
  if (!var) GTEST_SKIP() << "no PostgreSQL at " << pg_url();

TEST(PostgresReadAtOnce, RunsOnSeparateConnectionsWhenThePoolIsIdle) {
  OPEN_OR_SKIP(pg, 4);
  const auto results = pg->read_at_once(pid_queries(3));
  ASSERT_TRUE(results.has_value());
  ASSERT_EQ(results->size(), 3u);
  const auto pid = [&](std::size_t i) { return results->at(i).rows.at(0).i64(0); };
  EXPECT_NE(pid(0), pid(1));
  EXPECT_NE(pid(1), pid(2));
  EXPECT_NE(pid(0), pid(2));
}

TEST(PostgresReadAtOnce, KeepsTheOrderAndParameters) {
  OPEN_OR_SKIP(pg, 3);
  const db::Query queries[] = {{"SELECT $1::bigint * 10", {int64_t{1}}},
                               {"SELECT $1::text || '!'", {"two"}},
                               {"SELECT 3", {}}};
  const auto results = pg->read_at_once(queries);
  ASSERT_TRUE(results.has_value());
  EXPECT_EQ(results->at(0).rows.at(0).i64(0), 10);
  EXPECT_EQ(results->at(1).rows.at(0).str(0), "two!");
  EXPECT_EQ(results->at(2).rows.at(0).i64(0), 3);
}

TEST(PostgresReadAtOnce, RunsNothingWhenThePoolIsBusyOrTooSmall) {
  OPEN_OR_SKIP(pg, 4);
  pg->read([&](db::Connection&) { EXPECT_FALSE(pg->read_at_once(pid_queries(2)).has_value()); });
  EXPECT_FALSE(pg->read_at_once(pid_queries(5)).has_value());
  OPEN_OR_SKIP(single, 1);
  EXPECT_FALSE(single->read_at_once(pid_queries(2)).has_value());
}

TEST(PostgresReadAtOnce, AFailureThrowsAndLeavesEveryConnectionUsable) {
  OPEN_OR_SKIP(pg, 2);
  for (std::size_t failing = 0; failing < 2; ++failing) {
    auto queries = pid_queries(2);
    queries[failing].sql = "SELECT 1 / 0";
    EXPECT_THROW(pg->read_at_once(queries), db::Error);
  }
  const auto again = pg->read_at_once(pid_queries(2));
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(again->at(0).rows.at(0).i64(0), again->at(1).rows.at(0).i64(0));
  EXPECT_EQ(pg->read([](db::Connection& c) { return c.query_one("SELECT 7")->i64(0); }), 7);
}

TEST(SqliteReadAtOnce, AlwaysLeavesTheWorkToTheCaller) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("o4o-at-once-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto db = db::open_database("sqlite:" + (dir / "t.db").string(), {});
    EXPECT_FALSE(db->read_at_once(pid_queries(2)).has_value());
  }
  std::filesystem::remove_all(dir);
}
