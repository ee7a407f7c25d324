#pragma once
// A fresh SQLite database file for each test, in a directory named for the test and removed after
// it. Fixtures derive from it and add their schema in their own SetUp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

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
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // The URL of a database file in this test's directory (the test's own database by default).
  std::string url(const std::string& file = "t.db") const {
    return "sqlite:" + (dir_ / file).string();
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::Database> db_;
};

}  // namespace o4o::unit_test
