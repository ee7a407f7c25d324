// libFuzzer target for access-token verification (src/core/access_token.cpp), the code every
// authenticated request goes through. The first byte picks a mode:
//   0  the rest is a raw token, given to an HS256 and an RS256 verifier;
//   1  the rest is a payload, signed here with the HS256 secret under a fixed header;
//   2  the rest is a header, with a valid payload, signed here with the HS256 secret;
//   3  the rest picks exp, nbf, iat and the user id of a token built and signed here, whose
//      verdict is known exactly;
//   4  the rest is a payload, signed here with HS256 using the RS256 public key as the secret
//      (algorithm confusion): the RS256 verifier must refuse it.
// Whatever the mode, verify() answers claims or ApiError 401, nothing else; claims it hands back
// come from a token whose signature this file checked on its own, whose header names the
// verifier's algorithm, and whose payload (read here with Boost.JSON) names that user with an
// integer exp after now and no nbf but an integer one not after now.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/access_token.hpp"
#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"

using namespace o4o::core;
namespace json = boost::json;

namespace {

constexpr int64_t kNow = 1'780'000'000;
const std::string kSecret = "fuzz-secret-" + std::string(40, 'k');
constexpr std::string_view kUser = "0b6f6f8e-5a4e-4c8b-9f47-3d1c2b7a9e10";

std::string b64url(std::string_view bytes) {
  return base64_encode(bytes, Base64::url_unpadded);
}

std::optional<std::string> unb64url(std::string_view text) {
  return base64_decode(text, Base64::url_unpadded);
}

std::string hs256(std::string_view input, std::string_view key) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return std::string(reinterpret_cast<const char*>(mac), len);
}

std::string signed_hs256(std::string_view header, std::string_view payload, std::string_view key) {
  const std::string input = b64url(header) + "." + b64url(payload);
  return input + "." + b64url(hs256(input, key));
}

struct Keys {
  std::string private_pem, public_pem;
};

// One RSA key pair for the run, made here so that no key is committed.
const Keys& rsa_keys() {
  static const Keys keys = [] {
    Keys k;
    EVP_PKEY* pkey = EVP_RSA_gen(2048);
    if (pkey == nullptr) std::abort();
    auto pem = [&](bool priv) {
      BIO* bio = BIO_new(BIO_s_mem());
      const int ok =
          priv ? PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr)
               : PEM_write_bio_PUBKEY(bio, pkey);
      if (ok != 1) std::abort();
      char* p = nullptr;
      const long n = BIO_get_mem_data(bio, &p);
      std::string out(p, static_cast<std::size_t>(n));
      BIO_free(bio);
      return out;
    };
    k.private_pem = pem(true);
    k.public_pem = pem(false);
    EVP_PKEY_free(pkey);
    return k;
  }();
  return keys;
}

const AccessTokens& hs() {
  static const AccessTokens t("HS256", kSecret, kSecret);
  return t;
}
const AccessTokens& rs() {
  static const AccessTokens t("RS256", rsa_keys().private_pem, rsa_keys().public_pem);
  return t;
}

const std::vector<std::pair<int64_t, std::string>>& rs_issued() {
  static const auto issued = [] {
    AuthUser u;
    u.id = std::string(kUser);
    u.email = "fuzz@example.com";
    u.role = "user";
    std::vector<std::pair<int64_t, std::string>> out;
    for (int64_t ttl : {-60, 0, 1, 900}) out.emplace_back(ttl, rs().issue(u, kNow, ttl));
    return out;
  }();
  return issued;
}

// verify(), with nothing but ApiError 401 allowed out of it.
std::optional<AccessTokens::Claims> verdict(const AccessTokens& tokens, std::string_view token) {
  try {
    return tokens.verify(token, kNow);
  } catch (const ApiError& e) {
    if (e.status() != 401) std::abort();
    return std::nullopt;
  }
}

std::optional<int64_t> int_claim(const json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  return std::nullopt;
}

// What an accepted token must be, checked without the code under test.
void check_accepted(std::string_view token, const AccessTokens::Claims& claims, bool is_hs256) {
  const auto d1 = token.find('.');
  const auto d2 = token.find('.', d1 + 1);
  if (d1 == std::string_view::npos || d2 == std::string_view::npos ||
      token.find('.', d2 + 1) != std::string_view::npos)
    std::abort();
  auto header = unb64url(token.substr(0, d1));
  auto payload = unb64url(token.substr(d1 + 1, d2 - d1 - 1));
  auto sig = unb64url(token.substr(d2 + 1));
  if (!header || !payload || !sig) std::abort();
  if (is_hs256 && *sig != hs256(token.substr(0, d2), kSecret)) std::abort();
  boost::system::error_code ec;
  auto h = json::parse(*header, ec);
  if (ec || !h.is_object()) std::abort();
  const auto* alg = h.as_object().if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->as_string() != (is_hs256 ? "HS256" : "RS256"))
    std::abort();
  auto p = json::parse(*payload, ec);
  if (ec || !p.is_object()) std::abort();
  const auto& o = p.as_object();
  if (!is_uuid(claims.user_id)) std::abort();
  const auto* user = o.if_contains("userId");
  if (user == nullptr || !user->is_string() || user->as_string() != claims.user_id) std::abort();
  if (auto exp = int_claim(o, "exp"); !exp || *exp <= kNow) std::abort();
  if (const auto* nbf = o.if_contains("nbf"); nbf && (!nbf->is_int64() || nbf->as_int64() > kNow))
    std::abort();
}

void check(const AccessTokens& tokens, std::string_view token, bool is_hs256) {
  if (auto claims = verdict(tokens, token)) check_accepted(token, *claims, is_hs256);
}

struct Reader {
  const uint8_t* p;
  size_t n;
  uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  int64_t offset() {  // -128..127 seconds around now, or far away
    const auto b = static_cast<int8_t>(byte());
    return b == -128 ? -int64_t{1} << 40 : b;
  }
  std::string_view rest() { return {reinterpret_cast<const char*>(p), n}; }
};

// Mode 3: a token built here, whose verdict follows from its parts.
void built(Reader r) {
  const uint8_t flags = r.byte();
  const int64_t exp = kNow + r.offset();
  const int64_t nbf = kNow + r.offset();
  json::object payload;
  std::string user(kUser);
  if (flags & 1) user[r.byte() % user.size()] = static_cast<char>(r.byte());
  if (flags & 2) payload["userId"] = user;
  if (flags & 4) payload["exp"] = exp;
  if (flags & 8) payload["nbf"] = nbf;
  if (flags & 16) payload["iat"] = kNow + r.offset();
  if (flags & 32) payload["role"] = "admin";
  const std::string token =
      signed_hs256(R"({"alg":"HS256","typ":"JWT"})", json::serialize(payload), kSecret);
  const bool valid =
      (flags & 2) && is_uuid(user) && (flags & 4) && exp > kNow && (!(flags & 8) || nbf <= kNow);
  auto claims = verdict(hs(), token);
  if (claims.has_value() != valid) std::abort();
  if (claims) {
    check_accepted(token, *claims, true);
    const int64_t iat = (flags & 16) ? payload["iat"].as_int64() : 0;
    if (claims->issued_at != iat) std::abort();
  }
  // RS256 tokens issued once for the run (signing is slow), picked here: accepted while their
  // ttl lasts, refused by the HS256 verifier.
  if (flags & 64) {
    const auto& [ttl, rs_token] = rs_issued()[r.byte() % rs_issued().size()];
    auto rs_claims = verdict(rs(), rs_token);
    if (rs_claims.has_value() != (ttl > 0)) std::abort();
    if (rs_claims && (rs_claims->user_id != kUser || rs_claims->issued_at != kNow)) std::abort();
    if (verdict(hs(), rs_token)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 6000) return 0;
  Reader r{data + 1, size - 1};
  const std::string valid_payload =
      R"({"userId":")" + std::string(kUser) + R"(","exp":)" + std::to_string(kNow + 60) + "}";
  switch (data[0] % 5) {
    case 0:
      check(hs(), r.rest(), true);
      check(rs(), r.rest(), false);
      break;
    case 1:
      check(hs(), signed_hs256(R"({"alg":"HS256","typ":"JWT"})", r.rest(), kSecret), true);
      break;
    case 2:
      check(hs(), signed_hs256(r.rest(), valid_payload, kSecret), true);
      break;
    case 3:
      built(r);
      break;
    case 4: {
      const std::string token =
          signed_hs256(R"({"alg":"HS256","typ":"JWT"})",
                       r.rest().empty() ? valid_payload : r.rest(), rsa_keys().public_pem);
      if (verdict(rs(), token)) std::abort();
      // And the same bytes, with the header claiming RS256.
      const std::string input =
          b64url(R"({"alg":"RS256","typ":"JWT"})") + "." +
          b64url(r.rest().empty() ? std::string_view(valid_payload) : r.rest());
      if (verdict(rs(), input + "." + b64url(hs256(input, rsa_keys().public_pem)))) std::abort();
      break;
    }
  }
  return 0;
}
