#pragma once
// Catalogue rules: products are created and changed by admins, soft-deleted so that orders keep
// pointing at them, and listed by anyone.
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "services/ecommerce/model.hpp"
#include "services/ecommerce/product_repository.hpp"

namespace o4o::services::ecommerce {

class ProductService {
 public:
  ProductService(db::Database& db, const core::Clock& clock, ProductRepository repo = {})
      : db_(db), clock_(clock), repo_(repo) {}

  Product create(const NewProduct& in);
  // 404 NOT_FOUND when unknown or deleted.
  Product get(const std::string& id);
  Product update(const std::string& id, const ProductPatch& patch);
  void remove(const std::string& id);
  PageOf<Product> list(const ProductQuery& q);
  // Categories of live products, ordered by name (byte order).
  std::vector<CategoryCount> categories();

 private:
  db::Database& db_;
  const core::Clock& clock_;
  ProductRepository repo_;
};

}  // namespace o4o::services::ecommerce
