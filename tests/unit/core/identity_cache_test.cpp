// The identities core::Authenticator keeps in memory (a ReadCache on the same CacheChannel as the
// hot reads): a token's user is read once, and every write that changes what it holds (role,
// email and its proof, sessions ended, deletion) counts from the next verification on.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "accounts/assistant_token_repository.hpp"
#include "accounts/user_repository.hpp"
#include "core/auth.hpp"
#include "core/cache_channel.hpp"
#include "core/ids.hpp"
#include "core/pubsub.hpp"
#include "core/read_cache.hpp"
#include "db/database.hpp"
#include "support/api_error.hpp"
#include "support/temp_database.hpp"

namespace {

using o4o::core::Authenticator;
using o4o::core::AuthUser;
using o4o::core::ReadCache;
using o4o::unit_test::status_of;
namespace user_repo = o4o::accounts::user_repo;

class IdentityCache : public o4o::unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->migrate();
    config_.jwt_secret = "unit-test-secret-" + std::string(40, 'z');
    clock_.set_ms(1'800'000'000'000);
    pubsub_ = o4o::core::make_local_pubsub();
    channel_ = std::make_unique<o4o::core::CacheChannel>(
        std::vector<ReadCache*>{&hot_, &identities_}, *pubsub_, *db_);
    auth_ = std::make_unique<Authenticator>(config_, *db_, clock_, &identities_);
    user_ = add_user("user", "Cached");
    token_ = auth_->issue_access_token(user_);
  }
  void TearDown() override {
    auth_.reset();
    channel_.reset();
    TempSqliteTest::TearDown();
  }

  // Changes the user's row as a service would: in a write transaction, with its change notes.
  template <class F>
  void write(F&& f) {
    db_->write([&](o4o::db::Connection& c) { f(c); });
  }
  // Changes the row behind the cache's back: no note, as no code in the process may do.
  void write_unnoted(const std::string& sql) {
    db_->write([&](o4o::db::Connection& c) { c.exec(sql, {user_.id}); });
  }

  o4o::core::Config config_;
  o4o::core::ManualClock clock_;
  ReadCache hot_{1 << 20};
  ReadCache identities_{1 << 20, "identity_cache"};
  std::unique_ptr<o4o::core::PubSub> pubsub_;
  std::unique_ptr<o4o::core::CacheChannel> channel_;
  std::unique_ptr<Authenticator> auth_;
  AuthUser user_;
  std::string token_;
};

TEST_F(IdentityCache, ATokensUserIsReadOnceThenFromMemory) {
  EXPECT_EQ(auth_->verify_token(token_).role, "user");
  const auto s = identities_.stats();
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.hits, 0u);
  const AuthUser again = auth_->verify_token(token_);
  EXPECT_EQ(again.id, user_.id);
  EXPECT_EQ(again.email, user_.email);
  EXPECT_EQ(again.role, "user");
  EXPECT_EQ(identities_.stats().hits, 1u);
  EXPECT_EQ(identities_.stats().misses, 1u);
  // The hot reads' numbers are not the identities'.
  EXPECT_EQ(hot_.stats().hits + hot_.stats().misses, 0u);
  EXPECT_NE(identities_.render_metrics().find("o4o_identity_cache_hits_total 1\n"),
            std::string::npos);
  // Memory answers: a change no write noted is not seen (what the notes below are for).
  write_unnoted("UPDATE users SET role = 'admin' WHERE id = $1");
  EXPECT_EQ(auth_->verify_token(token_).role, "user");
}

TEST_F(IdentityCache, ARoleChangeCountsFromTheNextRequest) {
  auth_->verify_token(token_);
  write([&](auto& c) { user_repo::update(c, user_.id, {.role = "admin"}, 1); });
  EXPECT_EQ(auth_->verify_token(token_).role, "admin");
  auth_->verify_token(token_);
  write([&](auto& c) { user_repo::update(c, user_.id, {.role = "user"}, 2); });
  EXPECT_EQ(auth_->verify_token(token_).role, "user");
  // `o4o users create` on an existing email.
  write([&](auto& c) { user_repo::overwrite(c, user_.id, "h", "N", "creator", 3); });
  const AuthUser after = auth_->verify_token(token_);
  EXPECT_EQ(after.role, "creator");
  EXPECT_TRUE(after.email_verified);
}

TEST_F(IdentityCache, EndedSessionsAndDeletionRefuseTheTokenAtOnce) {
  auth_->verify_token(token_);
  clock_.advance_ms(5'000);
  write([&](auto& c) { user_repo::end_access_tokens(c, user_.id, clock_.now_ms()); });
  EXPECT_EQ(status_of([&] { auth_->verify_token(token_); }), 401);
  // A token issued since counts, and is kept in memory in turn.
  clock_.advance_ms(1'000);
  const std::string fresh = auth_->issue_access_token(user_);
  auth_->verify_token(fresh);
  auth_->verify_token(fresh);
  EXPECT_GE(identities_.stats().hits, 1u);
  write([&](auto& c) { user_repo::anonymise(c, user_.id, clock_.now_ms()); });
  EXPECT_EQ(status_of([&] { auth_->verify_token(fresh); }), 401);
  // Nothing is kept for a deleted user: each try reads the database again.
  const auto misses = identities_.stats().misses;
  EXPECT_EQ(status_of([&] { auth_->verify_token(fresh); }), 401);
  EXPECT_EQ(identities_.stats().misses, misses + 1);
  EXPECT_EQ(identities_.stats().entries, 0u);
}

TEST_F(IdentityCache, AnEmailChangeAndItsProofCountFromTheNextRequest) {
  write([&](auto& c) { user_repo::set_email_verified(c, user_.id, user_.email, true, 1); });
  EXPECT_TRUE(auth_->verify_token(token_).email_verified);
  write([&](auto& c) { user_repo::update(c, user_.id, {.email = "new@example.com"}, 2); });
  AuthUser u = auth_->verify_token(token_);
  EXPECT_EQ(u.email, "new@example.com");
  EXPECT_FALSE(u.email_verified);
  write([&](auto& c) { user_repo::set_email_verified(c, user_.id, "new@example.com", true, 3); });
  EXPECT_TRUE(auth_->verify_token(token_).email_verified);
}

// A change of what the identity does not hold (the name, the locale) leaves it in memory.
TEST_F(IdentityCache, OtherChangesKeepTheIdentity) {
  auth_->verify_token(token_);
  write([&](auto& c) { user_repo::update(c, user_.id, {.name = "Renamed", .locale = "en"}, 1); });
  auth_->verify_token(token_);
  EXPECT_EQ(identities_.stats().hits, 1u);
}

// Lost channel: emptied and off (every token's user read from the database) until it is back.
TEST_F(IdentityCache, OffWhileTheChannelIsOff) {
  auth_->verify_token(token_);
  identities_.set_enabled(false);
  write_unnoted("UPDATE users SET role = 'creator' WHERE id = $1");
  EXPECT_EQ(auth_->verify_token(token_).role, "creator");
  EXPECT_EQ(identities_.stats().entries, 0u);
}

// Assistant tokens: kept in memory too, until any token is removed (a revocation, an account's
// deletion) or this one expires; a password reset ends those made before it.
class AssistantTokenCache : public IdentityCache {
 protected:
  // A token of the user's, expiring at expires_at (ms) or never; returns its text.
  std::string make_token(const std::string& id, std::optional<int64_t> expires_at) {
    const std::string text = std::string(o4o::core::kAssistantTokenPrefix) + id;
    write([&](auto& c) {
      o4o::accounts::assistant_token_repo::insert_below(
          c, {id, user_.id, "t", "write", clock_.now_ms(), expires_at},
          o4o::core::sha256_hex(text), 10);
    });
    return text;
  }
};

TEST_F(AssistantTokenCache, KeptUntilRemovedOrExpired) {
  const auto token = make_token(o4o::core::new_uuid(), clock_.now_ms() + 60'000);
  const auto other = make_token(o4o::core::new_uuid(), std::nullopt);
  EXPECT_EQ(auth_->verify_token(token).token_scope, "write");
  EXPECT_EQ(auth_->verify_token(other).id, user_.id);
  const auto hits = identities_.stats().hits;
  auth_->verify_token(token);
  // The token and its user, both from memory.
  EXPECT_EQ(identities_.stats().hits, hits + 2);
  // Past its expiry: refused, though nothing was written.
  clock_.advance_ms(60'000);
  EXPECT_EQ(status_of([&] { auth_->verify_token(token); }), 401);
  EXPECT_EQ(auth_->verify_token(other).id, user_.id);
}

TEST_F(AssistantTokenCache, ARevocationCountsFromTheNextRequest) {
  const auto id = o4o::core::new_uuid();
  const auto token = make_token(id, std::nullopt);
  auth_->verify_token(token);
  auth_->verify_token(token);
  write([&](auto& c) { o4o::accounts::assistant_token_repo::remove(c, id, user_.id); });
  EXPECT_EQ(status_of([&] { auth_->verify_token(token); }), 401);
  const auto again = make_token(o4o::core::new_uuid(), std::nullopt);
  auth_->verify_token(again);
  write([&](auto& c) { o4o::accounts::assistant_token_repo::remove_all_of_user(c, user_.id); });
  EXPECT_EQ(status_of([&] { auth_->verify_token(again); }), 401);
}

TEST_F(AssistantTokenCache, APasswordResetEndsTokensMadeBeforeIt) {
  const auto token = make_token(o4o::core::new_uuid(), std::nullopt);
  auth_->verify_token(token);
  clock_.advance_ms(1'000);
  write([&](auto& c) { user_repo::end_access_tokens(c, user_.id, clock_.now_ms()); });
  EXPECT_EQ(status_of([&] { auth_->verify_token(token); }), 401);
}

}  // namespace
