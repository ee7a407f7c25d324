// The SQLite back-end, migrations and Idempotency-Key handling on a real database file.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/idempotency.hpp"
#include "db/database.hpp"
#include "support/temp_database.hpp"

using namespace o4o;

namespace {
class TempDb : public unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->migrate();
  }
};
}  // namespace

TEST_F(TempDb, MigratesOnceAndTwiceIsHarmless) {
  auto count = [&] {
    return db_->read([](db::Connection& c) {
      return c.query_one("SELECT COUNT(*) FROM schema_migrations")->i64(0);
    });
  };
  auto before = count();
  EXPECT_GT(before, 0);
  db_->migrate();
  EXPECT_EQ(count(), before);
  // A second process (here: a second handle) finds nothing to do either.
  auto other = db::open_database(url(), {});
  other->migrate();
  EXPECT_EQ(count(), before);
}

// A first deploy can run `migrate` while the service starts: both open a file that does not exist
// yet and switch it to WAL at the same moment.
TEST_F(TempDb, TwoHandlesOpeningAFreshFileAtOnceBothSucceed) {
  for (int round = 0; round < 40; ++round) {
    const auto fresh = url("fresh-" + std::to_string(round) + ".db");
    std::atomic<int> opened{0};
    std::vector<std::string> errors(2);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
      threads.emplace_back([&, t] {
        try {
          db::open_database(fresh, {})->migrate();
          ++opened;
        } catch (const std::exception& e) {
          errors[t] = e.what();
        }
      });
    for (auto& t : threads) t.join();
    ASSERT_EQ(opened.load(), 2) << "round " << round << ": " << errors[0] << errors[1];
  }
}

TEST_F(TempDb, RollsBackOnExceptionAndReportsUniqueViolations) {
  auto insert = [](db::Connection& c, const char* id, const char* email) {
    c.exec(
        "INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at) "
        "VALUES ($1, $2, 'n', 'user', 'h', 1, 1)",
        {id, email});
  };
  EXPECT_THROW(db_->write([&](db::Connection& c) {
    insert(c, "a", "a@x.io");
    throw core::err::conflict("CONFLICT", "stop");
  }),
               core::ApiError);
  EXPECT_EQ(db_->read([](db::Connection& c) {
    return c.query_one("SELECT COUNT(*) FROM users")->i64(0);
  }),
            0);
  db_->write([&](db::Connection& c) { insert(c, "a", "a@x.io"); });
  try {
    db_->write([&](db::Connection& c) { insert(c, "b", "a@x.io"); });
    FAIL() << "expected a unique violation";
  } catch (const db::ConstraintError& e) {
    EXPECT_EQ(e.kind, db::ConstraintError::Kind::unique);
  }
}

TEST_F(TempDb, ConditionalUpdatesNeverOversellUnderThreads) {
  db_->write([](db::Connection& c) {
    c.exec_script("CREATE TABLE stock (id TEXT PRIMARY KEY, n INTEGER NOT NULL)");
    c.exec("INSERT INTO stock VALUES ('p', 50)");
  });
  std::atomic<int> sold{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i)
        sold += static_cast<int>(db_->write([](db::Connection& c) {
          return c.exec("UPDATE stock SET n = n - 1 WHERE id = 'p' AND n >= 1");
        }));
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(sold.load(), 50);
  EXPECT_EQ(db_->read([](db::Connection& c) { return c.query_one("SELECT n FROM stock")->i64(0); }),
            0);
}

namespace {
core::Request keyed_post(std::string path, std::string key, std::string body = "{}") {
  core::Request req;
  req.method = core::Method::post;
  req.path = std::move(path);
  req.headers = {{"Idempotency-Key", std::move(key)}, {"Content-Type", "application/json"}};
  req.body = std::move(body);
  return req;
}

int64_t count_effects(db::Database& db) {
  return db.read(
      [](db::Connection& c) { return c.query_one("SELECT COUNT(*) FROM effects")->i64(0); });
}
}  // namespace

TEST_F(TempDb, IdempotencyReplaysAndRefusesAnotherBody) {
  core::ManualClock clock;
  core::Idempotency idem(*db_, clock);
  db_->write([](db::Connection& c) { c.exec_script("CREATE TABLE effects (run INTEGER)"); });
  auto req = keyed_post("/api/v1/ecommerce/orders", "k1", R"({"a":1,"b":[1,2]})");
  int runs = 0;
  // Like an order: the effect and the recorded answer in one transaction.
  auto work = [&](const core::IdempotentEffect& effect) {
    ++runs;
    auto answer = core::created(boost::json::object{{"run", runs}});
    db_->write([&](db::Connection& c) {
      c.exec("INSERT INTO effects (run) VALUES ($1)", {runs});
      effect.record(c, answer);
    });
    return answer;
  };
  auto first = idem.run(req, "u1", work);
  auto again = idem.run(req, "u1", work);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(count_effects(*db_), 1);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  // Same JSON with keys in another order is the same body.
  req.body = R"({"b":[1,2], "a":1})";
  EXPECT_EQ(idem.run(req, "u1", work).body, first.body);
  // Another user with the same key is independent.
  idem.run(req, "u2", work);
  EXPECT_EQ(runs, 2);
  req.body = R"({"a":2})";
  try {
    idem.run(req, "u1", work);
    FAIL() << "expected IDEMPOTENCY_CONFLICT";
  } catch (const core::ApiError& e) {
    EXPECT_EQ(e.code(), "IDEMPOTENCY_CONFLICT");
  }
  // After 24 h the key is forgotten.
  clock.advance_ms(25LL * 3600 * 1000);
  idem.run(req, "u1", work);
  EXPECT_EQ(runs, 3);
}

TEST_F(TempDb, IdempotencyAnswerCommitsWithTheEffectOrNotAtAll) {
  core::ManualClock clock;
  core::Idempotency idem(*db_, clock);
  db_->write([](db::Connection& c) { c.exec_script("CREATE TABLE effects (run INTEGER)"); });
  const auto req = keyed_post("/p", "k");
  int runs = 0;
  // The transaction fails after recording: neither the effect nor the answer stays, and a retry
  // runs the work afresh.
  EXPECT_THROW(idem.run(req, "u",
                        [&](const core::IdempotentEffect& effect) -> core::Response {
                          ++runs;
                          db_->write([&](db::Connection& c) {
                            c.exec("INSERT INTO effects (run) VALUES ($1)", {runs});
                            effect.record(c, core::created(nullptr));
                            throw core::err::conflict("OUT_OF_STOCK", "none left");
                          });
                          return core::created(nullptr);
                        }),
               core::ApiError);
  EXPECT_EQ(count_effects(*db_), 0);
  // The transaction commits, then the request dies before answering (as in a crash): the
  // answer is already there, so the retry replays it instead of doing the work twice.
  EXPECT_THROW(idem.run(req, "u",
                        [&](const core::IdempotentEffect& effect) -> core::Response {
                          ++runs;
                          db_->write([&](db::Connection& c) {
                            c.exec("INSERT INTO effects (run) VALUES ($1)", {runs});
                            effect.record(c, core::created(boost::json::object{{"run", runs}}));
                          });
                          throw std::runtime_error("the process died here");
                        }),
               std::runtime_error);
  const auto replay = idem.run(req, "u", [&](const core::IdempotentEffect&) {
    ++runs;
    return core::created(nullptr);
  });
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(count_effects(*db_), 1);
  EXPECT_EQ(replay.status, 201);
  ASSERT_EQ(replay.headers.size(), 1u);
  EXPECT_EQ(replay.headers[0].name, "Idempotent-Replayed");
  EXPECT_NE(replay.body.find("\"run\":2"), std::string::npos) << replay.body;
}

TEST_F(TempDb, IdempotencyClaimTakenOverByARetryCannotCommit) {
  core::ManualClock clock;
  core::Idempotency idem(*db_, clock);
  db_->write([](db::Connection& c) { c.exec_script("CREATE TABLE effects (run INTEGER)"); });
  const auto req = keyed_post("/p", "k");
  auto effect_work = [&](int run) {
    return [&, run](const core::IdempotentEffect& effect) {
      auto answer = core::created(boost::json::object{{"run", run}});
      db_->write([&](db::Connection& c) {
        c.exec("INSERT INTO effects (run) VALUES ($1)", {run});
        effect.record(c, answer);
      });
      return answer;
    };
  };
  // The first request stalls for over a minute; a retry finds its claim stale, takes the key
  // over and places the effect. The first request's own transaction must then fail.
  const auto slow = [&](const core::IdempotentEffect& effect) {
    clock.advance_ms(61 * 1000);
    const auto retry = idem.run(req, "u", effect_work(2));
    EXPECT_EQ(retry.status, 201);
    return effect_work(1)(effect);
  };
  try {
    idem.run(req, "u", slow);
    FAIL() << "the stalled request committed after losing its key";
  } catch (const core::ApiError& e) {
    EXPECT_EQ(e.status(), 409);
  }
  EXPECT_EQ(count_effects(*db_), 1);
  const auto replay = idem.run(req, "u", effect_work(3));
  EXPECT_NE(replay.body.find("\"run\":2"), std::string::npos) << replay.body;
  EXPECT_EQ(count_effects(*db_), 1);
}

// A duplicate that comes while the first request still runs does not wait on its worker: it asks
// the session to run it again shortly, and replays the first answer once there is one.
TEST_F(TempDb, IdempotencyDuplicateOfARunningRequestAsksToRunAgain) {
  core::ManualClock clock;
  core::Idempotency idem(*db_, clock);
  auto req = keyed_post("/p", "k");
  int runs = 0;
  const auto count_run = [&](const core::IdempotentEffect&) {
    ++runs;
    return core::created(nullptr);
  };
  const auto first = idem.run(req, "u", [&](const core::IdempotentEffect&) {
    ++runs;
    const auto duplicate = idem.run(req, "u", count_run);
    EXPECT_TRUE(duplicate.run_again_after.has_value());
    EXPECT_TRUE(duplicate.body.empty());
    // Run again, it looks before it claims, and still waits.
    auto again = req;
    again.reruns = 1;
    EXPECT_TRUE(idem.run(again, "u", count_run).run_again_after.has_value());
    // After 30 s of asking again, the duplicate gives up without running the work.
    auto late = req;
    late.reruns = 1500;
    try {
      idem.run(late, "u", count_run);
      ADD_FAILURE() << "expected 409 CONFLICT";
    } catch (const core::ApiError& e) {
      EXPECT_EQ(e.code(), "CONFLICT");
    }
    return core::created(boost::json::object{{"first", true}});
  });
  EXPECT_EQ(runs, 1);
  req.reruns = 3;
  const auto replay = idem.run(req, "u", count_run);
  EXPECT_EQ(runs, 1);
  EXPECT_FALSE(replay.run_again_after.has_value());
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, first.body);
}

// Parallel duplicates on threads, as the session runs them (a duplicate of a running request asks
// to run again after a delay): the work runs once, and every duplicate ends with its answer.
TEST_F(TempDb, IdempotencyParallelDuplicatesOnThreadsRunTheWorkOnce) {
  core::SystemClock clock;
  core::Idempotency idem(*db_, clock);
  db_->write([](db::Connection& c) { c.exec_script("CREATE TABLE effects (run INTEGER)"); });
  const auto req = keyed_post("/api/v1/ecommerce/orders", "parallel", R"({"items":[1]})");
  std::atomic<int> runs{0};
  std::vector<std::string> answers(6);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < answers.size(); ++t)
    threads.emplace_back([&, t] {
      auto mine = req;
      for (;;) {
        auto res = idem.run(mine, "u", [&](const core::IdempotentEffect& effect) {
          runs.fetch_add(1);
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          core::Response answer;
          db_->write([&](db::Connection& c) {
            c.exec("INSERT INTO effects (run) VALUES (1)");
            answer = core::created(boost::json::object{{"order", "o-1"}});
            effect.record(c, answer);
          });
          return answer;
        });
        if (!res.run_again_after) {
          EXPECT_EQ(res.status, 201);
          answers[t] = res.body;
          return;
        }
        std::this_thread::sleep_for(*res.run_again_after);
        ++mine.reruns;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(count_effects(*db_), 1);
  for (const auto& a : answers) EXPECT_EQ(a, answers.front());
}

// Grouped writes (group commit): the key is taken by inserting the finished record at the end of
// the work's savepoint. Duplicates sent at once, some in the same batch as the first: the work's
// effect stays once, every duplicate ends with the first's answer, another body is refused, and a
// work that fails leaves the key free for a retry.
TEST_F(TempDb, IdempotencyGroupedDuplicatesRunTheWorkOnce) {
  core::SystemClock clock;
  core::Idempotency idem(*db_, clock);
  db_->write([](db::Connection& c) { c.exec_script("CREATE TABLE effects (run INTEGER)"); });
  const auto req = keyed_post("/api/v1/ecommerce/orders", "grouped", R"({"items":[1]})");
  std::atomic<int> runs{0};
  const auto ask = [&](core::Request mine, bool fail = false) {
    for (;;) {
      core::Response res;
      const auto work = [&](db::Connection& c, const core::IdempotentEffect& effect) {
        const int run = runs.fetch_add(1) + 1;
        c.exec("INSERT INTO effects (run) VALUES ($1)", {run});
        if (fail) throw core::err::conflict("OUT_OF_STOCK", "none left");
        core::Response answer;
        effect.record_created<int>(answer, [](int r) { return boost::json::object{{"run", r}}; })(
            c, run);
        return answer;
      };
      if (mine.reruns == 0) {
        res = idem.run_grouped(mine, "u", work);
        if (res.later) res = res.later->wait();
      } else {
        try {
          res = idem.run(mine, "u", [&](const core::IdempotentEffect& effect) {
            return db_->write([&](db::Connection& c) { return work(c, effect); });
          });
        } catch (const core::ApiError& e) {
          res.status = e.status();  // as the session answers it
          res.body = e.code();
        }
      }
      if (!res.run_again_after) return res;
      std::this_thread::sleep_for(*res.run_again_after);
      ++mine.reruns;
    }
  };
  std::vector<std::string> answers(8);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < answers.size(); ++t)
    threads.emplace_back([&, t] {
      const auto res = ask(req);
      EXPECT_EQ(res.status, 201) << res.body;
      answers[t] = res.body;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(count_effects(*db_), 1);
  for (const auto& a : answers) EXPECT_EQ(a, answers.front());
  auto other = req;
  other.body = R"({"items":[2]})";
  const auto refused = ask(other);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.body, "IDEMPOTENCY_CONFLICT");
  EXPECT_EQ(count_effects(*db_), 1);
  // A failing work keeps nothing, its key included: the retry runs the work.
  const auto failing = keyed_post("/api/v1/ecommerce/orders", "fails", "{}");
  EXPECT_EQ(ask(failing, true).status, 409);
  EXPECT_EQ(count_effects(*db_), 1);
  EXPECT_EQ(ask(failing).status, 201);
  EXPECT_EQ(count_effects(*db_), 2);
}

TEST_F(TempDb, IdempotencyForgetsFailures) {
  core::ManualClock clock;
  core::Idempotency idem(*db_, clock);
  core::Request req;
  req.method = core::Method::post;
  req.path = "/p";
  req.headers = {{"Idempotency-Key", "k"}};
  int runs = 0;
  EXPECT_THROW(idem.run(req, "u",
                        [&](const core::IdempotentEffect&) -> core::Response {
                          ++runs;
                          throw core::err::conflict("OUT_OF_STOCK", "none left");
                        }),
               core::ApiError);
  idem.run(req, "u", [&](const core::IdempotentEffect&) {
    ++runs;
    return core::created(nullptr);
  });
  EXPECT_EQ(runs, 2);
}

// Group commit keeps every durability setting: the writer (which runs the grouped batches too)
// is in WAL mode with synchronous=FULL, so an answered write has been synced to the disk.
TEST_F(TempDb, TheWriterSyncsEveryCommit) {
  const auto [synchronous, journal] = db_->write([](db::Connection& c) {
    return std::pair{c.query_one("PRAGMA synchronous")->i64(0),
                     c.query_one("PRAGMA journal_mode")->str(0)};
  });
  EXPECT_EQ(synchronous, 2);  // FULL
  EXPECT_EQ(journal, "wal");
}

// The background purge: records past their 24 hours go a chunk at a time, oldest first, and the
// younger ones stay; a key whose record went runs its work again.
TEST_F(TempDb, IdempotencyPurgeDropsExpiredRecordsAChunkAtATime) {
  core::ManualClock clock;
  core::Idempotency idem(*db_, clock);
  int runs = 0;
  auto ask = [&](const std::string& key) {
    return idem.run(keyed_post("/p", key), "u", [&](const core::IdempotentEffect&) {
      ++runs;
      return core::created(nullptr);
    });
  };
  for (int i = 0; i < 5; ++i) ask("old" + std::to_string(i));
  clock.advance_ms(20LL * 3600 * 1000);
  for (int i = 0; i < 3; ++i) ask("new" + std::to_string(i));
  clock.advance_ms(5LL * 3600 * 1000);  // the first five are 25 hours old, the rest 5
  EXPECT_EQ(idem.purge_expired(2), 2u);
  EXPECT_EQ(idem.purge_expired(2), 2u);
  EXPECT_EQ(idem.purge_expired(2), 1u);
  EXPECT_EQ(idem.purge_expired(2), 0u);
  const auto left = db_->read([](db::Connection& c) {
    std::string keys;
    for (const auto& r : c.query("SELECT key FROM idempotency_keys ORDER BY key").rows)
      keys += r.str(0) + " ";
    return keys;
  });
  EXPECT_EQ(left, "new0 new1 new2 ");
  EXPECT_EQ(runs, 8);
  ask("new1");  // still remembered: replayed
  ask("old1");  // forgotten: runs again
  EXPECT_EQ(runs, 9);
}

// O4O_QUERY_TIMEOUT_MS on SQLite: a statement past the deadline is interrupted (TimeoutError, a
// 503 with Retry-After), the connection stays usable, and migrations have no deadline.
TEST_F(TempDb, AStatementPastTheQueryDeadlineIsInterruptedAndTheConnectionLivesOn) {
  db::OpenOptions options;
  options.pool_size = 1;
  options.statement_timeout_ms = 50;
  auto timed = db::open_database(url(), options);
  timed->migrate();
  constexpr std::string_view kForever =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000000) "
      "SELECT COUNT(*) FROM n";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(timed->read([&](db::Connection& c) { return c.query(kForever, {}); }),
               db::TimeoutError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_THROW(timed->write([&](db::Connection& c) { return c.query(kForever, {}); }),
               db::TimeoutError);
  // The same connections answer the next statement.
  EXPECT_EQ(timed->read([](db::Connection& c) { return c.query_one("SELECT 7")->i64(0); }), 7);
  EXPECT_EQ(timed->write([](db::Connection& c) { return c.query_one("SELECT 8")->i64(0); }), 8);
  // The envelope: 503 SERVICE_UNAVAILABLE with Retry-After.
  auto r = core::render_error(std::make_exception_ptr(db::TimeoutError("interrupted")), "rid");
  EXPECT_EQ(r.status, 503);
  bool retry_after = false;
  for (const auto& h : r.headers) retry_after |= h.name == "Retry-After";
  EXPECT_TRUE(retry_after);
}

// Checkpoints run off the commit path (a thread of the database's), yet the log stays bounded
// under commits that never pause: past 4,000 frames the writer copies the rest itself and the log
// starts over; and every committed row is in the database.
TEST_F(TempDb, TheLogStaysBoundedUnderSteadyCommitsAndLosesNothing) {
  db_->write([](db::Connection& c) {
    c.exec_script("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
  });
  const auto wal = dir_ / "t.db-wal";
  const std::string body(40 * 1024, 'x');  // some 11 pages a commit
  std::uintmax_t largest = 0;
  constexpr int kCommits = 600;
  for (int i = 0; i < kCommits; ++i) {
    db_->write([&](db::Connection& c) {
      c.exec("INSERT INTO blobs (body) VALUES ($1)", {body});
    });
    std::error_code ec;
    largest = std::max(largest, std::filesystem::file_size(wal, ec));
  }
  // 600 commits wrote some 6,600 frames: without a restart the log would hold them all (27 MB).
  EXPECT_LE(largest, std::uintmax_t{32 + (4000 + 40) * 4120});
  EXPECT_EQ(db_->read([](db::Connection& c) {
              return c.query_one("SELECT COUNT(*) FROM blobs")->i64(0);
            }),
            kCommits);
}
