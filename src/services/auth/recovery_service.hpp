#pragma once
// Email verification and password recovery (contract: "Accounts: email, recovery, creator
// approval"): tokens of 256 bits from the CSPRNG, stored only as SHA-256, single use, with an
// expiry, a newer one voiding the older; limits per address and per email; the same answer, in
// about the same time, for an email that has no account. No HTTP types.
#include <string>

#include "accounts/user.hpp"
#include "core/app_context.hpp"
#include "core/auth.hpp"

namespace o4o::services::auth {

class RecoveryService {
 public:
  explicit RecoveryService(core::AppContext& ctx) : ctx_(ctx) {}

  // Mails a new verification link; 429 RATE_LIMITED past the hourly limits.
  void request_verification(const core::AuthUser& user, const std::string& client_ip);
  // 400 INVALID_TOKEN when unknown, used, voided, expired, or the address changed since.
  accounts::UserRecord verify_email(const std::string& token);
  // Mails a reset link when the (normalised) email has an account and no limit is reached;
  // otherwise does the same work but the mail, and answers the same.
  void forgot_password(const std::string& email, const std::string& client_ip);
  // `new_password` passed the policy already. 400 INVALID_TOKEN; on success every session ends
  // and a "password changed" mail follows.
  void reset_password(const std::string& token, const std::string& new_password);

 private:
  core::AppContext& ctx_;
};

}  // namespace o4o::services::auth
