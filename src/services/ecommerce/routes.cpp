// HTTP <-> ecommerce values: the route table (who may call what) and thin handlers that parse the
// request, call the service and render the answer.
#include "services/ecommerce/routes.hpp"

#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json_body.hpp"
#include "core/pagination.hpp"
#include "services/ecommerce/json.hpp"
#include "services/ecommerce/requests.hpp"
#include "services/ecommerce/rules.hpp"

namespace o4o::services::ecommerce {
namespace {

class Handlers {
 public:
  Handlers(core::AppContext& ctx, std::shared_ptr<ProductService> products,
           std::shared_ptr<OrderService> orders)
      : ctx_(ctx), products_(std::move(products)), orders_(std::move(orders)) {}

  // --- catalogue ---
  core::Response list_products(core::Request& req) {
    return core::ok_serialized(*products_->list_json(parse_product_query(req)));
  }

  // What the read cache may answer of those two on the IO thread (core::Route::cached): the
  // service's own keys for the same parse.
  std::optional<core::CachedRead> cached_products(const core::Request& req) const {
    return core::as_is(ProductService::list_key(parse_product_query(req)));
  }
  std::optional<core::CachedRead> cached_product(const core::Request& req) const {
    return core::as_is(ProductService::product_key(req.param("id")));
  }

  core::Response categories(core::Request&) {
    return core::ok(categories_json(products_->categories()));
  }

  core::Response create_product(core::Request& req) {
    auto body = core::JsonBody::parse(req);
    return core::created(product_json(products_->create(parse_new_product(body))));
  }

  core::Response get_product(core::Request& req) {
    return core::ok_serialized(*products_->get_json(std::string(req.param("id"))));
  }

  // The shop's product page with its preview card (the app's /shop/products/:id).
  core::Response product_page(core::Request& req) {
    return ctx_.pages.share(req, req.param("id"), [&](const std::string& id) {
      const Product p = products_->get(id);
      return core::ShareCard{p.name, p.description, p.image_url, "product", p.price};
    });
  }

  core::Response update_product(core::Request& req) {
    const std::string id(req.param("id"));
    if (!core::is_uuid(id)) throw core::err::not_found("Product not found");
    auto body = core::JsonBody::parse(req);
    return core::ok(product_json(products_->update(id, parse_product_patch(body))));
  }

  core::Response delete_product(core::Request& req) {
    products_->remove(std::string(req.param("id")));
    return core::ok(nullptr);
  }

  // --- orders: a buyer's own, or any for an admin (the service's rule) ---
  core::Response list_orders(core::Request& req) {
    const auto query = parse_order_query(req, req.user());
    return core::ok(core::page_json(orders_->list(query), query.page, order_json));
  }

  // Placing an order waits for a group commit, not on a worker (Idempotency::run_grouped).
  core::Response place_order(core::Request& req) {
    const auto& caller = req.user();
    core::require_verified_email(ctx_.config, caller);
    auto body = core::JsonBody::parse(req);
    auto placement = orders_->prepare(caller.id, parse_new_order(body));
    return ctx_.idempotency.run_grouped(
        req, caller.id,
        [orders = orders_, placement = std::move(placement)](db::Connection& c,
                                                             const core::IdempotentEffect& effect) {
          core::Response answer;
          effect.record_created<Order>(answer, order_json)(c, orders->place_in(c, placement));
          return answer;
        });
  }

  // What POST /orders would answer for this body, changing nothing: the same checks and errors
  // (the same verified-email rule too), the server's prices and total, and the platform currency.
  core::Response quote_order(core::Request& req) {
    const auto& caller = req.user();
    core::require_verified_email(ctx_.config, caller);
    auto body = core::JsonBody::parse(req);
    return core::ok(quote_json(orders_->quote(caller.id, parse_new_order(body)),
                               ctx_.config.currency));
  }

  core::Response get_order(core::Request& req) {
    return core::ok(order_json(orders_->get(req.user(), std::string(req.param("id")))));
  }

  core::Response cancel_order(core::Request& req) {
    const std::string id(req.param("id"));
    return core::ok(order_json(orders_->transition(req.user(), id, kCancelled)));
  }

  core::Response set_order_status(core::Request& req) {
    const std::string id(req.param("id"));
    if (!core::is_uuid(id)) throw core::err::not_found("Order not found");
    auto body = core::JsonBody::parse(req);
    const auto status = parse_order_status(body);
    return core::ok(order_json(orders_->transition(req.user(), id, status)));
  }

 private:
  core::AppContext& ctx_;
  std::shared_ptr<ProductService> products_;
  std::shared_ptr<OrderService> orders_;
};

}  // namespace

void add_routes(core::Router& router, core::AppContext& ctx,
                std::shared_ptr<ProductService> products, std::shared_ptr<OrderService> orders) {
  using core::Access;
  using core::Method;
  using H = Handlers;
  router.add_table<H>(
      std::make_shared<H>(ctx, std::move(products), std::move(orders)),
      {
          {Method::get, "/api/v1/ecommerce/products", Access::anyone, &H::list_products,
           &H::cached_products},
          {Method::get, "/api/v1/ecommerce/categories", Access::anyone, &H::categories},
          {Method::post, "/api/v1/ecommerce/products", Access::admin, &H::create_product},
          {Method::get, "/api/v1/ecommerce/products/:id", Access::anyone, &H::get_product,
           &H::cached_product},
          {Method::get, "/shop/products/:id", Access::anyone, &H::product_page},
          {Method::put, "/api/v1/ecommerce/products/:id", Access::admin, &H::update_product},
          {Method::del, "/api/v1/ecommerce/products/:id", Access::admin, &H::delete_product},
          {Method::get, "/api/v1/ecommerce/orders", Access::user, &H::list_orders},
          {Method::post, "/api/v1/ecommerce/orders", Access::user, &H::place_order},
          {Method::post, "/api/v1/ecommerce/orders/quote", Access::user, &H::quote_order},
          {Method::get, "/api/v1/ecommerce/orders/:id", Access::user, &H::get_order},
          {Method::post, "/api/v1/ecommerce/orders/:id/cancel", Access::user, &H::cancel_order},
          {Method::put, "/api/v1/ecommerce/orders/:id/status", Access::admin, &H::set_order_status},
      });
}

}  // namespace o4o::services::ecommerce
