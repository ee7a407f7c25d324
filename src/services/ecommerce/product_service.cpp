#include "services/ecommerce/product_service.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/pagination.hpp"
#include "services/ecommerce/cached.hpp"
#include "services/ecommerce/json.hpp"
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
  db_.write([&](db::Connection& c) {
    repo_.insert(c, p);
    cached::product_added(c);
  });
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
    cached::product_changed(c, id);
    return std::move(*p);
  });
}

void ProductService::remove(const std::string& id) {
  if (!core::is_uuid(id)) throw product_not_found();
  const int64_t now = clock_.now_ms();
  const bool deleted = db_.write([&](db::Connection& c) {
    cached::product_changed(c, id);
    return repo_.soft_delete(c, id, now);
  });
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

std::optional<std::string> ProductService::product_key(std::string_view id) {
  if (!core::is_uuid(id)) return std::nullopt;
  return "ecommerce.product:" + std::string(id);
}

std::optional<std::string> ProductService::list_key(const ProductQuery& q) {
  // Searches are many and each rare; the first page of each category and sort is what is hot.
  if (q.text || q.page.page != 1) return std::nullopt;
  std::string key = "ecommerce.products?limit=" + std::to_string(q.page.limit) +
                    "&sort=" + std::to_string(static_cast<int>(q.sort));
  if (q.category) key += "&category=" + *q.category;
  return key;
}

core::ReadCache::Text ProductService::get_json(const std::string& id) {
  auto render = [&] { return core::ReadCache::Fresh{boost::json::serialize(product_json(get(id)))}; };
  const auto key = product_key(id);
  if (!cache_ || !key) return std::make_shared<const std::string>(render().json);
  return cache_->get(*key, {cached::product_tag(id)}, clock_.now_ms(), render);
}

core::ReadCache::Text ProductService::list_json(const ProductQuery& q) {
  auto render = [&] {
    return core::ReadCache::Fresh{
        boost::json::serialize(core::page_json(list(q), q.page, product_json))};
  };
  const auto key = list_key(q);
  if (!cache_ || !key) return std::make_shared<const std::string>(render().json);
  return cache_->get(*key, {cached::kProductLists}, clock_.now_ms(), render);
}

}  // namespace o4o::services::ecommerce
