// Group commit on a real SQLite file: many writes share commits, a failing one rolls back alone
// with its own error, a busy one runs again, one past the query deadline fails alone (on PostgreSQL
// too), and every done comes after its effect is committed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

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

namespace {

// Holds the committer in a first work until opened, so that the works written meanwhile form one
// batch. Returns once that work runs: a committer slow to start (TSan) would otherwise take it and
// the first works written after it as one batch.
struct HeldCommitter {
  explicit HeldCommitter(db::Database& db) {
    db.write_grouped(
        [this](db::Connection&) {
          std::unique_lock lock(m);
          holding = true;
          cv.notify_all();
          cv.wait(lock, [&] { return open; });
        },
        [](std::exception_ptr) {});
    std::unique_lock lock(m);
    EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return holding; }));
  }
  void release() {
    std::lock_guard lock(m);
    open = true;
    cv.notify_all();
  }
  std::mutex m;
  std::condition_variable cv;
  bool holding = false;
  bool open = false;
};

}  // namespace

// A batch runs first without a savepoint per work (db::Speculation). When one of its works fails,
// nothing of the batch stays from that first run: it all runs again with savepoints, the failing
// work alone is undone and told its error, and the next batches keep their savepoints.
TEST_F(GroupCommit, ABatchWithAFailingWorkRunsAgainWithSavepointsAndOnlyThatOneFails) {
  constexpr int kN = 20;
  std::vector<std::atomic<int>> runs(kN);
  std::vector<std::exception_ptr> told(kN);
  {
    HeldCommitter held(*db_);
    for (int i = 0; i < kN; ++i) {
      db_->write_grouped(
          [i, &runs](db::Connection& c) {
            ++runs[i];
            c.exec("INSERT INTO t (n) VALUES ($1)", {i});
            if (i == kN / 2) throw std::runtime_error("refused");  // after writing
          },
          [this, i, &told](std::exception_ptr e) {
            told[i] = e;
            finished();
          });
    }
    held.release();
    wait_for(kN);
  }
  for (int i = 0; i < kN; ++i) {
    SCOPED_TRACE(i);
    // Up to the failing one: once without savepoints and once with; after it: once, with.
    EXPECT_EQ(runs[i], i <= kN / 2 ? 2 : 1);
    EXPECT_EQ(static_cast<bool>(told[i]), i == kN / 2);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM t"), kN - 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM t WHERE n = " + std::to_string(kN / 2)), 0);
  EXPECT_EQ(db_->pool_stats().group_commit_reruns, 1);

  // The next batch with a failing work runs with savepoints at once: each work runs once.
  std::vector<std::atomic<int>> again(kN);
  {
    HeldCommitter held(*db_);
    for (int i = 0; i < kN; ++i) {
      db_->write_grouped(
          [i, &again](db::Connection& c) {
            ++again[i];
            c.exec("INSERT INTO t (n) VALUES ($1)", {kN + i});
            if (i == 3) throw std::runtime_error("refused");
          },
          [this](std::exception_ptr) { finished(); });
    }
    held.release();
    wait_for(2 * kN);
  }
  for (int i = 0; i < kN; ++i) EXPECT_EQ(again[i], 1) << i;
  EXPECT_EQ(count("SELECT COUNT(*) FROM t"), 2 * kN - 2);
  EXPECT_EQ(db_->pool_stats().group_commit_reruns, 1);
}

// A unique violation in a batch without savepoints: the first writer of the value keeps it, the
// second is told ConstraintError, and the works around them commit.
TEST_F(GroupCommit, AUniqueViolationInABatchWithoutSavepointsFailsOnlyTheSecondWriter) {
  constexpr int kN = 10;
  std::vector<std::string> told(kN);
  {
    HeldCommitter held(*db_);
    for (int i = 0; i < kN; ++i) {
      const int value = i == 7 ? 2 : i;  // work 7 writes work 2's value again
      db_->write_grouped([value](db::Connection& c) {
                           c.exec("INSERT INTO t (n) VALUES ($1)", {value});
                           c.exec("INSERT INTO commits (k) VALUES ($1)", {value});
                         },
                         [this, i, &told](std::exception_ptr e) {
                           try {
                             if (e) std::rethrow_exception(e);
                             told[i] = "ok";
                           } catch (const db::ConstraintError&) {
                             told[i] = "constraint";
                           } catch (...) {
                             told[i] = "other";
                           }
                           finished();
                         });
    }
    held.release();
    wait_for(kN);
  }
  for (int i = 0; i < kN; ++i) EXPECT_EQ(told[i], i == 7 ? "constraint" : "ok") << i;
  EXPECT_EQ(count("SELECT COUNT(*) FROM t"), kN - 1);
  // Work 7's first statement failed and its second never ran: nothing of it is in `commits`.
  EXPECT_EQ(count("SELECT COUNT(*) FROM commits"), kN - 1);
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

namespace {

// A statement past the query deadline inside a batch (issue 17): that work alone is told
// TimeoutError; the others of its batch run again without it and commit. A first work holds the
// committer so that the rest queue up and form one batch. Returns {ok, timed out, other errors}.
struct DeadlineOutcome {
  int ok = 0, timed_out = 0, other = 0;
};
DeadlineOutcome batch_with_one_work_past_the_deadline(db::Database& db, const std::string& table,
                                                      const std::string& slow_sql, int n) {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  int finished = 0;
  DeadlineOutcome out;
  db.write_grouped(
      [&](db::Connection&) {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return open; });
      },
      [&](std::exception_ptr) {
        std::lock_guard lock(mutex);
        ++finished;
        cv.notify_all();
      });
  auto tally = [&](std::exception_ptr e) {
    std::lock_guard lock(mutex);
    if (!e) {
      ++out.ok;
    } else {
      try {
        std::rethrow_exception(e);
      } catch (const db::TimeoutError&) {
        ++out.timed_out;
      } catch (...) {
        ++out.other;
      }
    }
    ++finished;
    cv.notify_all();
  };
  for (int i = 0; i < n; ++i) {
    db.write_grouped(
        [&, i](db::Connection& c) {
          c.exec("INSERT INTO " + table + " (n) VALUES ($1)", {i});
          if (i == n / 2) c.query(slow_sql, {});  // writes, then runs past the deadline
        },
        tally);
  }
  std::unique_lock lock(mutex);
  open = true;
  cv.notify_all();
  EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return finished == n + 1; }));
  return out;
}

// The test server's PostgreSQL (O4O_TEST_PG_URL, else the local one), or null without one.
std::unique_ptr<db::Database> test_postgres(const db::OpenOptions& options) {
  const char* env = std::getenv("O4O_TEST_PG_URL");
  const std::string pg = env ? env : "postgresql://o4o:o4o@127.0.0.1:5432/postgres";
  try {
    return db::open_database(pg, options);
  } catch (const db::UnavailableError&) {
    return nullptr;
  }
}

// How a grouped work ended, as the tests below compare it: "ok", "unique", "constraint" or the
// error's text.
std::string outcome_of(std::exception_ptr e) {
  if (!e) return "ok";
  try {
    std::rethrow_exception(e);
  } catch (const db::ConstraintError& ce) {
    return ce.kind == db::ConstraintError::Kind::unique ? "unique" : "constraint";
  } catch (const std::exception& other) {
    return other.what();
  }
  return "?";
}

// What grouped works told their dones, by work, and a wait for all of them.
struct Outcomes {
  explicit Outcomes(int n) : of(n) {}
  std::function<void(std::exception_ptr)> done(int i) {
    return [this, i](std::exception_ptr e) {
      std::lock_guard lock(m);
      if (i >= 0) of[i] = outcome_of(e);
      ++finished;
      cv.notify_all();
    };
  }
  // True when `n` dones came within 30 s.
  bool wait_for(int n) {
    std::unique_lock lock(m);
    return cv.wait_for(lock, std::chrono::seconds(30), [&] { return finished == n; });
  }
  std::mutex m;
  std::condition_variable cv;
  int finished = 0;
  std::vector<std::string> of;
};

// The n of every row of the table, in order; then the table goes.
std::vector<int64_t> rows_then_drop(db::Database& db, const std::string& table) {
  std::vector<int64_t> stored;
  db.read([&](db::Connection& c) {
    for (const auto& r : c.query("SELECT n FROM " + table + " ORDER BY n").rows)
      stored.push_back(r.i64(0));
  });
  db.write([&](db::Connection& c) { c.exec("DROP TABLE " + table); });
  return stored;
}

}  // namespace

TEST_F(GroupCommit, AWorkPastTheQueryDeadlineFailsAloneTheRestOfItsBatchCommits) {
  db_->close();
  db::OpenOptions options;
  options.statement_timeout_ms = 100;
  db_ = db::open_database(url(), options);
  constexpr int kN = 20;
  auto out = batch_with_one_work_past_the_deadline(
      *db_, "t",
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000000) "
      "SELECT COUNT(*) FROM n",
      kN);
  EXPECT_EQ(out.timed_out, 1);
  EXPECT_EQ(out.other, 0);
  EXPECT_EQ(out.ok, kN - 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM t"), kN - 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM t WHERE n = " + std::to_string(kN / 2)), 0);
}

// The same on PostgreSQL (statement_timeout), in a table of its own on the test server.
TEST(GroupCommitPostgres, AWorkPastTheQueryDeadlineFailsAloneTheRestOfItsBatchCommits) {
  auto db =
      test_postgres({.pool_size = 2, .connect_timeout_seconds = 2, .statement_timeout_ms = 200});
  if (!db) GTEST_SKIP() << "no PostgreSQL for the tests";
  const std::string table = "group_deadline_" + std::to_string(::getpid());
  db->write(
      [&](db::Connection& c) { c.exec("CREATE TABLE " + table + " (n INTEGER PRIMARY KEY)"); });
  constexpr int kN = 20;
  auto out = batch_with_one_work_past_the_deadline(*db, table, "SELECT pg_sleep(5)", kN);
  auto count = [&](const std::string& where) {
    return db->read([&](db::Connection& c) {
      return c.query_one("SELECT COUNT(*) FROM " + table + where)->i64(0);
    });
  };
  const int64_t rows = count(""), slow_rows = count(" WHERE n = " + std::to_string(kN / 2));
  db->write([&](db::Connection& c) { c.exec("DROP TABLE " + table); });
  EXPECT_EQ(out.timed_out, 1);
  EXPECT_EQ(out.other, 0);
  EXPECT_EQ(out.ok, kN - 1);
  EXPECT_EQ(rows, kN - 1);
  EXPECT_EQ(slow_rows, 0);
}

// Deferred statements on PostgreSQL (sent with the next statement in one pipeline): in a grouped
// write, a deferred insert's error comes back to its own work alone and the others commit; a
// statement after a deferred one sees it; in write(), the error is thrown by the COMMIT and
// nothing of the transaction stays; a rollback after a failed work leaves the connection usable.
TEST(GroupCommitPostgres, ADeferredStatementsErrorComesBackToItsOwnWork) {
  auto db = test_postgres({.pool_size = 1, .connect_timeout_seconds = 2});
  if (!db) GTEST_SKIP() << "no PostgreSQL for the tests";
  const std::string table = "group_deferred_" + std::to_string(::getpid());
  const std::string insert = "INSERT INTO " + table + " (n) VALUES ($1)";
  db->write([&](db::Connection& c) {
    c.exec("CREATE TABLE " + table + " (n INTEGER PRIMARY KEY)");
    c.exec(insert, {int64_t{5}});  // work 5's first insert will meet it
  });
  constexpr int kN = 20;
  std::mutex m;
  std::condition_variable cv;
  int finished = 0, unique_errors = 0, other_errors = 0;
  // By work (a batch may run twice: db::Speculation).
  std::vector<std::atomic<bool>> saw(kN);
  for (int i = 0; i < kN; ++i) {
    db->write_grouped(
        [&, i](db::Connection& c) {
          c.exec_deferred(insert, {int64_t{i}});
          c.exec_deferred(insert, {int64_t{100 + i}});
          // The next statement goes with them, and sees them.
          if (c.query_one("SELECT COUNT(*) FROM " + table + " WHERE n = $1", {int64_t{100 + i}})
                  ->i64(0) == 1)
            saw[i] = true;
        },
        [&](std::exception_ptr e) {
          std::lock_guard lock(m);
          if (e) {
            try {
              std::rethrow_exception(e);
            } catch (const db::ConstraintError& ce) {
              ++(ce.kind == db::ConstraintError::Kind::unique ? unique_errors : other_errors);
            } catch (...) {
              ++other_errors;
            }
          }
          ++finished;
          cv.notify_all();
        });
  }
  {
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return finished == kN; }));
  }
  auto count = [&](const std::string& where = "") {
    return db->read([&](db::Connection& c) {
      return c.query_one("SELECT COUNT(*) FROM " + table + where)->i64(0);
    });
  };
  const int64_t after_group = count(), of_work_5 = count(" WHERE n = 105");
  // write(): the deferred duplicate fails at COMMIT, taking the transaction's other row with it.
  bool refused = false;
  try {
    db->write([&](db::Connection& c) {
      c.exec(insert, {int64_t{1000}});
      c.exec_deferred(insert, {int64_t{1}});
    });
  } catch (const db::ConstraintError&) {
    refused = true;
  }
  // A work that throws with a deferred statement waiting is rolled back; the connection goes on.
  EXPECT_THROW(db->write([&](db::Connection& c) {
    c.exec_deferred(insert, {int64_t{2000}});
    throw std::runtime_error("changed my mind");
  }),
               std::runtime_error);
  const int64_t stray = count(" WHERE n IN (1000, 2000)");
  db->write([&](db::Connection& c) { c.exec("DROP TABLE " + table); });
  EXPECT_EQ(unique_errors, 1);
  EXPECT_EQ(other_errors, 0);
  for (int i = 0; i < kN; ++i) EXPECT_EQ(saw[i].load(), i != 5) << "work " << i;
  EXPECT_EQ(after_group, 1 + 2 * (kN - 1));
  EXPECT_EQ(of_work_5, 0);
  EXPECT_TRUE(refused);
  EXPECT_EQ(stray, 0);
}

// A work's deferred statements at its end go out with the next work's first statement (one round
// trip per work): an error of theirs is still told to the work that left them, the next work runs
// as if nothing happened, and a work that fails before any statement of its own does not take the
// one before it down.
TEST(GroupCommitPostgres, DeferredStatementsAtAWorksEndAreToldToThatWork) {
  auto db = test_postgres({.pool_size = 1, .connect_timeout_seconds = 2});
  if (!db) GTEST_SKIP() << "no PostgreSQL for the tests";
  const std::string table = "group_handover_" + std::to_string(::getpid());
  const std::string insert = "INSERT INTO " + table + " (n) VALUES ($1)";
  db->write([&](db::Connection& c) {
    c.exec("CREATE TABLE " + table + " (n INTEGER PRIMARY KEY)");
    c.exec(insert, {int64_t{5}});   // work 5's insert will meet it; work 6 fails on its own
    c.exec(insert, {int64_t{10}});  // work 10's too; work 11 is an ordinary one
  });
  constexpr int kN = 20;
  Outcomes outcome(kN);
  for (int i = 0; i < kN; ++i) {
    db->write_grouped(
        [&, i](db::Connection& c) {
          if (i == 6) throw std::runtime_error("refused before any statement");
          c.query_one("SELECT COUNT(*) FROM " + table);
          c.exec_deferred(insert, {int64_t{i}});
        },
        outcome.done(i));
  }
  ASSERT_TRUE(outcome.wait_for(kN));
  const std::vector<int64_t> stored = rows_then_drop(*db, table);
  for (int i = 0; i < kN; ++i) {
    const std::string expected = i == 5 || i == 10 ? "unique"
                                 : i == 6          ? "refused before any statement"
                                                   : "ok";
    EXPECT_EQ(outcome.of[i], expected) << "work " << i;
  }
  std::vector<int64_t> expected_rows;
  for (int64_t n = 0; n < kN; ++n)
    if (n != 6) expected_rows.push_back(n);  // 5 and 10 from before, the others' own
  EXPECT_EQ(stored, expected_rows);
}

// Works that only defer statements wait for no answer: a batch of them goes out in one pipeline.
// When one of them fails, it alone is undone and told; the works after it (whose statements the
// server skipped) run again and commit; a work that needs an answer in between still sees what
// the works before it did. The queue is held shut until every work is in, so that they share a
// batch.
TEST(GroupCommitPostgres, WorksThatOnlyDeferGoOutTogetherAndAFailingOneFailsAlone) {
  auto db = test_postgres({.pool_size = 1, .connect_timeout_seconds = 2});
  if (!db) GTEST_SKIP() << "no PostgreSQL for the tests";
  const std::string table = "group_pipelined_" + std::to_string(::getpid());
  const std::string insert = "INSERT INTO " + table + " (n) VALUES ($1)";
  db->write([&](db::Connection& c) {
    c.exec("CREATE TABLE " + table + " (n INTEGER PRIMARY KEY)");
    c.exec(insert, {int64_t{103}});  // work 3's second insert meets it
    c.exec(insert, {int64_t{17}});   // work 17's first
  });
  constexpr int kN = 30;
  Outcomes outcome(kN);
  bool open = false;
  bool holding = false;
  std::vector<int> runs(kN, 0);
  int64_t seen_by_10 = -1;
  // The first work holds the committer until every other one is queued. It must be running (in a
  // batch of its own) before they are: a committer slow to start (TSan) took the holder and the
  // first works queued after it as one batch.
  db->write_grouped(
      [&](db::Connection&) {
        std::unique_lock lock(outcome.m);
        holding = true;
        outcome.cv.notify_all();
        outcome.cv.wait(lock, [&] { return open; });
      },
      outcome.done(-1));
  {
    std::unique_lock lock(outcome.m);
    EXPECT_TRUE(outcome.cv.wait_for(lock, std::chrono::seconds(10), [&] { return holding; }));
  }
  for (int i = 0; i < kN; ++i) {
    db->write_grouped(
        [&, i](db::Connection& c) {
          ++runs[i];
          c.exec_deferred(insert, {int64_t{i}});
          c.exec_deferred(insert, {int64_t{100 + i}});
          // One work in the middle asks: it sees every row of the works before it.
          if (i == 10)
            seen_by_10 = c.query_one("SELECT COUNT(*) FROM " + table + " WHERE n < 10")->i64(0);
        },
        outcome.done(i));
  }
  {
    std::lock_guard lock(outcome.m);
    open = true;
    outcome.cv.notify_all();
  }
  ASSERT_TRUE(outcome.wait_for(kN + 1));
  const std::vector<int64_t> stored = rows_then_drop(*db, table);
  for (int i = 0; i < kN; ++i)
    EXPECT_EQ(outcome.of[i], i == 3 || i == 17 ? "unique" : "ok") << "work " << i;
  // Work 10 ran with works 0-9 in flight; work 3's rows were undone by then.
  EXPECT_EQ(seen_by_10, 9);
  // The batch ran first without a savepoint per work (db::Speculation): works 0-10 ran, and
  // work 10's question found work 3's error; all of it was rolled back and the batch ran again
  // with savepoints. There, works 4-10 were skipped after work 3 failed and ran again (10: its
  // question failed with them); so were 18-29 after work 17. So 0-2 ran twice, 4-10 three times,
  // 11-16 once, 18-29 twice; 3 and 17 no more than three times.
  for (int i = 0; i < kN; ++i) {
    const int careful = (i >= 4 && i <= 10) || i >= 18 ? 2 : 1;
    if (i == 3 || i == 17) continue;
    EXPECT_EQ(runs[i], careful + (i <= 10 ? 1 : 0)) << "work " << i;
  }
  EXPECT_EQ(db->pool_stats().group_commit_reruns, 1);
  std::vector<int64_t> expected_rows;
  for (int64_t n = 0; n < kN; ++n)
    if (n != 3) expected_rows.push_back(n);
  for (int64_t n = 100; n < 100 + kN; ++n)
    if (n != 117) expected_rows.push_back(n);
  EXPECT_EQ(stored, expected_rows);
}
