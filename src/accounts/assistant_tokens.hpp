#pragma once
// The rules of assistant tokens (the contract's "MCP" section): named, scoped read or write,
// shown once, stored only as a hash, listed without the secret, revoked at once, at most 50 per
// user. The accounts module owns the table; the MCP service's routes call this.
#include <cstdint>
#include <optional>
#include <string>

#include "accounts/assistant_token_repository.hpp"
#include "core/clock.hpp"
#include "core/pagination.hpp"
#include "db/database.hpp"

namespace o4o::accounts {

using assistant_token_repo::AssistantToken;

struct NewAssistantToken {
  std::string name;
  std::string scope;  // read | write
  std::optional<int64_t> expires_in_days;
};

struct IssuedAssistantToken {
  AssistantToken token;
  std::string secret;  // "o4o_at_" + 64 hex: returned once, never stored
};

class AssistantTokens {
 public:
  AssistantTokens(db::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // 409 CONFLICT when the user already has the most tokens allowed.
  IssuedAssistantToken create(const std::string& user_id, const NewAssistantToken& in);
  core::PageOf<AssistantToken> list(const std::string& user_id, const core::Page& page);
  // 404 when the user has no such token.
  void revoke(const std::string& user_id, const std::string& id);

 private:
  db::Database& db_;
  const core::Clock& clock_;
};

}  // namespace o4o::accounts
