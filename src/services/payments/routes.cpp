// The payments routes: paying an order or a pledge, confirming, webhooks, refunds, the sim
// provider's hosted page, and the lists.
#include "services/payments/routes.hpp"

#include <boost/json/array.hpp>
#include <cctype>

#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/app_pages.hpp"
#include "core/json_body.hpp"
#include "core/pagination.hpp"
#include "services/payments/json.hpp"

namespace o4o::services::payments {
namespace {

std::string origin_of(const core::Request& req, const core::Config& config) {
  return core::public_origin(req, config);
}

core::Response started(const Started& s, const std::string& currency) {
  boost::json::object data{{"payment", payment_json(s.payment, currency)},
                           {"checkout", checkout_json(s.checkout)}};
  return s.created ? core::created(std::move(data)) : core::ok(std::move(data));
}

class Handlers {
 public:
  Handlers(const core::Config& config, std::shared_ptr<PaymentService> service)
      : config_(config), service_(std::move(service)) {}

  core::Response pay_order(core::Request& req) { return start(req, "order"); }
  core::Response pay_pledge(core::Request& req) { return start(req, "pledge"); }

  core::Response webhook(core::Request& req) {
    service_->webhook(req.param("provider"), req.headers, req.body);
    return core::ok(boost::json::object{{"received", true}});
  }

  core::Response sim_complete(core::Request& req) {
    if (!service_->has_sim()) throw core::err::not_found("Not found");
    auto body = core::JsonBody::parse(req);
    auto outcome =
        body.one_of("outcome", core::Need::required, {"paid", "declined", "fail_on_confirm"});
    body.finish();
    auto [success, url] = service_->sim_complete(req.user(), std::string(req.param("id")), *outcome,
                                                 origin_of(req, config_));
    return core::ok(boost::json::object{{success ? "successUrl" : "failUrl", url}});
  }

  core::Response confirm(core::Request& req) {
    auto body = core::JsonBody::parse(req);
    auto key = body.string("paymentKey", core::Need::required, 1, 200);
    auto amount = body.integer("amount", core::Need::required, 0);
    body.finish();
    return core::ok(payment_json(
        service_->confirm(req.user(), std::string(req.param("id")), *key, *amount), currency()));
  }

  core::Response get(core::Request& req) {
    return core::ok(
        payment_json(service_->get(req.user(), std::string(req.param("id"))), currency()));
  }

  core::Response list(core::Request& req) {
    const auto& caller = req.user();
    const auto page = core::parse_page(req);
    PaymentFilter filter;
    filter.status =
        core::query_enum(req, "status", {"pending", "paid", "refunded", "failed", "cancelled"});
    filter.purpose = core::query_enum(req, "purpose", {"order", "pledge"});
    // Admins see everyone's (or one user's); others only their own.
    if (caller.is_admin()) {
      if (auto u = core::query_text(req, "userId", 100); u && !u->empty()) filter.user_id = *u;
    } else {
      filter.user_id = caller.id;
    }
    return core::ok(core::page_json(service_->list(filter, page), page, [this](const Payment& p) {
      return payment_json(p, currency());
    }));
  }

  core::Response refund(core::Request& req) {
    auto body = core::JsonBody::parse(req);
    auto amount = body.integer("amount", core::Need::optional, 1);
    body.finish();
    return core::ok(
        payment_json(service_->refund(std::string(req.param("id")), amount), currency()));
  }

 private:
  core::Response start(core::Request& req, std::string_view purpose) {
    return started(service_->start(req.user(), std::string(purpose), std::string(req.param("id")),
                                   origin_of(req, config_)),
                   currency());
  }
  const std::string& currency() const { return config_.currency; }

  const core::Config& config_;
  std::shared_ptr<PaymentService> service_;
};

}  // namespace

void add_routes(core::Router& router, core::AppContext& ctx,
                std::shared_ptr<PaymentService> service) {
  using core::Access;
  using core::Method;
  using H = Handlers;
  // Webhooks are public: the service checks the provider's signature (or asks the provider).
  // "/webhooks/:provider" comes before "/:id/confirm": "webhooks" is a literal, not a payment id.
  router.add_table<H>(
      std::make_shared<H>(ctx.config, std::move(service)),
      {
          {Method::post, "/api/v1/ecommerce/orders/:id/payment", Access::user, &H::pay_order},
          {Method::post, "/api/v1/crowdfunding/pledges/:id/payment", Access::user, &H::pay_pledge},
          {Method::post, "/api/v1/payments/webhooks/:provider", Access::anyone, &H::webhook},
          {Method::post, "/api/v1/payments/sim/:id/complete", Access::user, &H::sim_complete},
          {Method::post, "/api/v1/payments/:id/confirm", Access::user, &H::confirm},
          {Method::get, "/api/v1/payments/:id", Access::user, &H::get},
          {Method::get, "/api/v1/payments", Access::user, &H::list},
          {Method::post, "/api/v1/payments/:id/refund", Access::admin, &H::refund},
      });
}

}  // namespace o4o::services::payments
