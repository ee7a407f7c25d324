#include "services/ecommerce/requests.hpp"

#include <array>
#include <string_view>

#include "core/pagination.hpp"
#include "services/ecommerce/order_service.hpp"
#include "services/ecommerce/rules.hpp"

namespace o4o::services::ecommerce {
namespace {

using core::Need;

constexpr std::size_t kNameMax = 200;
constexpr std::size_t kDescriptionMax = 10000;
constexpr std::size_t kCategoryMax = 60;
constexpr std::size_t kShippingNameMax = 100;
constexpr std::size_t kPhoneMax = 40;
constexpr std::size_t kAddressMax = 500;
constexpr std::size_t kPostalCodeMax = 20;

bool is_explicit_null(const core::JsonBody& body, std::string_view field) {
  const auto* v = body.object().if_contains(field);
  return v != nullptr && v->is_null();
}

std::optional<Shipping> parse_shipping(core::JsonBody& body) {
  const auto* v = body.get("shipping");
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_object()) {
    body.fail("shipping", "shipping must be an object");
    return std::nullopt;
  }
  auto s = core::nested(*v, "shipping", body);
  auto name = s.string("name", Need::required, 1, kShippingNameMax);
  auto phone = s.string("phone", Need::required, 1, kPhoneMax);
  auto address = s.string("address", Need::required, 1, kAddressMax);
  auto postal = s.string("postalCode", Need::required, 1, kPostalCodeMax);
  if (!name || !phone || !address || !postal) return std::nullopt;
  return Shipping{*name, *phone, *address, *postal};
}

std::vector<RequestedLine> parse_lines(core::JsonBody& body) {
  std::vector<RequestedLine> lines;
  const auto* v = body.get("items");
  if (v == nullptr || v->is_null()) {
    body.fail("items", "items is required");
    return lines;
  }
  if (!v->is_array()) {
    body.fail("items", "items must be an array");
    return lines;
  }
  const auto& items = v->as_array();
  if (items.empty() || items.size() > kMaxOrderLines) {
    body.fail("items", "items must hold 1 to " + std::to_string(kMaxOrderLines) + " lines");
    return lines;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = "items[" + std::to_string(i) + "]";
    if (!items[i].is_object()) {
      body.fail(path, path + " must be an object");
      continue;
    }
    auto line = core::nested(items[i], path, body);
    auto product_id = line.id("productId", Need::required);
    auto quantity = line.integer("quantity", Need::required, 1);
    if (product_id && quantity) lines.push_back({*product_id, *quantity});
  }
  return lines;
}

}  // namespace

NewProduct parse_new_product(core::JsonBody& body) {
  auto name = body.string("name", Need::required, 1, kNameMax);
  auto description = body.string("description", Need::optional, 0, kDescriptionMax, false);
  auto image_url = body.url("imageUrl", Need::optional);
  auto price = body.integer("price", Need::required);
  auto category = body.string("category", Need::required, 1, kCategoryMax);
  auto stock = body.integer("stock", Need::required);
  body.finish();
  return NewProduct{*name, description.value_or(""), image_url, *price, *category, *stock};
}

ProductPatch parse_product_patch(core::JsonBody& body) {
  for (std::string_view field : {"name", "description", "price", "category", "stock"}) {
    if (is_explicit_null(body, field))
      body.fail(std::string(field), std::string(field) + " must not be null");
  }
  ProductPatch patch;
  if (body.has("name")) patch.name = body.string("name", Need::required, 1, kNameMax);
  if (body.has("description")) {
    patch.description = body.string("description", Need::required, 0, kDescriptionMax, false);
  }
  if (is_explicit_null(body, "imageUrl")) {
    patch.image_url = std::optional<std::string>{};
  } else if (body.has("imageUrl")) {
    if (auto url = body.url("imageUrl", Need::required)) patch.image_url = url;
  }
  if (body.has("price")) patch.price = body.integer("price", Need::required);
  if (body.has("category")) {
    patch.category = body.string("category", Need::required, 1, kCategoryMax);
  }
  if (body.has("stock")) patch.stock = body.integer("stock", Need::required);
  body.finish();
  return patch;
}

NewOrder parse_new_order(core::JsonBody& body) {
  NewOrder order;
  order.lines = parse_lines(body);
  order.shipping = parse_shipping(body);
  body.finish();
  return order;
}

std::string parse_order_status(core::JsonBody& body) {
  auto status = body.one_of("status", Need::required, order_statuses());
  body.finish();
  return *status;
}

ProductQuery parse_product_query(const core::Request& req) {
  ProductQuery q;
  q.page = core::parse_page(req);
  q.category = core::query_text(req, "category", kCategoryMax);
  if (q.category && q.category->empty()) q.category.reset();
  q.text = core::query_text(req, "q", kNameMax);
  if (q.text && q.text->empty()) q.text.reset();
  if (auto sort = core::query_enum(req, "sort", {"price", "-price", "createdAt", "-createdAt"})) {
    q.sort = parse_sort(*sort).value_or(ProductSort::created_desc);
  }
  return q;
}

OrderQuery parse_order_query(const core::Request& req, const core::AuthUser& caller) {
  OrderQuery q;
  q.page = core::parse_page(req);
  q.status = core::query_enum(req, "status", order_statuses());
  if (caller.is_admin()) {
    q.user_id = core::query_text(req, "userId", 100);
    if (q.user_id && q.user_id->empty()) q.user_id.reset();
    q.email = core::query_text(req, "email", 320);
    if (q.email && q.email->empty()) q.email.reset();
  } else {
    q.user_id = caller.id;
  }
  return q;
}

}  // namespace o4o::services::ecommerce
