#pragma once
// The one temp-database fixture: a fresh SQLite database file for each test, in a directory named
// for the test and removed after it, and the one user factory. Fixtures derive from it, call
// TempSqliteTest::SetUp() first (and TempSqliteTest::TearDown() last, after dropping whatever holds
// the database).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "accounts/user_repository.hpp"
#include "core/caller.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"

namespace o4o::unit_test {

class TempSqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("o4o-" + std::string(test->test_suite_name()) + "-" + std::to_string(::getpid()) + "-" +
            test->name());
    std::filesystem::remove_all(dir_);
    db_ = db::open_database(url(), {});
  }
  void TearDown() override {
    if (db_) db_->close();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // The URL of a database file in this test's directory (the test's own database by default).
  std::string url(const std::string& file = "t.db") const {
    return "sqlite:" + (dir_ / file).string();
  }

  // A live account with this role (and a unique email; password hash "x", so no password logs
  // in), as the services see their callers.
  core::AuthUser add_user(const std::string& role, const std::string& name = "Test user") {
    const std::string id = core::new_uuid();
    core::AuthUser user{id, role + "." + id.substr(0, 8) + "@example.com", role};
    db_->write([&](db::Connection& c) {
      accounts::user_repo::insert(c, {user.id, user.email, name, role, 0, 0}, "x");
    });
    return user;
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::Database> db_;
};

}  // namespace o4o::unit_test
