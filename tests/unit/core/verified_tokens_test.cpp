// Access tokens verified before (core::VerifiedTokens): found by their exact text only, valid
// only within exp/nbf at each use, bounded; and through core::Authenticator, a token verified
// once still counts exactly as long as it would have without the memo.
#include <gtest/gtest.h>

#include <string>

#include "core/auth.hpp"
#include "core/verified_tokens.hpp"
#include "support/api_error.hpp"
#include "support/temp_database.hpp"

namespace {

using o4o::core::AccessTokens;
using o4o::core::VerifiedTokens;
using o4o::unit_test::status_of;

std::string name(int i) {
  std::string out = "t";  // (GCC 12 warns of "t" + std::to_string(i): a false -Wrestrict)
  out += std::to_string(i);
  return out;
}

AccessTokens::Claims claims(int64_t exp, int64_t nbf = 0) {
  return {"8a1f0c52-3a4e-4f7e-9a61-0d4c1c2b9e11", 100, exp, nbf};
}

TEST(VerifiedTokens, FoundByTheExactTextWithinItsTimeOnly) {
  VerifiedTokens memo(100);
  const std::string token = "aaa.bbb.ccc";
  EXPECT_FALSE(memo.find(token, 1000));
  memo.keep(token, claims(2000, 500));
  auto got = memo.find(token, 1000);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->user_id, "8a1f0c52-3a4e-4f7e-9a61-0d4c1c2b9e11");
  EXPECT_EQ(got->issued_at, 100);
  // Another text, however close: not found.
  EXPECT_FALSE(memo.find("aaa.bbb.ccd", 1000));
  EXPECT_FALSE(memo.find("aaa.bbb.cc", 1000));
  EXPECT_FALSE(memo.find("aaa.bbb.ccc ", 1000));
  // Before its nbf, and from its exp on: not found (the caller's full check says why).
  EXPECT_FALSE(memo.find(token, 499));
  memo.keep(token, claims(2000, 500));
  EXPECT_TRUE(memo.find(token, 1999));
  EXPECT_FALSE(memo.find(token, 2000));
  EXPECT_FALSE(memo.find(token, 1000)) << "dropped once expired";
  const auto s = memo.stats();
  EXPECT_EQ(s.hits, 2u);
  EXPECT_EQ(s.misses, 7u);
}

TEST(VerifiedTokens, BoundedTheLeastRecentlyUsedGoingFirst) {
  VerifiedTokens memo(10);
  memo.keep("t0", claims(5000));
  for (int i = 1; i < 100; ++i) {
    memo.keep(name(i), claims(5000));
    EXPECT_TRUE(memo.find("t0", 1)) << "used with every request, it stays: " << i;
    EXPECT_LE(memo.stats().entries, 12u);
  }
  EXPECT_TRUE(memo.find("t99", 1));
  EXPECT_FALSE(memo.find("t1", 1)) << "unused since, it went";
}

class VerifiedTokensAuth : public o4o::unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->migrate();
    config_.jwt_secret = "unit-test-secret-" + std::string(40, 'z');
    user_ = add_user("user", "Memo");
  }
  o4o::core::Config config_;
  o4o::core::ManualClock clock_;
  o4o::core::AuthUser user_;
};

TEST_F(VerifiedTokensAuth, AVerifiedTokenCountsExactlyAsLongAsBefore) {
  o4o::core::Authenticator auth(config_, *db_, clock_);
  const std::string token = auth.issue_access_token(user_);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(auth.verify_token(token).id, user_.id);
  EXPECT_NE(auth.render_metrics().find("o4o_access_token_memo_hits_total 2\n"), std::string::npos)
      << auth.render_metrics();
  // A tampered copy of a kept token is checked in full, and refused.
  std::string tampered = token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(status_of([&] { auth.verify_token(tampered); }), 401);
  std::string other_payload = token;
  other_payload[token.find('.') + 3] ^= 1;
  EXPECT_EQ(status_of([&] { auth.verify_token(other_payload); }), 401);
  // Past exp: refused, with the same message as without the memo.
  clock_.advance_ms(900'000);
  const auto e = o4o::unit_test::error_of([&] { auth.verify_token(token); });
  EXPECT_EQ(e.status(), 401);
  EXPECT_EQ(e.message(), "Access token has expired");
}

}  // namespace
