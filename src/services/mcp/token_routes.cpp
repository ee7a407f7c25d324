#include "services/mcp/token_routes.hpp"

#include "accounts/assistant_tokens.hpp"
#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/json_body.hpp"
#include "core/pagination.hpp"
#include "core/time_format.hpp"

namespace o4o::services::mcp {

namespace json = boost::json;

namespace {

json::object token_json(const accounts::AssistantToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"scope", t.scope},
          {"createdAt", core::format_timestamp(t.created_at)},
          {"expiresAt", t.expires_at ? json::value(core::format_timestamp(*t.expires_at)) : nullptr}};
}

// Only a signed-in person manages assistant tokens: an assistant's own token cannot make more.
const core::AuthUser& person(const core::Request& req) {
  const auto& user = req.user();
  if (!user.token_scope.empty())
    throw core::err::forbidden("Assistant tokens are managed with a sign-in, not with an assistant token");
  return user;
}

class TokenHandlers {
 public:
  explicit TokenHandlers(core::AppContext& ctx) : tokens_(ctx.db, ctx.clock) {}

  core::Response create(core::Request& req) {
    const auto& user = person(req);
    auto body = core::JsonBody::parse(req);
    auto name = body.string("name", core::Need::required, 1, 100);
    auto scope = body.one_of("scope", core::Need::required, {"read", "write"});
    auto days = body.integer("expiresInDays", core::Need::optional, 1, 3650);
    body.finish();  // throws the collected field errors: below, the required fields are set
    const accounts::NewAssistantToken in{*name, *scope, days};
    auto issued = tokens_.create(user.id, in);
    auto out = token_json(issued.token);
    out["token"] = issued.secret;
    return core::created(std::move(out));
  }

  core::Response list(core::Request& req) {
    const auto& user = person(req);
    const auto page = core::parse_page(req);
    return core::ok(core::page_json(tokens_.list(user.id, page), page, token_json));
  }

  core::Response revoke(core::Request& req) {
    tokens_.revoke(person(req).id, std::string(req.param("id")));
    return core::ok(nullptr);
  }

 private:
  accounts::AssistantTokens tokens_;
};

}  // namespace

void add_token_routes(core::Router& router, core::AppContext& ctx) {
  using core::Access;
  using core::Method;
  using H = TokenHandlers;
  router.add_table<H>(std::make_shared<H>(ctx),
                      {
                          {Method::post, "/api/v1/auth/tokens", Access::user, &H::create},
                          {Method::get, "/api/v1/auth/tokens", Access::user, &H::list},
                          {Method::del, "/api/v1/auth/tokens/:id", Access::user, &H::revoke},
                      });
}

}  // namespace o4o::services::mcp
