#include "services/ecommerce/json.hpp"

#include "core/time_format.hpp"

namespace o4o::services::ecommerce {

boost::json::object product_json(const Product& p) {
  boost::json::object o;
  o["id"] = p.id;
  o["name"] = p.name;
  o["description"] = p.description;
  if (p.image_url) {
    o["imageUrl"] = *p.image_url;
  } else {
    o["imageUrl"] = nullptr;
  }
  o["price"] = p.price;
  o["category"] = p.category;
  o["stock"] = p.stock;
  o["createdAt"] = core::format_timestamp(p.created_at);
  o["updatedAt"] = core::format_timestamp(p.updated_at);
  return o;
}

boost::json::array categories_json(const std::vector<CategoryCount>& categories) {
  boost::json::array out;
  out.reserve(categories.size());
  for (const auto& c : categories)
    out.push_back(boost::json::object{{"name", c.name}, {"count", c.count}});
  return out;
}

namespace {
boost::json::array items_json(const std::vector<OrderItem>& items) {
  boost::json::array out;
  out.reserve(items.size());
  for (const auto& i : items) {
    out.push_back(boost::json::object{{"productId", i.product_id},
                                      {"name", i.name},
                                      {"unitPrice", i.unit_price},
                                      {"quantity", i.quantity},
                                      {"subtotal", i.subtotal}});
  }
  return out;
}
}  // namespace

boost::json::object quote_json(const Order& o, const std::string& currency) {
  boost::json::object out;
  out["items"] = items_json(o.items);
  out["total"] = o.total;
  out["currency"] = currency;
  return out;
}

boost::json::object order_json(const Order& o) {
  auto items = items_json(o.items);
  boost::json::object out;
  out["id"] = o.id;
  out["userId"] = o.user_id;
  out["items"] = std::move(items);
  out["total"] = o.total;
  out["status"] = o.status;
  if (o.shipping) {
    out["shipping"] = boost::json::object{{"name", o.shipping->name},
                                          {"phone", o.shipping->phone},
                                          {"address", o.shipping->address},
                                          {"postalCode", o.shipping->postal_code}};
  } else {
    out["shipping"] = nullptr;
  }
  // A pending order is cancelled if still unpaid then (null: no limit, or no longer pending).
  if (o.pay_by && o.status == "pending") {
    out["payBy"] = core::format_timestamp(*o.pay_by);
  } else {
    out["payBy"] = nullptr;
  }
  out["createdAt"] = core::format_timestamp(o.created_at);
  out["updatedAt"] = core::format_timestamp(o.updated_at);
  return out;
}

}  // namespace o4o::services::ecommerce
