#pragma once
// When the outbox tries a mail again: 30 s after the first failure, then twice as long each time
// (1 min, 2 min, 4 min ...), at most an hour apart, for up to 24 h after the mail was written;
// a failure after that leaves the mail `failed`. Pure functions.
#include <cstdint>
#include <optional>

namespace o4o::mail {

constexpr int64_t kFirstRetryMs = 30'000;
constexpr int64_t kMaxRetryPauseMs = 3'600'000;
constexpr int64_t kGiveUpAfterMs = 24 * 3'600'000LL;

// The pause after the attempts-th failed attempt (attempts >= 1).
int64_t retry_pause_ms(int attempts);

// When to try again after the attempts-th failure at `now`, or nullopt when the mail is to be
// given up (24 h since created_at have passed). The last try is at the 24 h mark itself.
std::optional<int64_t> next_attempt_at(int attempts, int64_t created_at, int64_t now);

}  // namespace o4o::mail
