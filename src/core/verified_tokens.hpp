#pragma once
// Access tokens already verified, by their exact text: a signed-in client sends the same token
// with every request until it expires, and its signature, base64 and JSON (both HMACs, two JSON
// readers) cost more than the rest of checking it. A token found here has passed
// AccessTokens::verify once; its expiry and nbf are checked again at each use, so it counts
// exactly as long as it would unmemoized. Only the text that was verified matches (compared in
// constant time, found by a hash keyed at random per process), and the memory is bounded:
// at most max_entries tokens, the least recently used going first (two generations).
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/access_token.hpp"

namespace o4o::core {

class VerifiedTokens {
 public:
  explicit VerifiedTokens(std::size_t max_entries = 10'000);

  // The claims of a token kept here that is valid at now_seconds; nullopt otherwise (then the
  // caller verifies it in full, which gives the reason it is refused).
  std::optional<AccessTokens::Claims> find(std::string_view token, int64_t now_seconds);
  // Keeps a token AccessTokens::verify has just accepted, with its claims.
  void keep(std::string_view token, const AccessTokens::Claims& claims);

  struct Stats {
    uint64_t hits = 0, misses = 0;
    std::size_t entries = 0;
  };
  Stats stats() const;

 private:
  struct KeyedHash {
    using is_transparent = void;
    unsigned char key[16];
    std::size_t operator()(std::string_view s) const noexcept;
  };
  struct ConstantTimeEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const noexcept;
  };
  using Map = std::unordered_map<std::string, AccessTokens::Claims, KeyedHash, ConstantTimeEqual>;

  const std::size_t half_;  // a generation's size
  mutable std::mutex mutex_;
  Map current_, previous_;  // kept or used since the last turn / in the generation before
  Stats counts_;
};

}  // namespace o4o::core
