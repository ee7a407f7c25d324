// Database::read_all on the PostgreSQL back-end: independent statements on separate pooled
// connections when they are free, in turn when not, results in order, failures collected. Needs
// the test PostgreSQL (scripts/start-test-services.sh; O4O_TEST_PG_URL overrides the address).
#include <gtest/gtest.h>

#include <cstdlib>
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

std::vector<int64_t> backend_pids(db::Database& pg, int statements) {
  std::vector<db::Query> queries(static_cast<std::size_t>(statements),
                                 db::Query{"SELECT pg_backend_pid()", {}});
  std::vector<int64_t> pids;
  for (const auto& r : pg.read_all(queries)) pids.push_back(r.rows.at(0).i64(0));
  return pids;
}

}  // namespace

#define OPEN_OR_SKIP(var, pool) \
  auto var = open_pg(pool);     \
  if (!var) GTEST_SKIP() << "no PostgreSQL at " << pg_url();

TEST(PostgresReadAll, RunsOnSeparateConnectionsWhenFree) {
  OPEN_OR_SKIP(pg, 4);
  const auto pids = backend_pids(*pg, 3);
  ASSERT_EQ(pids.size(), 3u);
  EXPECT_NE(pids[0], pids[1]);
  EXPECT_NE(pids[1], pids[2]);
  EXPECT_NE(pids[0], pids[2]);
}

TEST(PostgresReadAll, RunsInTurnOnAPoolOfOne) {
  OPEN_OR_SKIP(pg, 1);
  const auto pids = backend_pids(*pg, 3);
  EXPECT_EQ(pids, std::vector<int64_t>(3, pids.at(0)));
}

TEST(PostgresReadAll, KeepsTheOrderAndParameters) {
  OPEN_OR_SKIP(pg, 2);
  const db::Query queries[] = {
      {"SELECT $1::bigint * 10", {int64_t{1}}}, {"SELECT $1::text || '!'", {"two"}}, {"SELECT 3"}};
  const auto results = pg->read_all(queries);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].rows.at(0).i64(0), 10);
  EXPECT_EQ(results[1].rows.at(0).str(0), "two!");
  EXPECT_EQ(results[2].rows.at(0).i64(0), 3);
}

TEST(PostgresReadAll, AFailureThrowsAndLeavesEveryConnectionUsable) {
  OPEN_OR_SKIP(pg, 2);
  for (int failing = 0; failing < 2; ++failing) {
    std::vector<db::Query> queries(2, db::Query{"SELECT 1", {}});
    queries[static_cast<std::size_t>(failing)].sql = "SELECT 1 / 0";
    EXPECT_THROW(pg->read_all(queries), db::Error);
  }
  EXPECT_EQ(backend_pids(*pg, 2).size(), 2u);
  const auto again = pg->read_all(std::vector<db::Query>(2, db::Query{"SELECT 7", {}}));
  EXPECT_EQ(again.at(0).rows.at(0).i64(0), 7);
  EXPECT_EQ(again.at(1).rows.at(0).i64(0), 7);
}
