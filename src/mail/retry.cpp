#include "mail/retry.hpp"

#include <algorithm>

namespace o4o::mail {

int64_t retry_pause_ms(int attempts) {
  int64_t pause = kFirstRetryMs;
  for (int i = 1; i < attempts && pause < kMaxRetryPauseMs; ++i) pause *= 2;
  return std::min(pause, kMaxRetryPauseMs);
}

std::optional<int64_t> next_attempt_at(int attempts, int64_t created_at, int64_t now) {
  const int64_t deadline = created_at + kGiveUpAfterMs;
  if (now >= deadline) return std::nullopt;
  return std::min(now + retry_pause_ms(attempts), deadline);
}

}  // namespace o4o::mail
