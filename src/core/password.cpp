// Argon2id password hashes through libsodium (crypto_pwhash_str, interactive limits).
#include "core/password.hpp"

#include "core/sodium.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace o4o::core {
namespace {

constexpr unsigned long long kOpsLimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMemLimit = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;

}  // namespace

std::string hash_password(std::string_view password) {
  ensure_sodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return std::string(out.data());
}

bool verify_password(std::string_view password, const std::string& hash) {
  ensure_sodium();
  // A stored hash is NUL-terminated text shorter than crypto_pwhash_STRBYTES; anything else is
  // malformed and never matches.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES ||
      hash.find('\0') != std::string::npos) {
    return false;
  }
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& dummy_password_hash() {
  static const std::string hash = [] {
    ensure_sodium();
    std::array<unsigned char, 32> random{};
    randombytes_buf(random.data(), random.size());
    std::array<char, 65> hex{};
    sodium_bin2hex(hex.data(), hex.size(), random.data(), random.size());
    return hash_password(std::string_view(hex.data(), 64));
  }();
  return hash;
}

}  // namespace o4o::core
