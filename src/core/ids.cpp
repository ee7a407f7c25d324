#include "core/ids.hpp"

#include "core/sodium.hpp"

#include <openssl/sha.h>
#include <sodium.h>

#include <array>
#include <cstdio>
#include <stdexcept>

namespace o4o::core {

namespace {
void to_hex(const unsigned char* bytes, std::size_t n, std::string& out) {
  static constexpr char digits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[bytes[i] >> 4]);
    out.push_back(digits[bytes[i] & 0xf]);
  }
}
// The canonical 8-4-4-4-12 text of 16 bytes.
std::string uuid_text(const std::array<unsigned char, 16>& b) {
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    to_hex(&b[i], 1, out);
  }
  return out;
}

}  // namespace

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

std::string new_uuid() {
  ensure_sodium();
  std::array<unsigned char, 16> b;
  randombytes_buf(b.data(), b.size());
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return uuid_text(b);
}

std::string new_time_ordered_uuid(int64_t now_ms) {
  ensure_sodium();
  std::array<unsigned char, 16> b;
  randombytes_buf(b.data(), b.size());
  const auto ms = static_cast<uint64_t>(now_ms < 0 ? 0 : now_ms);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x70);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return uuid_text(b);
}

bool is_uuid(std::string_view t) {
  if (t.size() != 36) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::string random_hex(std::size_t bytes) {
  ensure_sodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out;
  out.reserve(bytes * 2);
  to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size(), out);
  return out;
}

std::string sha256_hex(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  std::string out;
  out.reserve(64);
  to_hex(digest, sizeof digest, out);
  return out;
}

}  // namespace o4o::core
