#include "services/ecommerce/product_service.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "services/ecommerce/read_page.hpp"

namespace o4o::services::ecommerce {
namespace {

core::ApiError product_not_found() {
  return core::err::not_found("Product not found");
}

void apply(Product& p, const ProductPatch& patch) {
  if (patch.name) p.name = *patch.name;
  if (patch.description) p.description = *patch.description;
  if (patch.image_url) p.image_url = *patch.image_url;
  if (patch.price) p.price = *patch.price;
  if (patch.category) p.category = *patch.category;
  if (patch.stock) p.stock = *patch.stock;
}

}  // namespace

Product ProductService::create(const NewProduct& in) {
  const int64_t now = clock_.now_ms();
  Product p{core::new_uuid(), in.name,  in.description,
            in.image_url,     in.price, in.category,
            in.stock,         now,      now};
  db_.write([&](db::Connection& c) { repo_.insert(c, p); });
  return p;
}

Product ProductService::get(const std::string& id) {
  if (!core::is_uuid(id)) throw product_not_found();
  auto p = db_.read([&](db::Connection& c) { return repo_.find_live(c, id); });
  if (!p) throw product_not_found();
  return std::move(*p);
}

Product ProductService::update(const std::string& id, const ProductPatch& patch) {
  if (!core::is_uuid(id)) throw product_not_found();
  return db_.write([&](db::Connection& c) {
    auto p = repo_.find_live(c, id, /*for_update=*/true);
    if (!p) throw product_not_found();
    apply(*p, patch);
    p->updated_at = std::max(clock_.now_ms(), p->created_at);
    repo_.update(c, *p);
    return std::move(*p);
  });
}

void ProductService::remove(const std::string& id) {
  if (!core::is_uuid(id)) throw product_not_found();
  const int64_t now = clock_.now_ms();
  const bool deleted = db_.write([&](db::Connection& c) { return repo_.soft_delete(c, id, now); });
  if (!deleted) throw product_not_found();
}

PageOf<Product> ProductService::list(const ProductQuery& q) {
  return read_page(db_, repo_, q);
}

std::vector<CategoryCount> ProductService::categories() {
  auto all = db_.read([&](db::Connection& c) { return repo_.categories(c); });
  std::sort(all.begin(), all.end(),
            [](const CategoryCount& a, const CategoryCount& b) { return a.name < b.name; });
  return all;
}

}  // namespace o4o::services::ecommerce
