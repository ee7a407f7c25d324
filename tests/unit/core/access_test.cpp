// core::authorize: what each access rule asks of the credentials a caller presents.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "accounts/user_repository.hpp"
#include "core/access.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "support/api_error.hpp"
#include "support/temp_database.hpp"

namespace {

using o4o::core::Access;
using o4o::core::ApiError;
using o4o::core::authorize;
using o4o::core::Caller;
using o4o::core::Credentials;

using o4o::unit_test::status_of;

class CoreAccess : public o4o::unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->migrate();
    config_.jwt_secret = "unit-test-secret-" + std::string(40, 'a');
    auth_ = std::make_unique<o4o::core::Authenticator>(config_, *db_, clock_);
    for (const char* role : {"user", "creator", "admin"}) tokens_[role] = token_for(role);
  }

  std::string token_for(const std::string& role) {
    const o4o::accounts::UserRecord user{
        o4o::core::new_uuid(), role + "@example.com", role, role, 0, 0};
    db_->write([&](o4o::db::Connection& c) { o4o::accounts::user_repo::insert(c, user, "x"); });
    return auth_->issue_access_token({user.id, user.email, user.role});
  }

  Caller with_bearer(Access rule, const std::string& token) {
    return authorize(*auth_, rule, Credentials{std::string_view(token), std::nullopt});
  }
  int status_with_bearer(Access rule, const std::string& token) {
    return status_of([&] { with_bearer(rule, token); });
  }

  o4o::core::Config config_;
  o4o::core::SystemClock clock_;
  std::unique_ptr<o4o::core::Authenticator> auth_;
  std::map<std::string, std::string> tokens_;
};

TEST_F(CoreAccess, PublicLooksAtNothing) {
  EXPECT_FALSE(authorize(*auth_, Access::anyone, Credentials{"not a token", std::nullopt}).user);
}

TEST_F(CoreAccess, RolesAreCheckedInOrder) {
  EXPECT_EQ(status_of([&] { authorize(*auth_, Access::user, Credentials{}); }), 401);
  EXPECT_EQ(status_with_bearer(Access::user, ""), 401);
  EXPECT_EQ(status_with_bearer(Access::user, "garbage"), 401);
  EXPECT_EQ(with_bearer(Access::user, tokens_["user"]).user->role, "user");

  EXPECT_EQ(status_with_bearer(Access::creator, tokens_["user"]), 403);
  EXPECT_EQ(status_with_bearer(Access::creator, tokens_["creator"]), 0);
  EXPECT_EQ(status_with_bearer(Access::creator, tokens_["admin"]), 0);

  EXPECT_EQ(status_with_bearer(Access::admin, tokens_["creator"]), 403);
  EXPECT_EQ(with_bearer(Access::admin, tokens_["admin"]).user->role, "admin");
}

TEST_F(CoreAccess, DevicesPresentATokenTheServiceMatches) {
  EXPECT_EQ(status_of([&] { authorize(*auth_, Access::device, Credentials{}); }), 401);
  EXPECT_EQ(status_with_bearer(Access::device, ""), 401);  // another scheme
  EXPECT_EQ(with_bearer(Access::device, "abc").device_token, "abc");
  EXPECT_EQ(authorize(*auth_, Access::device, Credentials{std::nullopt, "q"}).device_token, "q");

  // admin_or_device: an access token must be an admin's; anything else is a device's to match.
  EXPECT_EQ(status_with_bearer(Access::admin_or_device, tokens_["user"]), 403);
  EXPECT_TRUE(with_bearer(Access::admin_or_device, tokens_["admin"]).user);
  EXPECT_EQ(with_bearer(Access::admin_or_device, "abc").device_token, "abc");
  EXPECT_EQ(status_of([&] {
              authorize(*auth_, Access::admin_or_device, Credentials{std::nullopt, "q"});
            }),
            401);  // ?token= is for event streams only
}

}  // namespace
