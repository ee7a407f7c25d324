#include "core/verified_tokens.hpp"

#include <sodium.h>

#include "core/sodium.hpp"

namespace o4o::core {

std::size_t VerifiedTokens::KeyedHash::operator()(std::string_view s) const noexcept {
  // SipHash with a key no client knows: which tokens share a bucket says nothing to a prober.
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const unsigned char*>(s.data()), s.size(), key);
  std::size_t h = 0;
  for (std::size_t i = 0; i < sizeof h && i < sizeof out; ++i) h = (h << 8) | out[i];
  return h;
}

bool VerifiedTokens::ConstantTimeEqual::operator()(std::string_view a,
                                                   std::string_view b) const noexcept {
  // Lengths are no secret (a token's length is public); the bytes are compared in constant time,
  // so the time of a miss tells nothing of how much of a kept token a guess matched.
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

VerifiedTokens::VerifiedTokens(std::size_t max_entries)
    : half_(max_entries / 2 > 0 ? max_entries / 2 : 1) {
  KeyedHash hash{};
  ensure_sodium();
  randombytes_buf(hash.key, sizeof hash.key);
  current_ = Map(16, hash);
  previous_ = Map(16, hash);
}

std::optional<AccessTokens::Claims> VerifiedTokens::find(std::string_view token,
                                                         int64_t now_seconds) {
  std::lock_guard lock(mutex_);
  auto it = current_.find(token);
  if (it == current_.end()) {
    auto old = previous_.find(token);
    if (old == previous_.end()) {
      ++counts_.misses;
      return std::nullopt;
    }
    // Used again: into the current generation, so that it outlives the next turn.
    auto node = previous_.extract(old);
    it = current_.insert(std::move(node)).position;
  }
  const auto& claims = it->second;
  if (now_seconds >= claims.expires_at ||
      (claims.not_before != 0 && now_seconds < claims.not_before)) {
    current_.erase(it);
    ++counts_.misses;
    return std::nullopt;
  }
  ++counts_.hits;
  return claims;
}

void VerifiedTokens::keep(std::string_view token, const AccessTokens::Claims& claims) {
  std::lock_guard lock(mutex_);
  if (current_.size() >= half_) {
    // The turn: what was not used in the last generation goes.
    previous_ = std::move(current_);
    current_ = Map(16, previous_.hash_function());
  }
  previous_.erase(std::string(token));
  current_.insert_or_assign(std::string(token), claims);
}

VerifiedTokens::Stats VerifiedTokens::stats() const {
  std::lock_guard lock(mutex_);
  Stats s = counts_;
  s.entries = current_.size() + previous_.size();
  return s;
}

}  // namespace o4o::core
