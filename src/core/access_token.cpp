#include "core/access_token.hpp"

#include <jwt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>

#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"

namespace o4o::core {
namespace {

struct JwtDeleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

// JWS segments are base64url without padding (RFC 7515 section 2); anything else is refused.
std::optional<std::string> base64url_decode(std::string_view text) {
  return base64_decode(text, Base64::url_unpadded);
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

// A NumericDate claim (exp, nbf, iat) as a whole number of seconds: an empty optional when absent,
// nullopt when present as anything else. (libjwt's jwt_get_grant_int reads a fractional or
// boolean value as 0 without an error, which would make a fractional nbf mean "valid since 1970".)
std::optional<std::optional<int64_t>> integer_claim(const boost::json::object& claims,
                                                    std::string_view name) {
  const auto* value = claims.if_contains(name);
  if (value == nullptr) return std::optional<int64_t>();
  if (!value->is_int64()) return std::nullopt;
  return std::optional<int64_t>(value->as_int64());
}

}  // namespace

ApiError invalid_access_token() {
  return err::unauthorized("Invalid access token");
}

AccessTokens::AccessTokens(std::string_view algorithm, std::string sign_key, std::string verify_key)
    : sign_key_(std::move(sign_key)), verify_key_(std::move(verify_key)) {
  if (algorithm == "HS256") {
    alg_ = JWT_ALG_HS256;
  } else if (algorithm == "RS256") {
    alg_ = JWT_ALG_RS256;
  } else {
    throw std::invalid_argument("unsupported JWT algorithm " + std::string(algorithm));
  }
  if (verify_key_.empty()) throw std::invalid_argument("the JWT verifying key is empty");
  alg_name_ = jwt_alg_str(static_cast<jwt_alg_t>(alg_));
}

AccessTokens::Claims AccessTokens::verify(std::string_view token, int64_t now_seconds) const {
  if (token.empty() || token.size() > kMaxLength) throw invalid_access_token();
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos ||
      dot2 + 1 == token.size()) {
    throw invalid_access_token();  // not three parts, or no signature (alg "none")
  }
  auto alg_in_header = header_alg(token.substr(0, dot1));
  if (!alg_in_header || *alg_in_header != alg_name_) throw invalid_access_token();
  if (alg_ == JWT_ALG_HS256 &&
      !hs256_signature_ok(token.substr(0, dot2), token.substr(dot2 + 1), verify_key_)) {
    throw invalid_access_token();
  }

  // The claims must be one JSON object, all of it: libjwt hands the payload to a C-string JSON
  // reader that stops at a NUL byte, so "{...}\0garbage" would pass there (found by fuzz_jwt).
  // The claims are read from this object once the signature has been checked below.
  boost::json::object claims;
  {
    auto payload = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
    boost::system::error_code ec;
    auto parsed = payload ? boost::json::parse(*payload, ec) : boost::json::value();
    if (!payload || ec || !parsed.is_object()) throw invalid_access_token();
    claims = std::move(parsed.as_object());
  }

  const std::string text(token);
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(verify_key_.data()),
                 static_cast<int>(verify_key_.size())) != 0 ||
      raw == nullptr) {
    throw invalid_access_token();
  }
  JwtPtr jwt(raw);
  if (jwt_get_alg(jwt.get()) != alg_) throw invalid_access_token();

  const auto exp = integer_claim(claims, "exp");
  if (!exp || !*exp) throw invalid_access_token();
  if (now_seconds >= **exp) throw err::unauthorized("Access token has expired");
  // nbf is optional; when present the token is not valid before it.
  const auto nbf = integer_claim(claims, "nbf");
  if (!nbf) throw invalid_access_token();
  if (*nbf && now_seconds < **nbf) throw err::unauthorized("Access token is not valid yet");
  const auto* user = claims.if_contains("userId");
  if (user == nullptr || !user->is_string() || !is_uuid(user->as_string()))
    throw invalid_access_token();
  const std::string user_id(user->as_string());
  const auto iat = integer_claim(claims, "iat");
  return {user_id, iat && *iat ? **iat : 0, **exp, *nbf ? **nbf : 0};
}

std::string AccessTokens::issue(const AuthUser& user, int64_t now_seconds,
                                int64_t ttl_seconds) const {
  if (sign_key_.empty()) throw std::logic_error("this process has no JWT signing key");
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0 || raw == nullptr) throw std::runtime_error("jwt_new failed");
  JwtPtr jwt(raw);
  const long now = static_cast<long>(now_seconds);
  const long exp = now + static_cast<long>(ttl_seconds);
  if (jwt_add_grant(jwt.get(), "userId", user.id.c_str()) != 0 ||
      jwt_add_grant(jwt.get(), "email", user.email.c_str()) != 0 ||
      jwt_add_grant(jwt.get(), "role", user.role.c_str()) != 0 ||
      jwt_add_grant_int(jwt.get(), "iat", now) != 0 ||
      jwt_add_grant_int(jwt.get(), "exp", exp) != 0 ||
      jwt_set_alg(jwt.get(), static_cast<jwt_alg_t>(alg_),
                  reinterpret_cast<const unsigned char*>(sign_key_.data()),
                  static_cast<int>(sign_key_.size())) != 0) {
    throw std::runtime_error("could not build the access token");
  }
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) throw std::runtime_error("could not sign the access token");
  std::string out(encoded);
  std::free(encoded);
  return out;
}

}  // namespace o4o::core
