// JWT verification by core::Authenticator with a ManualClock: expiry, alg none, tampering,
// algorithm confusion, deleted users, roles read from the database, and RS256 keys.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/access_token.hpp"
#include "core/auth.hpp"
#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"
#include "support/api_error.hpp"
#include "support/temp_database.hpp"

namespace {

namespace fs = std::filesystem;
using o4o::core::ApiError;
using o4o::core::Authenticator;
using o4o::core::AuthUser;

std::string b64url(std::string_view bytes) {
  return o4o::core::base64_encode(bytes, o4o::core::Base64::url_unpadded);
}

std::string hs_sign(const EVP_MD* md, const std::string& input, const std::string& key) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return b64url(std::string_view(reinterpret_cast<const char*>(mac), len));
}

// header.payload.signature with the given header JSON, payload JSON and HMAC.
std::string craft(const std::string& header, const std::string& payload, const std::string& key,
                  const EVP_MD* md = EVP_sha256()) {
  const std::string input = b64url(header) + "." + b64url(payload);
  return input + "." + (md ? hs_sign(md, input, key) : std::string());
}

using o4o::unit_test::status_of;

class AuthJwt : public o4o::unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->migrate();
    config_.jwt_secret = "unit-test-secret-" + std::string(40, 'z');
    user_ = add_user("user", "Jwt");
  }

  std::string payload(int64_t iat, int64_t exp) const {
    return R"({"userId":")" + user_.id + R"(","email":")" + user_.email +
           R"(","role":"admin","iat":)" + std::to_string(iat) + R"(,"exp":)" + std::to_string(exp) +
           "}";
  }

  o4o::core::Config config_;
  o4o::core::ManualClock clock_;
  AuthUser user_;
};

TEST_F(AuthJwt, IssuesAndVerifiesUntilExpiry) {
  Authenticator auth(config_, *db_, clock_);
  const std::string token = auth.issue_access_token(user_);
  EXPECT_EQ(auth.access_token_ttl_seconds(), 900);
  AuthUser got = auth.verify_token(token);
  EXPECT_EQ(got.id, user_.id);
  EXPECT_EQ(got.email, user_.email);
  EXPECT_EQ(got.role, "user");

  clock_.advance_ms(899'000);
  EXPECT_EQ(auth.verify_token(token).id, user_.id);
  clock_.advance_ms(1'000);
  EXPECT_EQ(status_of([&] { auth.verify_token(token); }), 401);
}

TEST_F(AuthJwt, ReadsTheRoleFromTheDatabaseAndRefusesDeletedUsers) {
  Authenticator auth(config_, *db_, clock_);
  const std::string token = auth.issue_access_token(user_);
  db_->write([&](o4o::db::Connection& c) {
    c.exec("UPDATE users SET role = 'creator' WHERE id = $1", {user_.id});
  });
  EXPECT_EQ(auth.verify_token(token).role, "creator");
  db_->write([&](o4o::db::Connection& c) {
    c.exec("UPDATE users SET deleted_at = 1, email = NULL WHERE id = $1", {user_.id});
  });
  EXPECT_EQ(status_of([&] { auth.verify_token(token); }), 401);
}

TEST_F(AuthJwt, RefusesNoneTamperedAndOtherAlgorithms) {
  Authenticator auth(config_, *db_, clock_);
  const int64_t now = clock_.now_seconds();
  const std::string good =
      craft(R"({"alg":"HS256","typ":"JWT"})", payload(now, now + 60), config_.jwt_secret);
  EXPECT_EQ(auth.verify_token(good).id, user_.id) << "the crafting itself is right";

  EXPECT_EQ(status_of([&] {
              auth.verify_token(
                  craft(R"({"alg":"none","typ":"JWT"})", payload(now, now + 60), "", nullptr));
            }),
            401);
  EXPECT_EQ(
      status_of([&] {
        auth.verify_token(craft(R"({"alg":"none"})", payload(now, now + 60), "", nullptr) + "x");
      }),
      401);
  EXPECT_EQ(status_of([&] {
              auth.verify_token(craft(R"({"alg":"HS512","typ":"JWT"})", payload(now, now + 60),
                                      config_.jwt_secret, EVP_sha512()));
            }),
            401);
  EXPECT_EQ(status_of([&] {
              auth.verify_token(craft(R"({"alg":"HS256","typ":"JWT"})", payload(now, now + 60),
                                      "some-other-secret"));
            }),
            401);
  // A payload swapped under a valid signature.
  const auto first_dot = good.find('.');
  const auto second_dot = good.find('.', first_dot + 1);
  const std::string swapped =
      good.substr(0, first_dot) + "." + b64url(payload(now, now + 6000)) + good.substr(second_dot);
  EXPECT_EQ(status_of([&] { auth.verify_token(swapped); }), 401);
  // Expired by the injected clock, however well signed.
  EXPECT_EQ(status_of([&] {
              auth.verify_token(craft(R"({"alg":"HS256","typ":"JWT"})", payload(now - 120, now),
                                      config_.jwt_secret));
            }),
            401);
  for (const char* junk : {"", "abc", "a.b", "a.b.c", "..", "a.b.c.d"}) {
    EXPECT_EQ(status_of([&] { auth.verify_token(junk); }), 401) << junk;
  }
}

// Each segment is base64url without padding (RFC 7515 section 2) and nothing else, even under a
// valid signature: no '=' and no "+/" spelling of the same bytes.
TEST_F(AuthJwt, SegmentsAreBase64urlWithoutPadding) {
  using o4o::core::Base64;
  using o4o::core::base64_encode;
  Authenticator auth(config_, *db_, clock_);
  const int64_t now = clock_.now_seconds();
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  auto sign = [&](const std::string& input) {
    return input + "." + hs_sign(EVP_sha256(), input, config_.jwt_secret);
  };
  // A payload whose encoding needs padding, and one whose signature has a '-' or '_'.
  std::string body = payload(now, now + 60);
  if (body.size() % 3 == 0) body.insert(1, " ");
  ASSERT_NE(body.size() % 3, 0u);
  EXPECT_EQ(auth.verify_token(sign(b64url(header) + "." + b64url(body))).id, user_.id);

  EXPECT_EQ(status_of([&] {
              auth.verify_token(sign(b64url(header) + "." + base64_encode(body, Base64::url)));
            }),
            401);
  const std::string good = sign(b64url(header) + "." + b64url(body));
  EXPECT_EQ(status_of([&] { auth.verify_token(good + "="); }), 401);

  std::string token;
  for (int64_t exp = now + 60; token.find_first_of("-_", token.rfind('.')) == std::string::npos;
       ++exp) {
    token = sign(b64url(header) + "." + b64url(payload(now, exp)));
  }
  EXPECT_EQ(auth.verify_token(token).id, user_.id);
  std::string standard = token;
  for (auto i = standard.rfind('.'); i < standard.size(); ++i) {
    if (standard[i] == '-') standard[i] = '+';
    if (standard[i] == '_') standard[i] = '/';
  }
  EXPECT_EQ(status_of([&] { auth.verify_token(standard); }), 401);
}

TEST_F(AuthJwt, ReadsTheBearerHeader) {
  Authenticator auth(config_, *db_, clock_);
  o4o::core::Request req;
  EXPECT_FALSE(auth.optional_user(req));
  EXPECT_EQ(status_of([&] {
              o4o::core::authorize(auth, o4o::core::Access::user, o4o::core::Credentials::of(req))
                  .user.value();
            }),
            401);
  req.headers.push_back({"Authorization", "Bearer " + auth.issue_access_token(user_)});
  EXPECT_EQ(o4o::core::authorize(auth, o4o::core::Access::user, o4o::core::Credentials::of(req))
                .user.value()
                .id,
            user_.id);
  req.headers.front().value = "Basic abc";
  EXPECT_EQ(status_of([&] { auth.optional_user(req); }), 401);
}

TEST_F(AuthJwt, Rs256SignsWithThePrivateKeyAndRefusesHs256SignedWithThePublicKey) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  ASSERT_NE(key, nullptr);
  const fs::path priv = dir_ / "private.pem";
  const fs::path pub = dir_ / "public.pem";
  FILE* f = std::fopen(priv.c_str(), "w");
  ASSERT_TRUE(f && PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr));
  std::fclose(f);
  f = std::fopen(pub.c_str(), "w");
  ASSERT_TRUE(f && PEM_write_PUBKEY(f, key));
  std::fclose(f);
  EVP_PKEY_free(key);

  config_.jwt_algorithm = "RS256";
  config_.jwt_private_key_file = priv.string();
  config_.jwt_public_key_file = pub.string();
  Authenticator signer(config_, *db_, clock_);
  const std::string token = signer.issue_access_token(user_);
  EXPECT_EQ(signer.verify_token(token).id, user_.id);

  // A verifying-only process (public key alone) accepts it and cannot sign.
  config_.jwt_private_key_file.clear();
  Authenticator verifier(config_, *db_, clock_);
  EXPECT_EQ(verifier.verify_token(token).id, user_.id);
  EXPECT_THROW(verifier.issue_access_token(user_), std::logic_error);

  // Algorithm confusion: HS256 keyed with the (public) PEM text.
  std::ifstream in(pub);
  const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(pem.empty());
  const int64_t now = clock_.now_seconds();
  const std::string confused = craft(R"({"alg":"HS256","typ":"JWT"})", payload(now, now + 60), pem);
  EXPECT_EQ(status_of([&] { verifier.verify_token(confused); }), 401);
}

// exp, nbf and iat are whole seconds. libjwt reads a fractional or boolean claim as 0 without an
// error, so a fractional nbf in the future once passed as "valid since 1970" (found by fuzz_jwt).
TEST(AuthJwtClaims, NumericDatesMustBeWholeSeconds) {
  const std::string secret = "unit-test-secret-" + std::string(40, 'q');
  const o4o::core::AccessTokens tokens("HS256", secret, secret);
  const int64_t now = 1'780'000'000;
  const std::string user = "0b6f6f8e-5a4e-4c8b-9f47-3d1c2b7a9e10";
  auto token = [&](const std::string& claims) {
    return craft(R"({"alg":"HS256","typ":"JWT"})", R"({"userId":")" + user + "\"," + claims + "}",
                 secret);
  };
  const std::string exp = R"("exp":)" + std::to_string(now + 60);
  EXPECT_EQ(tokens.verify(token(exp), now).user_id, user);
  EXPECT_EQ(tokens.verify(token(exp + R"(,"iat":)" + std::to_string(now)), now).issued_at, now);
  EXPECT_EQ(tokens.verify(token(exp + R"(,"nbf":)" + std::to_string(now)), now).user_id, user);
  for (const std::string& bad : std::vector<std::string>{
           exp + R"(,"nbf":)" + std::to_string(now + 30) + ".5", exp + R"(,"nbf":true)",
           exp + R"(,"nbf":")" + std::to_string(now + 30) + "\"", exp + R"(,"nbf":null)",
           R"("exp":)" + std::to_string(now + 60) + ".5", R"("exp":true)",
           exp + R"(,"nbf":)" + std::to_string(now + 30)}) {
    EXPECT_EQ(status_of([&] { tokens.verify(token(bad), now); }), 401) << bad;
  }
}

// The claims are one JSON object, all of it: libjwt's JSON reader stops at a NUL byte, so a
// signed payload with bytes after a NUL passed (found by fuzz_jwt).
TEST(AuthJwtClaims, PayloadIsOneJsonObjectWithNothingAfterIt) {
  const std::string secret = "unit-test-secret-" + std::string(40, 'q');
  const o4o::core::AccessTokens tokens("HS256", secret, secret);
  const int64_t now = 1'780'000'000;
  const std::string claims =
      R"({"userId":"0b6f6f8e-5a4e-4c8b-9f47-3d1c2b7a9e10","exp":)" + std::to_string(now + 60) + "}";
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  EXPECT_NO_THROW(tokens.verify(craft(header, claims, secret), now));
  EXPECT_EQ(
      status_of([&] { tokens.verify(craft(header, claims + std::string(4, '\0'), secret), now); }),
      401);
  EXPECT_EQ(status_of([&] {
              tokens.verify(craft(header, claims + std::string("\0{}", 3), secret), now);
            }),
            401);
}

TEST(AuthRoles, RoleAndOwnershipChecks) {
  const AuthUser admin{"a", "a@x.io", "admin"};
  const AuthUser alice{"u1", "u1@x.io", "user"};
  EXPECT_NO_THROW(o4o::core::require_role(admin, {"admin"}));
  EXPECT_EQ(status_of([&] { o4o::core::require_role(alice, {"admin", "creator"}); }), 403);
  EXPECT_NO_THROW(o4o::core::require_owner_or_admin(alice, "u1"));
  EXPECT_NO_THROW(o4o::core::require_owner_or_admin(admin, "u1"));
  EXPECT_EQ(status_of([&] { o4o::core::require_owner_or_admin(alice, "u2"); }), 403);
  EXPECT_EQ(status_of([&] { o4o::core::require_owner_or_admin_hidden(alice, "u2"); }), 404);
  EXPECT_NO_THROW(o4o::core::require_owner_or_admin_hidden(admin, "u2"));
}

}  // namespace
