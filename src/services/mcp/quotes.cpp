#include "services/mcp/quotes.hpp"

#include <sodium.h>

#include <charconv>
#include <string>

#include "core/ids.hpp"

namespace o4o::services::mcp {

namespace {
std::string message_of(std::string_view tool, std::string_view user_id, std::string_view args,
                       int64_t total, int64_t expires_ms) {
  std::string m;
  m.reserve(tool.size() + user_id.size() + args.size() + 32);
  m.append(tool).push_back('\n');
  m.append(user_id).push_back('\n');
  m.append(std::to_string(expires_ms)).push_back('\n');
  m.append(std::to_string(total)).push_back('\n');
  m.append(args);
  return m;
}
}  // namespace

std::string Quotes::mac(std::string_view message) const {
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret_.data()),
                              secret_.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&st, out);
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(sizeof out * 2);
  for (unsigned char b : out) {
    hex.push_back(digits[b >> 4]);
    hex.push_back(digits[b & 0xf]);
  }
  return hex;
}

std::string Quotes::issue(std::string_view tool, std::string_view user_id, std::string_view args,
                          int64_t total, int64_t expires_ms) const {
  return "q1." + std::to_string(expires_ms) + "." + std::to_string(total) + "." +
         mac(message_of(tool, user_id, args, total, expires_ms));
}

namespace {
// The n-th (0: expiry, 1: total) dot-separated number after "q1.", or -1.
int64_t number_field(std::string_view quote_id, int n) {
  if (quote_id.substr(0, 3) != "q1.") return -1;
  auto rest = quote_id.substr(3);
  for (int i = 0; i < n; ++i) {
    auto dot = rest.find('.');
    if (dot == std::string_view::npos) return -1;
    rest.remove_prefix(dot + 1);
  }
  auto dot = rest.find('.');
  if (dot == std::string_view::npos || dot == 0) return -1;
  int64_t value = -1;
  auto [p, ec] = std::from_chars(rest.data(), rest.data() + dot, value);
  if (ec != std::errc() || p != rest.data() + dot) return -1;
  return value;
}
}  // namespace

int64_t Quotes::expiry_of(std::string_view quote_id) {
  return number_field(quote_id, 0);
}

int64_t Quotes::total_of(std::string_view quote_id) {
  return number_field(quote_id, 1);
}

Quotes::Check Quotes::check(std::string_view quote_id, std::string_view tool,
                            std::string_view user_id, std::string_view args,
                            int64_t now_ms) const {
  const int64_t expires = expiry_of(quote_id);
  const int64_t total = total_of(quote_id);
  if (expires < 0 || total < 0 || quote_id.size() > 200) return Check::invalid;
  const std::string expected = issue(tool, user_id, args, total, expires);
  if (expected.size() != quote_id.size() ||
      sodium_memcmp(expected.data(), quote_id.data(), expected.size()) != 0)
    return Check::invalid;
  return now_ms > expires ? Check::expired : Check::ok;
}

std::string Quotes::idempotency_key(std::string_view quote_id) {
  return "mcp-" + core::sha256_hex(quote_id);
}

}  // namespace o4o::services::mcp
