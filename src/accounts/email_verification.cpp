#include "accounts/email_verification.hpp"

#include "accounts/account_token_repository.hpp"
#include "core/ids.hpp"
#include "mail/notify.hpp"

namespace o4o::accounts {

void queue_verification_mail(db::Connection& c, const core::Config& config, const UserRecord& user,
                             int64_t now) {
  const std::string token = core::random_hex(kMailTokenBytes);
  account_token_repo::replace(c, {user.id, std::string(account_token_repo::kVerifyEmail),
                                  core::sha256_hex(token), user.email, now,
                                  now + kVerifyTokenTtlMs});
  mail::queue_to_address(c, config, user.email, user.locale, "verify_email",
                         {{"name", user.name},
                          {"link", mail::public_base(config) + "/verify-email?token=" + token}},
                         now);
}

}  // namespace o4o::accounts
