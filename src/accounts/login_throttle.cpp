#include "accounts/login_throttle.hpp"

#include <algorithm>

#include "accounts/accounts.hpp"
#include "accounts/login_attempt_repository.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/password.hpp"
#include "core/text.hpp"

namespace o4o::accounts {
namespace {

// Seconds until the attempt at `oldest_needed` leaves the window, at least 1.
int retry_after_seconds(std::optional<int64_t> oldest_needed, int64_t window_ms, int64_t now) {
  const int64_t wait_ms = oldest_needed ? *oldest_needed + window_ms - now : window_ms;
  return static_cast<int>(std::max<int64_t>(1, (wait_ms + 999) / 1000));
}

// The key attempts are counted under: the normalised email, or the trimmed, lowercased text when
// it is not a valid address (such an account cannot exist, but the attempts still count).
std::string account_key(std::string_view email) {
  if (auto normalized = normalize_email(email)) return *normalized;
  std::string out;
  for (char ch : email) {
    if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') out.push_back(core::ascii_lower(ch));
  }
  return out.substr(0, 320);
}

}  // namespace

bool LoginThrottle::check(std::string_view email, const std::string& client_ip,
                          const std::string& password, const std::string& password_hash) {
  begin(email, client_ip);
  if (!core::verify_password(password, password_hash)) return false;
  succeeded(email, client_ip);
  return true;
}

void LoginThrottle::begin(std::string_view email, const std::string& client_ip) {
  const std::string key = account_key(email);
  const int64_t window_ms = config_.login_window_seconds * 1000;
  const std::string attempt_id = core::new_uuid();
  db_.write([&](db::Connection& c) {
    const int64_t now = clock_.now_ms();
    const int64_t since = now - window_ms;
    login_attempt_repo::lock_account(c, key, client_ip);
    login_attempt_repo::prune(c, since);
    const int64_t account_max = config_.login_max_failures;
    if (account_max > 0) {
      const int64_t n = login_attempt_repo::count_account(c, key, client_ip, since);
      if (n >= account_max) {
        auto at = login_attempt_repo::account_attempt_at(c, key, client_ip, since, n - account_max);
        throw core::err::rate_limited(retry_after_seconds(at, window_ms, now));
      }
    }
    const int64_t address_max = config_.login_ip_max_failures;
    if (address_max > 0) {
      const int64_t n = login_attempt_repo::count_address(c, client_ip, since);
      if (n >= address_max) {
        auto at = login_attempt_repo::address_attempt_at(c, client_ip, since, n - address_max);
        throw core::err::rate_limited(retry_after_seconds(at, window_ms, now));
      }
    }
    login_attempt_repo::insert(c, attempt_id, key, client_ip, now);
  });
}

void LoginThrottle::succeeded(std::string_view email, const std::string& client_ip) {
  const std::string key = account_key(email);
  db_.write([&](db::Connection& c) { login_attempt_repo::clear_account(c, key, client_ip); });
}

}  // namespace o4o::accounts
