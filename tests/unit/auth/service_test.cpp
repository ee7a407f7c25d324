// The auth and users services against a real SQLite database with a ManualClock: refresh-token
// rotation and reuse detection, login and current-password checks sharing the login throttle,
// upsert_user, and the users rules.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "accounts/accounts.hpp"
#include "core/app_context.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/password.hpp"
#include "services/auth/auth_service.hpp"
#include "services/users/users_service.hpp"
#include "support/api_error.hpp"
#include "support/temp_database.hpp"

namespace {

namespace fs = std::filesystem;
using o4o::unit_test::error_of;
using namespace o4o::services;

constexpr const char* kPassword = "Corr3ct-Horse-Battery";

o4o::core::Config test_config() {
  o4o::core::Config c;
  c.jwt_secret = "unit-test-secret-" + std::string(40, 'q');
  c.login_max_failures = 3;
  c.login_ip_max_failures = 5;
  c.login_window_seconds = 60;
  return c;
}

class AuthServiceTest : public o4o::unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->migrate();
    config_ = test_config();
    authenticator_ = std::make_unique<o4o::core::Authenticator>(config_, *db_, clock_);
    pubsub_ = o4o::core::make_local_pubsub();
    idempotency_ = std::make_unique<o4o::core::Idempotency>(*db_, clock_);
    ctx_ = std::make_unique<o4o::core::AppContext>(config_, *db_, clock_, *authenticator_, *pubsub_,
                                                   *idempotency_, cache_);
    service_ = std::make_unique<auth::AuthService>(*ctx_);
  }
  void TearDown() override {
    service_.reset();
    ctx_.reset();
    idempotency_.reset();
    authenticator_.reset();
    TempSqliteTest::TearDown();
  }

  auth::Session register_user(const std::string& email, const std::string& role = "user") {
    return service_->register_user({email, kPassword, "Test " + role, role});
  }

  int64_t live_tokens(const std::string& user_id) {
    return db_->read([&](o4o::db::Connection& c) {
      return c
          .query_one(
              "SELECT COUNT(*) FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL "
              "AND used_at IS NULL",
              {user_id})
          ->i64(0);
    });
  }

  o4o::core::Config config_;
  o4o::core::ManualClock clock_;
  std::unique_ptr<o4o::core::Authenticator> authenticator_;
  std::unique_ptr<o4o::core::PubSub> pubsub_;
  std::unique_ptr<o4o::core::Idempotency> idempotency_;
  o4o::core::ReadCache cache_{0};
  std::unique_ptr<o4o::core::AppContext> ctx_;
  std::unique_ptr<auth::AuthService> service_;
};

TEST_F(AuthServiceTest, RefreshRotatesAndReuseRevokesTheFamily) {
  auto session = register_user("rot@example.com");
  const std::string r0 = session.tokens.refresh_token;
  EXPECT_EQ(r0.size(), 64u) << "256 bits as hex";
  auto p1 = service_->refresh(r0);
  EXPECT_NE(p1.refresh_token, r0);
  EXPECT_EQ(authenticator_->verify_token(p1.access_token).id, session.user.id);
  auto p2 = service_->refresh(p1.refresh_token);

  EXPECT_EQ(error_of([&] { service_->refresh(r0); }).status(), 401);
  EXPECT_EQ(error_of([&] { service_->refresh(p2.refresh_token); }).status(), 401)
      << "the newest token of the family is revoked too";
  EXPECT_EQ(live_tokens(session.user.id), 0);
  EXPECT_EQ(error_of([&] { service_->refresh("unknown"); }).status(), 401);
}

TEST_F(AuthServiceTest, RefreshTokensExpire) {
  auto session = register_user("exp@example.com");
  clock_.advance_ms(config_.refresh_token_ttl_seconds * 1000);
  EXPECT_EQ(error_of([&] { service_->refresh(session.tokens.refresh_token); }).status(), 401);
}

TEST_F(AuthServiceTest, LogoutEndsOnlyTheCallersSession) {
  auto a = register_user("a@example.com");
  auto b = register_user("b@example.com");
  service_->logout({b.user.id, b.user.email, "user"}, a.tokens.refresh_token);
  auto next = service_->refresh(a.tokens.refresh_token);
  service_->logout({a.user.id, a.user.email, "user"}, next.refresh_token);
  EXPECT_EQ(error_of([&] { service_->refresh(next.refresh_token); }).status(), 401);
}

TEST_F(AuthServiceTest, DuplicateEmailIsEmailTaken) {
  register_user("dup@example.com");
  auto e = error_of([&] { register_user("dup@example.com", "creator"); });
  EXPECT_EQ(e.status(), 409);
  EXPECT_EQ(e.code(), "EMAIL_TAKEN");
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownEmailLookTheSame) {
  register_user("known@example.com");
  auto wrong = error_of([&] {
    service_->login({"known@example.com", "Wrong-Pass-1"}, "10.0.0.1");
  });
  auto unknown = error_of([&] {
    service_->login({"nobody@example.com", "Wrong-Pass-1"}, "10.0.0.1");
  });
  EXPECT_EQ(wrong.status(), 401);
  EXPECT_EQ(wrong.code(), "INVALID_CREDENTIALS");
  EXPECT_EQ(wrong.status(), unknown.status());
  EXPECT_EQ(wrong.code(), unknown.code());
  EXPECT_EQ(wrong.message(), unknown.message());
  auto ok = service_->login({"  KNOWN@example.com ", kPassword}, "10.0.0.1");
  EXPECT_EQ(ok.user.email, "known@example.com");
}

TEST_F(AuthServiceTest, UpsertUserCreatesThenUpdatesAndEndsSessions) {
  const std::string id = o4o::accounts::upsert_user(ctx_->db, ctx_->clock, "Ops@Example.com",
                                                    kPassword, "Ops", "admin");
  auto session = service_->login({"ops@example.com", kPassword}, "10.0.0.5");
  EXPECT_EQ(session.user.role, "admin");
  const std::string id2 = o4o::accounts::upsert_user(ctx_->db, ctx_->clock, " ops@example.COM ",
                                                     "Another-Long-Pass-42", "Ops 2", "creator");
  EXPECT_EQ(id2, id);
  EXPECT_EQ(error_of([&] { service_->refresh(session.tokens.refresh_token); }).status(), 401);
  auto again = service_->login({"ops@example.com", "Another-Long-Pass-42"}, "10.0.0.5");
  EXPECT_EQ(again.user.role, "creator");
  EXPECT_EQ(again.user.name, "Ops 2");
  EXPECT_EQ(error_of([&] {
              o4o::accounts::upsert_user(ctx_->db, ctx_->clock, "bad", kPassword, "X", "user");
            }).status(),
            400);
  EXPECT_EQ(error_of([&] {
              o4o::accounts::upsert_user(ctx_->db, ctx_->clock, "x@example.com", "password123", "X",
                                         "user");
            }).status(),
            400);
  EXPECT_EQ(error_of([&] {
              o4o::accounts::upsert_user(ctx_->db, ctx_->clock, "x@example.com", kPassword, "X",
                                         "root");
            }).status(),
            400);
}

TEST_F(AuthServiceTest, UsersUpdateRules) {
  users::UsersService users(*ctx_);
  auto alice = register_user("alice@example.com");
  auto bob = register_user("bob@example.com");
  const o4o::core::AuthUser alice_actor{alice.user.id, alice.user.email, "user"};
  const o4o::core::AuthUser admin_actor{bob.user.id, bob.user.email, "admin"};

  users::UserUpdate make_admin;
  make_admin.role = "admin";
  EXPECT_EQ(error_of([&] { users.update(alice_actor, alice.user.id, make_admin); }).status(), 403);
  EXPECT_EQ(error_of([&] { users.update(alice_actor, bob.user.id, make_admin); }).status(), 404);

  users::UserUpdate change_password;
  change_password.password = "Another-Long-Pass-42";
  auto e = error_of([&] { users.update(alice_actor, alice.user.id, change_password); });
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.code(), "VALIDATION_ERROR");
  change_password.current_password = kPassword;
  users.update(alice_actor, alice.user.id, change_password);
  EXPECT_EQ(live_tokens(alice.user.id), 0);

  users::UserUpdate reset;
  reset.password = "Third-Long-Pass-77";
  EXPECT_NO_THROW(users.update(admin_actor, alice.user.id, reset));
  EXPECT_NO_THROW(service_->login({"alice@example.com", "Third-Long-Pass-77"}, "10.0.0.6"));
}

// A wrong currentPassword is a failed login: guesses made with a stolen access token use up the
// same attempts, and once they are gone neither login nor a change checks a password.
TEST_F(AuthServiceTest, CurrentPasswordChecksShareTheLoginThrottle) {
  users::UsersService users(*ctx_);
  auto carol = register_user("carol@example.com");
  const o4o::core::AuthUser carol_actor{carol.user.id, carol.user.email, "user"};
  users::UserUpdate guess;
  guess.password = "Another-Long-Pass-42";
  guess.client_ip = "10.0.0.7";
  for (int i = 0; i < config_.login_max_failures; ++i) {
    guess.current_password = "Wrong-Guess-" + std::to_string(i);
    EXPECT_EQ(error_of([&] { users.update(carol_actor, carol.user.id, guess); }).status(), 400);
  }
  auto login = error_of([&] { service_->login({"Carol@Example.com", kPassword}, "10.0.0.7"); });
  EXPECT_EQ(login.status(), 429);
  EXPECT_EQ(login.code(), "RATE_LIMITED");
  guess.current_password = kPassword;
  EXPECT_EQ(error_of([&] { users.update(carol_actor, carol.user.id, guess); }).status(), 429)
      << "the right current password is refused too while throttled";
  users::UserUpdate new_email;
  new_email.email = "carol2@example.com";
  new_email.current_password = kPassword;
  new_email.client_ip = "10.0.0.7";
  EXPECT_EQ(error_of([&] { users.update(carol_actor, carol.user.id, new_email); }).status(), 429);
  // Another address is another counter, as for login; a right password there forgets its
  // attempts like a successful login does.
  new_email.client_ip = "10.0.0.8";
  EXPECT_EQ(users.update(carol_actor, carol.user.id, new_email).email, "carol2@example.com");

  clock_.advance_ms(config_.login_window_seconds * 1000 + 1);
  auto dave = register_user("dave@example.com");
  for (int i = 0; i < config_.login_max_failures; ++i) {
    EXPECT_EQ(error_of([&] {
                service_->login({"dave@example.com", "Wrong-" + std::to_string(i)}, "10.0.0.9");
              }).status(),
              401);
  }
  users::UserUpdate change;
  change.password = "Another-Long-Pass-42";
  change.current_password = kPassword;
  change.client_ip = "10.0.0.9";
  EXPECT_EQ(error_of([&] {
              users.update({dave.user.id, dave.user.email, "user"}, dave.user.id, change);
            }).status(),
            429);
}

TEST_F(AuthServiceTest, UsersRemoveAnonymises) {
  users::UsersService users(*ctx_);
  auto gone = register_user("gone@example.com");
  const o4o::core::AuthUser actor{gone.user.id, gone.user.email, "user"};
  const std::string access = gone.tokens.access_token;
  users.remove(actor, gone.user.id);
  auto row = db_->read([&](o4o::db::Connection& c) {
    return c.query_one("SELECT email, name, password_hash, deleted_at FROM users WHERE id = $1",
                       {gone.user.id});
  });
  ASSERT_TRUE(row);
  EXPECT_TRUE(row->is_null(0));
  EXPECT_EQ(row->str(1), "Deleted user");
  EXPECT_TRUE(row->is_null(2));
  EXPECT_EQ(row->i64(3), clock_.now_ms());
  EXPECT_EQ(live_tokens(gone.user.id), 0);
  EXPECT_EQ(error_of([&] { authenticator_->verify_token(access); }).status(), 401);
  EXPECT_EQ(error_of([&] { users.remove(actor, gone.user.id); }).status(), 404);
  EXPECT_NO_THROW(register_user("gone@example.com"));
}

}  // namespace
