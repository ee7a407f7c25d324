#pragma once
// How anything in the platform sends mail: a row in the outbox, written on the caller's
// connection inside the caller's transaction, so that the mail exists exactly when its cause
// does (a token, a paid order). The background sender (mail/sender.hpp) delivers it later.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "db/database.hpp"
#include "mail/templates.hpp"

namespace o4o::mail {

// The start of links in mail: O4O_PUBLIC_URL, or http://localhost:<port> without it.
std::string public_base(const core::Config& config);

// "12,000 KRW" (minor units shown with the currency's fraction digits).
std::string format_amount(int64_t minor_units, const core::Config& config);

// To an address, in a language ("ko" | "en"). Returns the mail's id.
std::string queue_to_address(db::Connection& c, const core::Config& config, const std::string& to,
                             std::string_view locale, std::string_view kind, const Params& params,
                             int64_t now);

// To a live user, in their language, with "name" filled in; false when there is no such user.
bool queue_for_user(db::Connection& c, const core::Config& config, const std::string& user_id,
                    std::string_view kind, Params params, int64_t now);

// To a live user who keeps new-pledge mails switched on (notifyNewPledges).
void queue_for_watching_creator(db::Connection& c, const core::Config& config,
                                const std::string& user_id, std::string_view kind, Params params,
                                int64_t now);

// To every admin who keeps paid-order mails switched on.
void queue_for_admins(db::Connection& c, const core::Config& config, std::string_view kind,
                      Params params, int64_t now);

}  // namespace o4o::mail
