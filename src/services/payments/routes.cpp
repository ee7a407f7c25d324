// The payments routes: paying an order or a pledge, confirming, webhooks, refunds, the sim
// provider's hosted page, and the lists.
#include "services/payments/routes.hpp"

#include <boost/json/array.hpp>
#include <cctype>

#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/json_body.hpp"
#include "core/pagination.hpp"
#include "services/payments/json.hpp"

namespace o4o::services::payments {
namespace {

// Where browsers reach the web app: O4O_PUBLIC_URL, else the Host the browser used (when it looks
// like a host name), else the listening address.
std::string origin_of(const core::Request& req, const core::Config& config) {
  if (!config.public_url.empty()) return config.public_url;
  if (auto host = req.header("host"); host && !host->empty() && host->size() <= 255) {
    bool sane = true;
    for (char ch : *host)
      sane = sane && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' ||
                      ch == ':' || ch == '[' || ch == ']');
    if (sane) return "http://" + std::string(*host);
  }
  return "http://" + config.host + ":" + std::to_string(config.port);
}

core::Response started(const Started& s, const std::string& currency) {
  boost::json::object data{{"payment", payment_json(s.payment, currency)},
                           {"checkout", checkout_json(s.checkout)}};
  return s.created ? core::created(std::move(data)) : core::ok(std::move(data));
}

}  // namespace

void add_routes(core::Router& router, core::AppContext& ctx,
                std::shared_ptr<PaymentService> service) {
  const std::string base = "/api/v1/payments";
  const auto& currency = ctx.config.currency;

  router.add({core::Method::post, "/api/v1/ecommerce/orders/:id/payment",
              [&ctx, service, &currency](core::Request& req) {
                const auto caller = ctx.auth.require_user(req);
                return started(service->start(caller, "order", std::string(req.param("id")),
                                              origin_of(req, ctx.config)),
                               currency);
              }});
  router.add({core::Method::post, "/api/v1/crowdfunding/pledges/:id/payment",
              [&ctx, service, &currency](core::Request& req) {
                const auto caller = ctx.auth.require_user(req);
                return started(service->start(caller, "pledge", std::string(req.param("id")),
                                              origin_of(req, ctx.config)),
                               currency);
              }});

  // Before "/:id/confirm": "webhooks" is a literal, not a payment id.
  router.add({core::Method::post, base + "/webhooks/:provider", [service](core::Request& req) {
                service->webhook(req.param("provider"), req.headers, req.body);
                return core::ok(boost::json::object{{"received", true}});
              }});

  router.add({core::Method::post, base + "/sim/:id/complete", [&ctx, service](core::Request& req) {
                const auto caller = ctx.auth.require_user(req);
                if (!service->has_sim()) throw core::err::not_found("Not found");
                auto body = core::JsonBody::parse(req);
                auto outcome = body.one_of("outcome", core::Need::required,
                                           {"paid", "declined", "fail_on_confirm"});
                body.finish();
                auto [success, url] = service->sim_complete(caller, std::string(req.param("id")),
                                                            *outcome, origin_of(req, ctx.config));
                return core::ok(boost::json::object{{success ? "successUrl" : "failUrl", url}});
              }});

  router.add(
      {core::Method::post, base + "/:id/confirm", [&ctx, service, &currency](core::Request& req) {
         const auto caller = ctx.auth.require_user(req);
         auto body = core::JsonBody::parse(req);
         auto key = body.string("paymentKey", core::Need::required, 1, 200);
         auto amount = body.integer("amount", core::Need::required, 0);
         body.finish();
         return core::ok(payment_json(
             service->confirm(caller, std::string(req.param("id")), *key, *amount), currency));
       }});

  router.add({core::Method::get, base + "/:id", [&ctx, service, &currency](core::Request& req) {
                const auto caller = ctx.auth.require_user(req);
                return core::ok(
                    payment_json(service->get(caller, std::string(req.param("id"))), currency));
              }});

  router.add({core::Method::get, base, [&ctx, service, &currency](core::Request& req) {
                const auto caller = ctx.auth.require_user(req);
                const auto page = core::parse_page(req);
                PaymentFilter filter;
                filter.status = core::query_enum(
                    req, "status", {"pending", "paid", "refunded", "failed", "cancelled"});
                filter.purpose = core::query_enum(req, "purpose", {"order", "pledge"});
                // Admins see everyone's (or one user's); others only their own.
                if (caller.is_admin()) {
                  if (auto u = core::query_text(req, "userId", 100); u && !u->empty())
                    filter.user_id = *u;
                } else {
                  filter.user_id = caller.id;
                }
                auto result = service->list(filter, page);
                boost::json::array items;
                for (const auto& p : result.items) items.push_back(payment_json(p, currency));
                return core::ok(core::page_json(std::move(items), page, result.total));
              }});

  router.add(
      {core::Method::post, base + "/:id/refund", [&ctx, service, &currency](core::Request& req) {
         const auto caller = ctx.auth.require_user(req);
         core::require_role(caller, {"admin"});
         auto body = core::JsonBody::parse(req);
         auto amount = body.integer("amount", core::Need::optional, 1);
         body.finish();
         return core::ok(
             payment_json(service->refund(std::string(req.param("id")), amount), currency));
       }});
}

}  // namespace o4o::services::payments
