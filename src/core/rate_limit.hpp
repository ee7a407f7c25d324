#pragma once
// Per-client-address token buckets: `rps` requests a second on average, bursts up to 2 s worth;
// or any rate and burst (per_minute: a burst of n, refilled at n a minute).
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace o4o::core {

class RateLimiter {
 public:
  explicit RateLimiter(int rps) : rps_(rps), burst_(2.0 * rps) {}
  RateLimiter(double per_second, double burst) : rps_(per_second), burst_(burst) {}
  static double per_minute(int n) { return n / 60.0; }
  bool enabled() const { return rps_ > 0; }
  // 0 when allowed; otherwise the whole seconds to wait before the next request may pass.
  int take(const std::string& client, int64_t now_ms);

 private:
  struct Bucket {
    double tokens;
    int64_t updated_ms;
  };
  static constexpr int kShards = 16;
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Bucket> buckets;
    int64_t last_sweep_ms = 0;
  };
  double rps_;
  double burst_;
  Shard shards_[kShards];
};

}  // namespace o4o::core
