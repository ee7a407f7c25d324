#pragma once
// Plain domain values of the e-commerce service: what the repositories read and write and what
// the routes render. No HTTP or database types here.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/pagination.hpp"

namespace o4o::services::ecommerce {

struct Product {
  std::string id;
  std::string name;
  std::string description;
  std::optional<std::string> image_url;
  int64_t price = 0;
  std::string category;
  int64_t stock = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct NewProduct {
  std::string name;
  std::string description;
  std::optional<std::string> image_url;
  int64_t price = 0;
  std::string category;
  int64_t stock = 0;
};

// A partial update: only the fields that are set change. image_url set to nullopt clears it.
struct ProductPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::optional<std::string>> image_url;
  std::optional<int64_t> price;
  std::optional<std::string> category;
  std::optional<int64_t> stock;
};

enum class ProductSort { price_asc, price_desc, created_asc, created_desc };

struct ProductQuery {
  std::optional<std::string> category;
  std::optional<std::string> text;  // ?q=, matched against name and description
  ProductSort sort = ProductSort::created_desc;
  core::Page page;
};

struct CategoryCount {
  std::string name;
  int64_t count = 0;
};

struct Shipping {
  std::string name;
  std::string phone;
  std::string address;
  std::string postal_code;
};

// One line of an order request, as the client sent it.
struct RequestedLine {
  std::string product_id;
  int64_t quantity = 0;
};

struct NewOrder {
  std::vector<RequestedLine> lines;
  std::optional<Shipping> shipping;
};

struct OrderItem {
  std::string product_id;
  std::string name;
  int64_t unit_price = 0;
  int64_t quantity = 0;
  int64_t subtotal = 0;
};

struct Order {
  std::string id;
  std::string user_id;
  std::vector<OrderItem> items;
  int64_t total = 0;
  std::string status;
  std::optional<Shipping> shipping;
  std::optional<int64_t> pay_by;  // pending orders placed since payments: cancelled if unpaid then
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct OrderQuery {
  std::optional<std::string> user_id;  // nullopt: every user's orders (admins only)
  std::optional<std::string> email;    // admins only: the buyer's email contains this
  std::optional<std::string> status;
  core::Page page;
};

// One page of a list: the platform's one page type.
using core::PageOf;

}  // namespace o4o::services::ecommerce
