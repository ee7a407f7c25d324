#pragma once
// SQL for the catalogue: each statement a named constant, parameters in, rows out.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "services/ecommerce/model.hpp"

namespace o4o::services::ecommerce {

// What taking stock for an order line returns: the catalogue's name and price at that moment.
struct TakenStock {
  std::string name;
  int64_t price = 0;
};

class ProductRepository {
 public:
  // A product that is not deleted; for_update locks the row on PostgreSQL.
  std::optional<Product> find_live(db::Connection& c, const std::string& id,
                                   bool for_update = false) const;
  void insert(db::Connection& c, const Product& p) const;
  // Writes every mutable column of a live product.
  void update(db::Connection& c, const Product& p) const;
  // Sets deleted_at; false when there was no live product with that id.
  bool soft_delete(db::Connection& c, const std::string& id, int64_t now) const;

  std::vector<Product> list(db::Connection& c, const ProductQuery& q) const;
  int64_t count(db::Connection& c, const ProductQuery& q) const;
  // Categories of live products with their counts, in no particular order.
  std::vector<CategoryCount> categories(db::Connection& c) const;
  bool exists_named(db::Connection& c, const std::string& name) const;

  // The conditional update that sells stock: nullopt when the product is unknown, deleted or
  // has less than quantity left (then nothing changed).
  std::optional<TakenStock> take_stock(db::Connection& c, const std::string& id, int64_t quantity,
                                       int64_t now) const;
  // Current stock of a live product; nullopt when unknown or deleted.
  std::optional<int64_t> live_stock(db::Connection& c, const std::string& id) const;
  // Puts units back (a cancelled order), deleted products included.
  void return_stock(db::Connection& c, const std::string& id, int64_t quantity, int64_t now) const;
};

}  // namespace o4o::services::ecommerce
