#pragma once
// SQL on assistant_tokens: the long-lived tokens users give AI assistants (MCP clients). Tokens
// are stored only as their SHA-256 (core::sha256_hex).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace o4o::accounts::assistant_token_repo {

// The change note of every write that removes tokens (a revocation, an account's deletion): the
// tokens core::Authenticator keeps in memory carry it. One for all tokens, as a token's hash is
// all a request knows before it is looked up, and revocations are rare.
inline const std::string kTokensRemoved = "accounts.assistant_tokens";

struct AssistantToken {
  std::string id, user_id, name, scope;  // scope: read | write
  int64_t created_at = 0;
  std::optional<int64_t> expires_at;
};

// Inserts the token only while its user has fewer than max_of_user; false when it did not. The
// count is this statement's own snapshot, so callers serialise on the user (user_repo::lock)
// first: under READ COMMITTED two transactions would otherwise both see room for one more.
bool insert_below(db::Connection& c, const AssistantToken& token, const std::string& token_hash,
                  int64_t max_of_user);
// The newest first.
std::vector<AssistantToken> list_of_user(db::Connection& c, const std::string& user_id);
std::optional<AssistantToken> find_by_hash(db::Connection& c, const std::string& token_hash);
// False when the user has no such token.
bool remove(db::Connection& c, const std::string& id, const std::string& user_id);
// Every token of the user (account deletion).
void remove_all_of_user(db::Connection& c, const std::string& user_id);

}  // namespace o4o::accounts::assistant_token_repo
