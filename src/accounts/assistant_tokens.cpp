#include "accounts/assistant_tokens.hpp"

#include "accounts/user_repository.hpp"
#include "core/auth.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"

namespace o4o::accounts {
namespace repo = assistant_token_repo;

namespace {
constexpr int64_t kMaxTokensPerUser = 50;
constexpr int64_t kDayMs = 86'400'000;
}  // namespace

IssuedAssistantToken AssistantTokens::create(const std::string& user_id,
                                             const NewAssistantToken& in) {
  AssistantToken t{core::new_uuid(), user_id, in.name, in.scope, clock_.now_ms()};
  if (in.expires_in_days) t.expires_at = t.created_at + *in.expires_in_days * kDayMs;
  // 256 bits from the CSPRNG; only the hash is kept.
  std::string secret = std::string(core::kAssistantTokenPrefix) + core::random_hex(32);
  db_.write([&](db::Connection& c) {
    // Creations for one user take turns on the user's row; the insert then counts after the
    // previous one committed, so parallel requests never pass the limit together.
    if (!user_repo::lock(c, user_id)) throw core::err::unauthorized();
    if (!repo::insert_below(c, t, core::sha256_hex(secret), kMaxTokensPerUser))
      throw core::err::conflict("CONFLICT", "At most 50 assistant tokens; revoke one first");
  });
  return {std::move(t), std::move(secret)};
}

core::PageOf<AssistantToken> AssistantTokens::list(const std::string& user_id,
                                                   const core::Page& page) {
  // At most 50 per user: one read of all of them, then the page.
  auto all = db_.read([&](db::Connection& c) { return repo::list_of_user(c, user_id); });
  core::PageOf<AssistantToken> out;
  out.total = static_cast<int64_t>(all.size());
  for (auto i = static_cast<std::size_t>(page.offset());
       i < all.size() && out.items.size() < static_cast<std::size_t>(page.limit); ++i)
    out.items.push_back(std::move(all[i]));
  return out;
}

void AssistantTokens::revoke(const std::string& user_id, const std::string& id) {
  const bool removed = core::is_uuid(id) &&
                       db_.write([&](db::Connection& c) { return repo::remove(c, id, user_id); });
  if (!removed) throw core::err::not_found("Token not found");
}

}  // namespace o4o::accounts
