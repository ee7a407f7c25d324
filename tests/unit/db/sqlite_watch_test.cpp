// SQLite files shared by processes (db::Database::watch_other_processes): another process's commit
// is told soon, also while this process's writer waits for that process's lock; this process's
// own commits are not told.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "support/temp_database.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class SqliteWatchTest : public o4o::unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->migrate();
    db_->write([](o4o::db::Connection& c) { c.exec("CREATE TABLE t (x INTEGER)"); });
    db_->watch_other_processes([this] { told_.fetch_add(1); });
  }
  // Waits up to `limit` for the watcher to tell more than `seen` commits.
  bool told_after(int seen, std::chrono::milliseconds limit) {
    const auto end = Clock::now() + limit;
    while (told_.load() <= seen && Clock::now() < end) std::this_thread::sleep_for(2ms);
    return told_.load() > seen;
  }
  std::atomic<int> told_{0};
};

TEST_F(SqliteWatchTest, OwnCommitsAreNotToldAnotherHandlesAre) {
  for (int i = 0; i < 20; ++i)
    db_->write([&](o4o::db::Connection& c) { c.exec("INSERT INTO t VALUES ($1)", {int64_t{i}}); });
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(told_.load(), 0);
  // Another handle on the file stands for another process.
  auto other = o4o::db::open_database(url(), {});
  other->write([](o4o::db::Connection& c) { c.exec("INSERT INTO t VALUES (100)"); });
  EXPECT_TRUE(told_after(0, 1000ms));
  other->close();
}

// The other process commits, then takes the lock again at once and keeps it, while this process's
// writer waits for it: the commit is told while the writer still waits (a watcher that asked the
// writer's connection waited for the lock too).
TEST_F(SqliteWatchTest, AnotherProcessCommitIsToldWhileThisWriterWaitsForItsLock) {
  auto other = o4o::db::open_database(url(), {});
  std::promise<void> holding;
  std::atomic<bool> release{false};
  std::atomic<int64_t> committed_at_ms{0};
  const auto start = Clock::now();
  const auto ms_since_start = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  };
  std::thread writer_of_other([&] {
    other->write([&](o4o::db::Connection& c) {
      c.exec("INSERT INTO t VALUES (1)");
      holding.set_value();
      std::this_thread::sleep_for(200ms);  // this process's writer starts waiting meanwhile
    });
    committed_at_ms = ms_since_start();
    other->write([&](o4o::db::Connection&) {
      while (!release.load()) std::this_thread::sleep_for(5ms);
    });
  });
  holding.get_future().wait();
  std::thread waiting_writer(
      [&] { db_->write([](o4o::db::Connection& c) { c.exec("INSERT INTO t VALUES (2)"); }); });
  const bool told = told_after(0, 3000ms);
  const auto told_at_ms = ms_since_start();
  release = true;
  waiting_writer.join();
  writer_of_other.join();
  ASSERT_TRUE(told);
  EXPECT_GT(committed_at_ms.load(), 0) << "told before the other process committed";
  EXPECT_LT(told_at_ms - committed_at_ms.load(), 1000) << "told only once the writer got the lock";
  other->close();
}

}  // namespace
