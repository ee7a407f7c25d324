#include "services/auth/login_throttle.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "services/auth/throttle_repository.hpp"

namespace o4o::services::auth {
namespace {

// Seconds until the attempt at `oldest_needed` leaves the window, at least 1.
int retry_after_seconds(std::optional<int64_t> oldest_needed, int64_t window_ms, int64_t now) {
  const int64_t wait_ms = oldest_needed ? *oldest_needed + window_ms - now : window_ms;
  return static_cast<int>(std::max<int64_t>(1, (wait_ms + 999) / 1000));
}

}  // namespace

void LoginThrottle::begin(const std::string& email, const std::string& ip) {
  const int64_t window_ms = config_.login_window_seconds * 1000;
  const std::string attempt_id = core::new_uuid();
  db_.write([&](db::Connection& c) {
    const int64_t now = clock_.now_ms();
    const int64_t since = now - window_ms;
    throttle_repo::lock_account(c, email, ip);
    throttle_repo::prune(c, since);
    const int64_t account_max = config_.login_max_failures;
    if (account_max > 0) {
      const int64_t n = throttle_repo::count_account(c, email, ip, since);
      if (n >= account_max) {
        auto at = throttle_repo::account_attempt_at(c, email, ip, since, n - account_max);
        throw core::err::rate_limited(retry_after_seconds(at, window_ms, now));
      }
    }
    const int64_t address_max = config_.login_ip_max_failures;
    if (address_max > 0) {
      const int64_t n = throttle_repo::count_address(c, ip, since);
      if (n >= address_max) {
        auto at = throttle_repo::address_attempt_at(c, ip, since, n - address_max);
        throw core::err::rate_limited(retry_after_seconds(at, window_ms, now));
      }
    }
    throttle_repo::insert(c, attempt_id, email, ip, now);
  });
}

void LoginThrottle::succeeded(const std::string& email, const std::string& ip) {
  db_.write([&](db::Connection& c) { throttle_repo::clear_account(c, email, ip); });
}

}  // namespace o4o::services::auth
