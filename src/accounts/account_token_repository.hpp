#pragma once
// SQL on account_tokens (migration 810): email-verification and password-reset tokens, stored only
// as their SHA-256, and account_requests, the per-address request log of their hourly limit.
#include <cstdint>
#include <optional>
#include <string>

#include "db/database.hpp"

namespace o4o::accounts::account_token_repo {

inline constexpr std::string_view kVerifyEmail = "verify_email";
inline constexpr std::string_view kPasswordReset = "password_reset";

struct NewToken {
  std::string user_id;
  std::string kind;        // verify_email | password_reset
  std::string token_hash;  // core::sha256_hex of the token
  std::string email;       // the address it was sent to
  int64_t created_at = 0;
  int64_t expires_at = 0;
};
// Voids the user's older live tokens of the same kind, then stores this one.
void replace(db::Connection& c, const NewToken& token);

struct Spent {
  std::string user_id;
  std::string email;
};
// Spends a live, unexpired token of the kind; nullopt when it is unknown, used, voided or
// expired. Of two parallel calls for one token exactly one gets it.
std::optional<Spent> spend(db::Connection& c, std::string_view kind, const std::string& token_hash,
                           int64_t now);

// The per-address log of verify/forgot requests.
void log_request(db::Connection& c, const std::string& ip, int64_t now);
int64_t count_requests(db::Connection& c, const std::string& ip, int64_t since);
// Time of the request at `offset` (0 = oldest) since `since`.
std::optional<int64_t> request_at(db::Connection& c, const std::string& ip, int64_t since,
                                  int64_t offset);
void prune_requests(db::Connection& c, int64_t before);

}  // namespace o4o::accounts::account_token_repo
