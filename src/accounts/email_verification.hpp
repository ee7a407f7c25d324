#pragma once
// The verification mail: a fresh token (voiding the user's older ones) and its mail, written in
// the caller's transaction. Registration, "send again" and an email change all use it.
#include <cstdint>
#include <string>

#include "accounts/user.hpp"
#include "core/config.hpp"
#include "db/database.hpp"

namespace o4o::accounts {

constexpr int64_t kVerifyTokenTtlMs = 24 * 3600 * 1000LL;
constexpr int64_t kResetTokenTtlMs = 30 * 60 * 1000LL;
constexpr std::size_t kMailTokenBytes = 32;  // 256 bits from the CSPRNG

// Mails `user.email` a link <public URL>/verify-email?token=... that proves that address.
void queue_verification_mail(db::Connection& c, const core::Config& config, const UserRecord& user,
                             int64_t now);

}  // namespace o4o::accounts
