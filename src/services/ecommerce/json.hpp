#pragma once
// The contract's JSON shapes of products, categories and orders.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "services/ecommerce/model.hpp"

namespace o4o::services::ecommerce {

// {id, name, description, imageUrl|null, price, category, stock, createdAt, updatedAt}
boost::json::object product_json(const Product& p);
// [{name, count}]
boost::json::array categories_json(const std::vector<CategoryCount>& categories);
// {id, userId, items: [{productId, name, unitPrice, quantity, subtotal}], total, status,
//  shipping|null, createdAt, updatedAt}
boost::json::object order_json(const Order& o);
// What an order would be: {items (as in an order), total, currency}.
boost::json::object quote_json(const Order& o, const std::string& currency);

}  // namespace o4o::services::ecommerce
