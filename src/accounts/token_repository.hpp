#pragma once
// SQL on refresh_tokens. Tokens are stored only as their SHA-256 (core::sha256_hex).
#include <cstdint>
#include <optional>
#include <string>

#include "db/database.hpp"

namespace o4o::accounts::token_repo {

struct NewToken {
  std::string id;
  std::string user_id;
  std::string family_id;
  std::string token_hash;
  int64_t created_at = 0;
  int64_t expires_at = 0;
};
void insert(db::Connection& c, const NewToken& token);

struct StoredToken {
  std::string user_id;
  std::string family_id;
  bool spent_or_revoked = false;
};
std::optional<StoredToken> find(db::Connection& c, const std::string& token_hash);

// Marks a live, unexpired token used; false when it was not (spent, revoked, expired, unknown).
// Of two parallel calls for one token exactly one returns true.
bool spend(db::Connection& c, const std::string& token_hash, int64_t now);

void revoke_family(db::Connection& c, const std::string& family_id, int64_t now);
// Revokes the family of the token, if the token belongs to the user.
void revoke_family_of(db::Connection& c, const std::string& token_hash, const std::string& user_id,
                      int64_t now);
// Ends every session of the user (password change, deletion, `o4o users create`).
void revoke_all_of_user(db::Connection& c, const std::string& user_id, int64_t now);

}  // namespace o4o::accounts::token_repo
