#include "services/auth/recovery_service.hpp"

#include <algorithm>

#include "accounts/account_token_repository.hpp"
#include "accounts/accounts.hpp"
#include "accounts/email_verification.hpp"
#include "accounts/token_repository.hpp"
#include "accounts/user_repository.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/password.hpp"
#include "mail/notify.hpp"
#include "mail/outbox.hpp"

namespace o4o::services::auth {
namespace {

namespace account_token_repo = accounts::account_token_repo;
namespace user_repo = accounts::user_repo;

constexpr int64_t kHourMs = 3600 * 1000LL;

core::ApiError invalid_token() {
  return core::ApiError(400, "INVALID_TOKEN", "This link is invalid or has expired");
}

// Seconds until the oldest request that keeps the address over its limit leaves the hour.
int retry_after(db::Connection& c, const std::string& ip, int64_t since, int64_t count,
                int limit, int64_t now) {
  auto at = account_token_repo::request_at(c, ip, since, count - limit);
  const int64_t wait_ms = at ? *at + kHourMs - now : kHourMs;
  return static_cast<int>(std::clamp<int64_t>((wait_ms + 999) / 1000, 1, 3600));
}

}  // namespace

void RecoveryService::request_verification(const core::AuthUser& actor,
                                           const std::string& client_ip) {
  struct Outcome {
    int retry_after = 0;  // > 0: limited
  };
  const auto& config = ctx_.config;
  Outcome out = ctx_.db.write([&](db::Connection& c) {
    const int64_t now = ctx_.clock.now_ms();
    const int64_t since = now - kHourMs;
    const int64_t requests = account_token_repo::count_requests(c, client_ip, since);
    if (requests >= config.mail_requests_per_ip_per_hour) {
      return Outcome{
          retry_after(c, client_ip, since, requests, config.mail_requests_per_ip_per_hour, now)};
    }
    account_token_repo::log_request(c, client_ip, now);
    auto user = user_repo::find(c, actor.id);
    if (!user) throw core::err::unauthorized();
    if (mail::outbox::count_recent(c, user->email, "verify_email", since) >=
        config.mail_per_email_per_hour) {
      return Outcome{3600};
    }
    accounts::queue_verification_mail(c, config, *user, now);
    return Outcome{};
  });
  if (out.retry_after > 0) throw core::err::rate_limited(out.retry_after);
}

accounts::UserRecord RecoveryService::verify_email(const std::string& token) {
  const std::string hash = core::sha256_hex(token);
  auto user = ctx_.db.write([&](db::Connection& c) -> std::optional<accounts::UserRecord> {
    const int64_t now = ctx_.clock.now_ms();
    auto spent = account_token_repo::spend(c, account_token_repo::kVerifyEmail, hash, now);
    if (!spent) return std::nullopt;
    // Proves the address the link was sent to, only while it is still the user's.
    if (!user_repo::set_email_verified(c, spent->user_id, spent->email, true, now)) {
      return std::nullopt;
    }
    return user_repo::find(c, spent->user_id);
  });
  if (!user) throw invalid_token();
  return *user;
}

void RecoveryService::forgot_password(const std::string& email, const std::string& client_ip) {
  const auto normalized = accounts::normalize_email(email);
  const auto& config = ctx_.config;
  // Known or unknown, limited or not: one write transaction, the same answer. Only the token and
  // the mail row are extra for an account, and the mail itself goes out in the background.
  ctx_.db.write([&](db::Connection& c) {
    const int64_t now = ctx_.clock.now_ms();
    const int64_t since = now - kHourMs;
    if (account_token_repo::count_requests(c, client_ip, since) >=
        config.mail_requests_per_ip_per_hour)
      return;
    account_token_repo::log_request(c, client_ip, now);
    if (!normalized) return;
    auto id = user_repo::find_id_by_email(c, *normalized);
    if (!id) return;
    auto user = user_repo::find(c, *id);
    if (!user) return;
    if (mail::outbox::count_recent(c, user->email, "password_reset", since) >=
        config.mail_per_email_per_hour)
      return;
    const std::string token = core::random_hex(accounts::kMailTokenBytes);
    account_token_repo::replace(
        c, {user->id, std::string(account_token_repo::kPasswordReset), core::sha256_hex(token),
            user->email, now, now + accounts::kResetTokenTtlMs});
    mail::queue_to_address(
        c, config, user->email, user->locale, "password_reset",
        {{"name", user->name},
         {"link", mail::public_base(config) + "/reset-password?token=" + token}},
        now);
  });
}

void RecoveryService::reset_password(const std::string& token, const std::string& new_password) {
  const std::string token_hash = core::sha256_hex(token);
  const std::string password_hash = core::hash_password(new_password);
  const auto& config = ctx_.config;
  const bool done = ctx_.db.write([&](db::Connection& c) {
    const int64_t now = ctx_.clock.now_ms();
    auto spent = account_token_repo::spend(c, account_token_repo::kPasswordReset, token_hash, now);
    if (!spent) return false;
    auto user = user_repo::find(c, spent->user_id);
    // A link sent to an address the account no longer has is no good.
    if (!user || user->email != spent->email) return false;
    user_repo::Changes changes;
    changes.password_hash = password_hash;
    if (!user_repo::update(c, user->id, changes, now)) return false;
    // Every session ends: refresh tokens now, access tokens from this second on.
    accounts::token_repo::revoke_all_of_user(c, user->id, now);
    user_repo::end_access_tokens(c, user->id, now);
    // The link reached the inbox, so the address is proven too.
    user_repo::set_email_verified(c, user->id, user->email, true, now);
    mail::queue_to_address(c, config, user->email, user->locale, "password_changed",
                           {{"name", user->name},
                            {"link", mail::public_base(config) + "/forgot-password"}},
                           now);
    return true;
  });
  if (!done) throw invalid_token();
}

}  // namespace o4o::services::auth
