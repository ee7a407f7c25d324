#pragma once
// What e-commerce keeps in the read cache (core/read_cache.hpp) and the change notes its writes
// make (db::Connection::note_change): a product by id, and the first pages of the product list.
#include <string>

#include "db/database.hpp"

namespace o4o::services::ecommerce::cached {

inline std::string product_tag(const std::string& id) {
  return "ecommerce.product:" + id;
}
inline const std::string kProductLists = "ecommerce.products";

// A product's row changed (stock, price, text, deletion): its entry and every list page go.
inline void product_changed(db::Connection& c, const std::string& id) {
  c.note_change(product_tag(id));
  c.note_change(kProductLists);
}
// A product appeared: list pages go.
inline void product_added(db::Connection& c) {
  c.note_change(kProductLists);
}

}  // namespace o4o::services::ecommerce::cached
