// The SQLite back-end, migrations and Idempotency-Key handling on a real database file.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/clock.hpp"
#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/idempotency.hpp"
#include "db/database.hpp"

using namespace o4o;

namespace {
class TempDb : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("o4o-db-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    db_ = db::open_database("sqlite:" + (dir_ / "t.db").string(), {});
    db_->migrate();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<db::Database> db_;
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
  auto other = db::open_database("sqlite:" + (dir_ / "t.db").string(), {});
  other->migrate();
  EXPECT_EQ(count(), before);
}

TEST_F(TempDb, RollsBackOnExceptionAndReportsUniqueViolations) {
  auto insert = [](db::Connection& c, const char* id, const char* email) {
    c.exec("INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at) "
           "VALUES ($1, $2, 'n', 'user', 'h', 1, 1)",
           {id, email});
  };
  EXPECT_THROW(db_->write([&](db::Connection& c) {
    insert(c, "a", "a@x.io");
    throw core::err::conflict("CONFLICT", "stop");
  }), core::ApiError);
  EXPECT_EQ(db_->read([](db::Connection& c) {
    return c.query_one("SELECT COUNT(*) FROM users")->i64(0);
  }), 0);
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
  EXPECT_EQ(db_->read([](db::Connection& c) {
    return c.query_one("SELECT n FROM stock")->i64(0);
  }), 0);
}

TEST_F(TempDb, IdempotencyReplaysAndRefusesAnotherBody) {
  core::ManualClock clock;
  core::Idempotency idem(*db_, clock);
  core::Request req;
  req.method = core::Method::post;
  req.path = "/api/v1/ecommerce/orders";
  req.headers = {{"Idempotency-Key", "k1"}, {"Content-Type", "application/json"}};
  req.body = R"({"a":1,"b":[1,2]})";
  int runs = 0;
  auto work = [&] {
    ++runs;
    return core::created(boost::json::object{{"run", runs}});
  };
  auto first = idem.run(req, "u1", work);
  auto again = idem.run(req, "u1", work);
  EXPECT_EQ(runs, 1);
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

TEST_F(TempDb, IdempotencyForgetsFailures) {
  core::ManualClock clock;
  core::Idempotency idem(*db_, clock);
  core::Request req;
  req.method = core::Method::post;
  req.path = "/p";
  req.headers = {{"Idempotency-Key", "k"}};
  int runs = 0;
  EXPECT_THROW(idem.run(req, "u", [&]() -> core::Response {
    ++runs;
    throw core::err::conflict("OUT_OF_STOCK", "none left");
  }), core::ApiError);
  idem.run(req, "u", [&] {
    ++runs;
    return core::created(nullptr);
  });
  EXPECT_EQ(runs, 2);
}
