#pragma once
// Catalogue rules: products are created and changed by admins, soft-deleted so that orders keep
// pointing at them, and listed by anyone.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/read_cache.hpp"
#include "db/database.hpp"
#include "services/ecommerce/model.hpp"
#include "services/ecommerce/product_repository.hpp"

namespace o4o::services::ecommerce {

class ProductService {
 public:
  // cache: where rendered products and first list pages are kept (null: none).
  ProductService(db::Database& db, const core::Clock& clock, core::ReadCache* cache = nullptr,
                 ProductRepository repo = {})
      : db_(db), clock_(clock), cache_(cache), repo_(repo) {}

  Product create(const NewProduct& in);
  // 404 NOT_FOUND when unknown or deleted.
  Product get(const std::string& id);
  Product update(const std::string& id, const ProductPatch& patch);
  void remove(const std::string& id);
  PageOf<Product> list(const ProductQuery& q);
  // Categories of live products, ordered by name (byte order).
  std::vector<CategoryCount> categories();

  // The contract's JSON of get(id) and of list(q), serialized, from the read cache when it holds
  // them: a product, and a list's first page without a text search.
  core::ReadCache::Text get_json(const std::string& id);
  core::ReadCache::Text list_json(const ProductQuery& q);
  // The read cache's keys of get_json(id) and list_json(q); nullopt for what is not cached (an id
  // we could not have issued, a search, a later page). The routes name the same keys to answer
  // hits on the IO thread.
  static std::optional<std::string> product_key(std::string_view id);
  static std::optional<std::string> list_key(const ProductQuery& q);

 private:
  db::Database& db_;
  const core::Clock& clock_;
  core::ReadCache* cache_;
  ProductRepository repo_;
};

}  // namespace o4o::services::ecommerce
