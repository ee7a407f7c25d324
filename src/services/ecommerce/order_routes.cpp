#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json_body.hpp"
#include "core/pagination.hpp"
#include "services/ecommerce/json.hpp"
#include "services/ecommerce/requests.hpp"
#include "services/ecommerce/routes.hpp"
#include "services/ecommerce/rules.hpp"

namespace o4o::services::ecommerce {

void add_order_routes(core::Router& router, core::AppContext& ctx,
                      std::shared_ptr<OrderService> orders) {
  const std::string base = kBase;

  router.add({core::Method::get, base + "/orders", [&ctx, orders](core::Request& req) {
                const auto caller = ctx.auth.require_user(req);
                const auto query = read_order_query(req, caller);
                auto page = orders->list(query);
                boost::json::array items;
                items.reserve(page.items.size());
                for (const auto& o : page.items) items.push_back(order_json(o));
                return core::ok(core::page_json(std::move(items), query.page, page.total));
              }});

  // Placing an order waits for a group commit, not on a worker (Idempotency::run_grouped).
  router.add(
      {core::Method::post, base + "/orders", [&ctx, orders](core::Request& req) {
         const auto caller = ctx.auth.require_user(req);
         core::require_verified_email(ctx.config, caller);
         auto body = core::JsonBody::parse(req);
         auto placement = orders->prepare(caller.id, read_new_order(body));
         return ctx.idempotency.run_grouped(
             req, caller.id,
             [orders, placement = std::move(placement)](db::Connection& c,
                                                        const core::IdempotentEffect& effect) {
               core::Response answer;
               effect.record_created<Order>(answer, order_json)(c, orders->place_in(c, placement));
               return answer;
             });
       }});

  router.add({core::Method::get, base + "/orders/:id", [&ctx, orders](core::Request& req) {
                const auto caller = ctx.auth.require_user(req);
                return core::ok(order_json(orders->get(caller, std::string(req.param("id")))));
              }});

  router.add({core::Method::post, base + "/orders/:id/cancel", [&ctx, orders](core::Request& req) {
                const auto caller = ctx.auth.require_user(req);
                const std::string id(req.param("id"));
                return core::ok(order_json(orders->transition(caller, id, kCancelled)));
              }});

  router.add({core::Method::put, base + "/orders/:id/status", [&ctx, orders](core::Request& req) {
                const auto caller = ctx.auth.require_user(req);
                core::require_role(caller, {"admin"});
                const std::string id(req.param("id"));
                if (!core::is_uuid(id)) throw core::err::not_found("Order not found");
                auto body = core::JsonBody::parse(req);
                const auto status = read_order_status(body);
                return core::ok(order_json(orders->transition(caller, id, status)));
              }});
}

}  // namespace o4o::services::ecommerce
