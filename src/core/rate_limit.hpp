#pragma once
// Per-client-address token buckets: `rps` requests a second on average, bursts up to 2 s worth.
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace o4o::core {

class RateLimiter {
 public:
  explicit RateLimiter(int rps) : rps_(rps) {}
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
  int rps_;
  Shard shards_[kShards];
};

}  // namespace o4o::core
