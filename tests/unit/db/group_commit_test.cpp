// Group commit on a real SQLite file: many writes share commits, a failing one rolls back alone with
// its own error, a busy one runs again, and every done comes after its effect is committed.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>

#include "db/database.hpp"
#include "support/temp_database.hpp"

using namespace o4o;

namespace {

class GroupCommit : public unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->write([](db::Connection& c) {
      c.exec("CREATE TABLE t (n INTEGER PRIMARY KEY)");
      c.exec("CREATE TABLE commits (k INTEGER)");
    });
  }
  // Waits until `n` dones have been called.
  void wait_for(int n) {
    std::unique_lock lock(mutex_);
    ASSERT_TRUE(cv_.wait_for(lock, std::chrono::seconds(30), [&] { return finished_ >= n; }));
  }
  void finished() {
    std::lock_guard lock(mutex_);
    ++finished_;
    cv_.notify_all();
  }
  int64_t count(const std::string& sql) {
    return db_->read([&](db::Connection& c) { return c.query_one(sql)->i64(0); });
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  int finished_ = 0;
};

}  // namespace

TEST_F(GroupCommit, FailingWorkRollsBackAloneOthersCommitAndDoneSeesTheCommit) {
  constexpr int kN = 200;
  std::atomic<int> ok{0}, failed{0}, visible_at_done{0};
  for (int i = 0; i < kN; ++i) {
    db_->write_grouped(
        [i](db::Connection& c) {
          c.exec("INSERT INTO t (n) VALUES ($1)", {i});
          if (i % 7 == 3) throw std::runtime_error("no");  // after writing: must be undone
        },
        [this, i, &ok, &failed, &visible_at_done](std::exception_ptr e) {
          if (e) {
            ++failed;
          } else {
            ++ok;
            // Committed already: a reader connection sees it.
            if (count("SELECT COUNT(*) FROM t WHERE n = " + std::to_string(i)) == 1)
              ++visible_at_done;
          }
          finished();
        });
  }
  wait_for(kN);
  int expected_failures = 0;
  for (int i = 0; i < kN; ++i) expected_failures += (i % 7 == 3);
  EXPECT_EQ(failed, expected_failures);
  EXPECT_EQ(ok, kN - expected_failures);
  EXPECT_EQ(visible_at_done, ok.load());
  EXPECT_EQ(count("SELECT COUNT(*) FROM t"), kN - expected_failures);
  EXPECT_EQ(count("SELECT COUNT(*) FROM t WHERE n % 7 = 3"), 0);
}

TEST_F(GroupCommit, RetryableErrorRunsTheWorkAgain) {
  std::atomic<int> runs{0};
  std::exception_ptr result = std::make_exception_ptr(std::runtime_error("not called"));
  db_->write_grouped(
      [&runs](db::Connection& c) {
        c.exec("INSERT INTO t (n) VALUES (1)");
        if (++runs < 3) throw db::RetryableError("busy");
      },
      [this, &result](std::exception_ptr e) {
        result = e;
        finished();
      });
  wait_for(1);
  EXPECT_FALSE(result);
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM t"), 1);
}

TEST_F(GroupCommit, ConstraintErrorComesBackToItsOwnWork) {
  std::exception_ptr first, second;
  db_->write_grouped([](db::Connection& c) { c.exec("INSERT INTO t (n) VALUES (5)"); },
                     [this, &first](std::exception_ptr e) {
                       first = e;
                       finished();
                     });
  db_->write_grouped([](db::Connection& c) { c.exec("INSERT INTO t (n) VALUES (5)"); },
                     [this, &second](std::exception_ptr e) {
                       second = e;
                       finished();
                     });
  wait_for(2);
  EXPECT_FALSE(first);
  ASSERT_TRUE(second);
  EXPECT_THROW(std::rethrow_exception(second), db::ConstraintError);
  EXPECT_EQ(count("SELECT COUNT(*) FROM t"), 1);
}

TEST_F(GroupCommit, CloseRunsWhatIsQueued) {
  std::atomic<int> done{0};
  for (int i = 0; i < 50; ++i)
    db_->write_grouped([i](db::Connection& c) { c.exec("INSERT INTO t (n) VALUES ($1)", {i}); },
                       [&done](std::exception_ptr e) { done += e ? 0 : 1; });
  db_->close();
  EXPECT_EQ(done, 50);
  EXPECT_EQ(count("SELECT COUNT(*) FROM t"), 50);
}
