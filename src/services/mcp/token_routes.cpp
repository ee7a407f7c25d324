#include "services/mcp/token_routes.hpp"

#include "accounts/assistant_token_repository.hpp"
#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json_body.hpp"
#include "core/pagination.hpp"
#include "core/time_format.hpp"

namespace o4o::services::mcp {

namespace json = boost::json;
namespace repo = accounts::assistant_token_repo;

namespace {

constexpr int64_t kMaxTokensPerUser = 50;
constexpr int64_t kDayMs = 86'400'000;

json::object token_json(const repo::AssistantToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"scope", t.scope},
          {"createdAt", core::format_timestamp(t.created_at)},
          {"expiresAt", t.expires_at ? json::value(core::format_timestamp(*t.expires_at)) : nullptr}};
}

// Only a signed-in person manages assistant tokens: an assistant's own token cannot make more.
core::AuthUser person(const core::Request& req) {
  auto user = req.user();
  if (!user.token_scope.empty())
    throw core::err::forbidden("Assistant tokens are managed with a sign-in, not with an assistant token");
  return user;
}

}  // namespace

void add_token_routes(core::Router& router, core::AppContext& ctx) {
  // Signed-in users only (the access rule); person() refuses an assistant's own token.
  const std::string base = "/api/v1/auth/tokens";

  router.add({core::Method::post, base, [&ctx](core::Request& req) {
                const auto user = person(req);
                auto body = core::JsonBody::parse(req);
                auto name = body.string("name", core::Need::required, 1, 100);
                auto scope = body.one_of("scope", core::Need::required, {"read", "write"});
                auto days = body.integer("expiresInDays", core::Need::optional, 1, 3650);
                body.finish();
                repo::AssistantToken t{core::new_uuid(), user.id, *name, *scope, ctx.clock.now_ms()};
                if (days) t.expires_at = t.created_at + *days * kDayMs;
                // 256 bits from the CSPRNG; only the hash is kept.
                const std::string secret = std::string(core::kAssistantTokenPrefix) + core::random_hex(32);
                ctx.db.write([&](db::Connection& c) {
                  if (repo::count_of_user(c, user.id) >= kMaxTokensPerUser)
                    throw core::err::conflict("CONFLICT", "At most 50 assistant tokens; revoke one first");
                  repo::insert(c, t, core::sha256_hex(secret));
                });
                auto out = token_json(t);
                out["token"] = secret;
                return core::created(std::move(out));
              },
              core::Exec::db, core::Access::user});

  router.add({core::Method::get, base, [&ctx](core::Request& req) {
                const auto user = person(req);
                const auto page = core::parse_page(req);
                auto all = ctx.db.read([&](db::Connection& c) { return repo::list_of_user(c, user.id); });
                json::array items;
                for (std::size_t i = static_cast<std::size_t>(page.offset());
                     i < all.size() && items.size() < static_cast<std::size_t>(page.limit); ++i)
                  items.push_back(token_json(all[i]));
                return core::ok(core::page_json(std::move(items), page, static_cast<int64_t>(all.size())));
              },
              core::Exec::db, core::Access::user});

  router.add({core::Method::del, base + "/:id", [&ctx](core::Request& req) {
                const auto user = person(req);
                const std::string id(req.param("id"));
                const bool removed = core::is_uuid(id) && ctx.db.write([&](db::Connection& c) {
                  return repo::remove(c, id, user.id);
                });
                if (!removed) throw core::err::not_found("Token not found");
                return core::ok(nullptr);
              },
              core::Exec::db, core::Access::user});
}

}  // namespace o4o::services::mcp
