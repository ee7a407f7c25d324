// Access tokens (JWT through libjwt) and the role and ownership checks every service makes.
//
// A token is accepted only when its header names exactly the configured algorithm (no "none", no
// HS256 signed with an RS256 public key), its signature verifies, it has not expired by the
// injected clock, and its user still exists (not deleted). The role is read from the database,
// so a demotion or deletion takes effect at once.
#include "core/auth.hpp"

#include <jwt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <boost/json/parse.hpp>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>
#include <stdexcept>
#include <vector>

#include "accounts/assistant_token_repository.hpp"
#include "accounts/user_repository.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "db/database.hpp"

namespace o4o::core {
namespace {

constexpr std::size_t kMaxTokenLength = 8192;

struct JwtDeleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

ApiError invalid_token() {
  return err::unauthorized("Invalid access token");
}

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(std::string("cannot read the JWT ") + what + " " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::vector<unsigned char> out(text.size() + 1);
  std::size_t len = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

// The "alg" named in the token's header, or nullopt when the header is not a JSON object with one.
std::optional<std::string> header_alg(std::string_view encoded_header) {
  auto text = base64url_decode(encoded_header);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  auto value = boost::json::parse(*text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto* alg = value.as_object().if_contains("alg");
  if (alg == nullptr || !alg->is_string()) return std::nullopt;
  return std::string(alg->as_string());
}

// Constant-time HS256 signature check (libjwt compares signatures with strcmp).
bool hs256_signature_ok(std::string_view signing_input, std::string_view signature,
                        const std::string& key) {
  auto sig = base64url_decode(signature);
  if (!sig || sig->size() != 32) return false;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
           &mac_len) == nullptr ||
      mac_len != 32) {
    return false;
  }
  return CRYPTO_memcmp(mac, sig->data(), 32) == 0;
}

}  // namespace

struct Authenticator::Impl {
  const Config& config;
  db::Database& db;
  const Clock& clock;
  jwt_alg_t alg = JWT_ALG_HS256;
  std::string alg_name;
  std::string sign_key;    // HS256 secret, or RS256 private key PEM (may be empty: verify only)
  std::string verify_key;  // HS256 secret, or RS256 public key PEM

  Impl(const Config& c, db::Database& d, const Clock& k) : config(c), db(d), clock(k) {
    if (config.jwt_algorithm == "HS256") {
      alg = JWT_ALG_HS256;
      if (config.jwt_secret.empty()) throw std::invalid_argument("the JWT secret is empty");
      sign_key = verify_key = config.jwt_secret;
    } else if (config.jwt_algorithm == "RS256") {
      alg = JWT_ALG_RS256;
      if (config.jwt_public_key_file.empty()) {
        throw std::invalid_argument("RS256 needs a public key file to verify tokens");
      }
      verify_key = read_file(config.jwt_public_key_file, "public key");
      if (!config.jwt_private_key_file.empty()) {
        sign_key = read_file(config.jwt_private_key_file, "private key");
      }
    } else {
      throw std::invalid_argument("unsupported JWT algorithm " + config.jwt_algorithm);
    }
    alg_name = jwt_alg_str(alg);
  }

  // The token's user id after every cryptographic and time check; throws 401.
  // The token's user id and its iat (seconds).
  std::pair<std::string, int64_t> verified_user_id(std::string_view token) const {
    if (token.empty() || token.size() > kMaxTokenLength) throw invalid_token();
    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos ||
        dot2 + 1 == token.size()) {
      throw invalid_token();  // not three parts, or no signature (alg "none")
    }
    auto alg_in_header = header_alg(token.substr(0, dot1));
    if (!alg_in_header || *alg_in_header != alg_name) throw invalid_token();
    if (alg == JWT_ALG_HS256 &&
        !hs256_signature_ok(token.substr(0, dot2), token.substr(dot2 + 1), verify_key)) {
      throw invalid_token();
    }

    const std::string text(token);
    jwt_t* raw = nullptr;
    if (jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(verify_key.data()),
                   static_cast<int>(verify_key.size())) != 0 ||
        raw == nullptr) {
      throw invalid_token();
    }
    JwtPtr jwt(raw);
    if (jwt_get_alg(jwt.get()) != alg) throw invalid_token();

    errno = 0;
    const long exp = jwt_get_grant_int(jwt.get(), "exp");
    if (errno != 0) throw invalid_token();
    if (clock.now_seconds() >= exp) throw err::unauthorized("Access token has expired");
    // nbf is optional; when present the token is not valid before it.
    errno = 0;
    const long nbf = jwt_get_grant_int(jwt.get(), "nbf");
    if (errno == 0 && clock.now_seconds() < nbf) {
      throw err::unauthorized("Access token is not valid yet");
    }
    if (errno != 0 && errno != ENOENT) throw invalid_token();
    const char* user_id = jwt_get_grant(jwt.get(), "userId");
    if (user_id == nullptr || !is_uuid(user_id)) throw invalid_token();
    errno = 0;
    const long iat = jwt_get_grant_int(jwt.get(), "iat");
    return {std::string(user_id), errno == 0 ? static_cast<int64_t>(iat) : 0};
  }
};

Authenticator::Authenticator(const Config& config, db::Database& db, const Clock& clock)
    : impl_(std::make_unique<Impl>(config, db, clock)) {}

Authenticator::~Authenticator() = default;

int64_t Authenticator::access_token_ttl_seconds() const {
  return impl_->config.access_token_ttl_seconds;
}

std::string Authenticator::issue_access_token(const AuthUser& user) const {
  if (impl_->sign_key.empty()) throw std::logic_error("this process has no JWT signing key");
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0 || raw == nullptr) throw std::runtime_error("jwt_new failed");
  JwtPtr jwt(raw);
  const long now = static_cast<long>(impl_->clock.now_seconds());
  const long exp = now + static_cast<long>(impl_->config.access_token_ttl_seconds);
  if (jwt_add_grant(jwt.get(), "userId", user.id.c_str()) != 0 ||
      jwt_add_grant(jwt.get(), "email", user.email.c_str()) != 0 ||
      jwt_add_grant(jwt.get(), "role", user.role.c_str()) != 0 ||
      jwt_add_grant_int(jwt.get(), "iat", now) != 0 ||
      jwt_add_grant_int(jwt.get(), "exp", exp) != 0 ||
      jwt_set_alg(jwt.get(), impl_->alg,
                  reinterpret_cast<const unsigned char*>(impl_->sign_key.data()),
                  static_cast<int>(impl_->sign_key.size())) != 0) {
    throw std::runtime_error("could not build the access token");
  }
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) throw std::runtime_error("could not sign the access token");
  std::string out(encoded);
  std::free(encoded);
  return out;
}

AuthUser Authenticator::verify_token(std::string_view token) const {
  if (token.starts_with(kAssistantTokenPrefix)) {
    // An assistant token: known by its hash, unexpired, its user not deleted.
    if (token.size() > 200) throw invalid_token();
    const std::string hash = sha256_hex(token);
    // On the primary (as below): a token revoked or a role changed by someone else counts at once.
    auto user = impl_->db.read_primary([&](db::Connection& c) -> std::optional<AuthUser> {
      auto t = accounts::assistant_token_repo::find_by_hash(c, hash);
      if (!t) return std::nullopt;
      if (t->expires_at && *t->expires_at <= impl_->clock.now_ms()) return std::nullopt;
      auto u = accounts::user_repo::find_identity(c, t->user_id);
      // A password reset ends every session, assistant tokens made before it included.
      if (!u || t->created_at < u->sessions_after) return std::nullopt;
      u->token_scope = t->scope;
      return u;
    });
    if (!user) throw invalid_token();
    return *user;
  }
  const auto [user_id, issued_at] = impl_->verified_user_id(token);
  // On the primary, never a read replica: a role changed or sessions ended by another user (an
  // admin, a password reset elsewhere) must count from the next request on, on every instance.
  auto user = impl_->db.read_primary(
      [&](db::Connection& c) { return accounts::user_repo::find_identity(c, user_id); });
  if (!user) throw invalid_token();
  // A password reset ended every session: tokens issued before its second no longer count.
  if (issued_at < user->sessions_after / 1000) throw invalid_token();
  return *user;
}

std::optional<std::string> Authenticator::token_subject(std::string_view token) const noexcept {
  if (token.starts_with(kAssistantTokenPrefix)) return std::nullopt;
  try {
    return impl_->verified_user_id(token).first;
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<AuthUser> Authenticator::optional_user(const Request& req) const {
  const auto token = bearer_token(req);
  if (!token) return std::nullopt;
  auto user = verify_token(*token);  // an empty token is 401 there
  if (user.token_scope == "read" && req.method != Method::get && req.method != Method::head)
    throw err::forbidden("This assistant token is read-only");
  return user;
}

std::optional<std::string_view> bearer_token(const Request& req) {
  auto header = req.header("Authorization");
  if (!header) return std::nullopt;
  constexpr std::string_view kScheme = "bearer ";
  if (header->size() <= kScheme.size() || !starts_with_lower(*header, kScheme))
    return std::string_view();
  return trim(header->substr(kScheme.size()), " ");
}

void require_verified_email(const Config& config, const AuthUser& user) {
  if (!config.require_verified_email || user.email_verified) return;
  throw ApiError(403, "EMAIL_NOT_VERIFIED", "Please confirm your email address first");
}

void require_role(const AuthUser& user, std::initializer_list<std::string_view> roles) {
  for (auto role : roles) {
    if (user.role == role) return;
  }
  throw err::forbidden();
}

void require_owner_or_admin(const AuthUser& user, std::string_view owner_id) {
  if (user.is_admin() || user.id == owner_id) return;
  throw err::forbidden();
}

void require_owner_or_admin_hidden(const AuthUser& user, std::string_view owner_id) {
  if (user.is_admin() || user.id == owner_id) return;
  throw err::not_found();
}

}  // namespace o4o::core
