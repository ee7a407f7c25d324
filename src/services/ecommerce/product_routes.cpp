#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json_body.hpp"
#include "core/pagination.hpp"
#include "services/ecommerce/json.hpp"
#include "services/ecommerce/requests.hpp"
#include "services/ecommerce/routes.hpp"

namespace o4o::services::ecommerce {

void add_product_routes(core::Router& router, core::AppContext& ctx,
                        std::shared_ptr<ProductService> products) {
  const std::string base = kBase;
  auto require_admin = [&ctx](const core::Request& req) {
    core::require_role(ctx.auth.require_user(req), {"admin"});
  };

  router.add({core::Method::get, base + "/products", [products](core::Request& req) {
                const auto query = read_product_query(req);
                auto page = products->list(query);
                boost::json::array items;
                items.reserve(page.items.size());
                for (const auto& p : page.items) items.push_back(product_json(p));
                return core::ok(core::page_json(std::move(items), query.page, page.total));
              }});

  router.add({core::Method::get, base + "/categories", [products](core::Request&) {
                return core::ok(categories_json(products->categories()));
              }});

  router.add(
      {core::Method::post, base + "/products", [products, require_admin](core::Request& req) {
         require_admin(req);
         auto body = core::JsonBody::parse(req);
         return core::created(product_json(products->create(read_new_product(body))));
       }});

  router.add({core::Method::get, base + "/products/:id", [products](core::Request& req) {
                return core::ok(product_json(products->get(std::string(req.param("id")))));
              }});

  router.add(
      {core::Method::put, base + "/products/:id", [products, require_admin](core::Request& req) {
         require_admin(req);
         const std::string id(req.param("id"));
         if (!core::is_uuid(id)) throw core::err::not_found("Product not found");
         auto body = core::JsonBody::parse(req);
         return core::ok(product_json(products->update(id, read_product_patch(body))));
       }});

  router.add(
      {core::Method::del, base + "/products/:id", [products, require_admin](core::Request& req) {
         require_admin(req);
         products->remove(std::string(req.param("id")));
         return core::ok(nullptr);
       }});
}

}  // namespace o4o::services::ecommerce
