// The login throttle against a real SQLite database with a ManualClock: per account and address,
// per address alone, Retry-After from the oldest attempt that must leave the window, and a right
// password forgetting the account's attempts.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "accounts/login_throttle.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/password.hpp"
#include "support/api_error.hpp"
#include "support/temp_database.hpp"

namespace {

using o4o::accounts::LoginThrottle;
using o4o::unit_test::error_of;

class LoginThrottleTest : public o4o::unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->migrate();
    config_.login_max_failures = 3;
    config_.login_ip_max_failures = 5;
    config_.login_window_seconds = 60;
    throttle_ = std::make_unique<LoginThrottle>(*db_, clock_, config_);
  }
  void TearDown() override {
    throttle_.reset();
    TempSqliteTest::TearDown();
  }

  o4o::core::Config config_;
  o4o::core::ManualClock clock_;
  std::unique_ptr<LoginThrottle> throttle_;
};

TEST_F(LoginThrottleTest, ThrottlesPerAccountAndAddressUntilTheWindowFrees) {
  for (int i = 0; i < 3; ++i) {
    throttle_->begin("t@example.com", "10.0.0.2");
    clock_.advance_ms(10'000);
  }
  // Now 30 s after the first attempt: it leaves the 60 s window in 30 s.
  auto e = error_of([&] { throttle_->begin("t@example.com", "10.0.0.2"); });
  ASSERT_EQ(e.status(), 429);
  EXPECT_EQ(e.code(), "RATE_LIMITED");
  ASSERT_EQ(e.headers().size(), 1u);
  EXPECT_EQ(e.headers()[0].name, "Retry-After");
  EXPECT_EQ(e.headers()[0].value, "30");
  // The same account typed otherwise is the same counter.
  EXPECT_EQ(error_of([&] { throttle_->begin("  T@Example.COM ", "10.0.0.2"); }).status(), 429);
  // Another address, or another account, is not affected.
  EXPECT_NO_THROW(throttle_->begin("t@example.com", "10.0.0.3"));
  EXPECT_NO_THROW(throttle_->begin("u@example.com", "10.0.0.2"));
  clock_.advance_ms(30'001);
  EXPECT_NO_THROW(throttle_->begin("t@example.com", "10.0.0.2"));
}

TEST_F(LoginThrottleTest, ThrottlesAnAddressAcrossAccounts) {
  for (const char* email :
       {"p0@example.com", "p1@example.com", "p2@example.com", "p3@example.com", "p4@example.com"}) {
    throttle_->begin(email, "10.9.9.9");
  }
  EXPECT_EQ(error_of([&] { throttle_->begin("fresh@example.com", "10.9.9.9"); }).status(), 429);
  EXPECT_NO_THROW(throttle_->begin("fresh@example.com", "10.9.9.8"));
}

TEST_F(LoginThrottleTest, SuccessForgetsTheAccountsFailures) {
  for (int i = 0; i < 3; ++i) throttle_->begin("s@example.com", "10.0.0.4");
  throttle_->succeeded("S@example.com", "10.0.0.4");
  EXPECT_NO_THROW(throttle_->begin("s@example.com", "10.0.0.4"));
}

TEST_F(LoginThrottleTest, CheckCountsWrongPasswordsAndForgetsThemOnARightOne) {
  const std::string hash = o4o::core::hash_password("Corr3ct-Horse-Battery");
  EXPECT_FALSE(throttle_->check("c@example.com", "10.0.0.5", "Wrong-1", hash));
  EXPECT_FALSE(throttle_->check("c@example.com", "10.0.0.5", "Wrong-2", hash));
  EXPECT_TRUE(throttle_->check("c@example.com", "10.0.0.5", "Corr3ct-Horse-Battery", hash));
  // The right password forgot both failures: three more wrong ones fit before the limit.
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(throttle_->check("c@example.com", "10.0.0.5", "Wrong", hash));
  }
  auto e = error_of([&] {
    throttle_->check("c@example.com", "10.0.0.5", "Corr3ct-Horse-Battery", hash);
  });
  EXPECT_EQ(e.status(), 429) << "the right password is refused while throttled";
}

}  // namespace
