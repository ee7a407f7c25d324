#include "core/rate_limit.hpp"

#include <cmath>
#include <functional>

namespace o4o::core {

int RateLimiter::take(const std::string& client, int64_t now_ms) {
  if (rps_ <= 0) return 0;
  const double burst = burst_;
  auto& shard = shards_[std::hash<std::string>{}(client) % kShards];
  std::lock_guard lock(shard.mutex);
  // Forget idle clients now and then, so that the table stays as small as the active set.
  if (now_ms - shard.last_sweep_ms > 60'000) {
    for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
      if (now_ms - it->second.updated_ms > 60'000)
        it = shard.buckets.erase(it);
      else
        ++it;
    }
    shard.last_sweep_ms = now_ms;
  }
  auto [it, inserted] = shard.buckets.try_emplace(client, Bucket{burst, now_ms});
  Bucket& b = it->second;
  if (!inserted) {
    b.tokens = std::min(burst, b.tokens + (now_ms - b.updated_ms) * rps_ / 1000.0);
    b.updated_ms = now_ms;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rps_)));
}

}  // namespace o4o::core
