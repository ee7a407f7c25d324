// Reading request bodies and query strings into domain values.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/errors.hpp"
#include "services/ecommerce/requests.hpp"
#include "support/json_body.hpp"

namespace ec = o4o::services::ecommerce;
using o4o::core::ApiError;
using o4o::core::JsonBody;

namespace {

using o4o::unit_test::body;

// The fields named in a VALIDATION_ERROR, or "ok".
template <class F>
std::string failing_fields(F&& f) {
  try {
    f();
  } catch (const ApiError& e) {
    std::string out;
    for (const auto& d : e.details().as_array()) {
      if (!out.empty()) out += ",";
      out += d.at("field").as_string().c_str();
    }
    return out;
  }
  return "ok";
}

const char* kA = "11111111-1111-4111-8111-111111111111";

}  // namespace

TEST(EcommerceRequests, NewProductTrimsAndDefaults) {
  auto b = body(R"({"name":"  Tea ","price":0,"category":" food ","stock":3,"unitPrice":1})");
  const auto p = ec::parse_new_product(b);
  EXPECT_EQ(p.name, "Tea");
  EXPECT_EQ(p.category, "food");
  EXPECT_EQ(p.description, "");
  EXPECT_FALSE(p.image_url.has_value());
}

TEST(EcommerceRequests, NewProductReportsEveryBadField) {
  EXPECT_EQ(failing_fields([] {
              auto b =
                  body(R"({"name":"","price":-1,"category":"x","stock":1.5,"imageUrl":"ftp://x"})");
              ec::parse_new_product(b);
            }),
            "name,imageUrl,price,stock");
}

TEST(EcommerceRequests, PatchClearsImageWithNullButRefusesOtherNulls) {
  auto b = body(R"({"imageUrl":null,"price":5})");
  const auto patch = ec::parse_product_patch(b);
  ASSERT_TRUE(patch.image_url.has_value());
  EXPECT_FALSE(patch.image_url->has_value());
  EXPECT_EQ(patch.price, 5);
  EXPECT_FALSE(patch.name.has_value());
  EXPECT_EQ(failing_fields([] {
              auto b2 = body(R"({"name":null,"stock":null})");
              ec::parse_product_patch(b2);
            }),
            "name,stock");
}

TEST(EcommerceRequests, OrderLinesAndShipping) {
  auto b = body(R"({"items":[{"productId":"11111111-1111-4111-8111-111111111111","quantity":2,
                   "unitPrice":1}],"total":1,
                   "shipping":{"name":"Kim","phone":"010","address":"Seoul","postalCode":"04524"}})");
  const auto order = ec::parse_new_order(b);
  ASSERT_EQ(order.lines.size(), 1u);
  EXPECT_EQ(order.lines[0].product_id, kA);
  EXPECT_EQ(order.lines[0].quantity, 2);
  ASSERT_TRUE(order.shipping.has_value());
  EXPECT_EQ(order.shipping->postal_code, "04524");
}

TEST(EcommerceRequests, OrderProblemsNameTheirLine) {
  EXPECT_EQ(failing_fields([] {
              auto b = body(R"({"items":[{"productId":"x","quantity":0},3]})");
              ec::parse_new_order(b);
            }),
            "items[0].productId,items[0].quantity,items[1]");
  EXPECT_EQ(failing_fields([] {
              auto b = body(R"({"items":[]})");
              ec::parse_new_order(b);
            }),
            "items");
  EXPECT_EQ(failing_fields([] {
              auto b = body(
                  R"({"items":[{"productId":"11111111-1111-4111-8111-111111111111","quantity":1}],
                      "shipping":{"name":"Kim"}})");
              ec::parse_new_order(b);
            }),
            "shipping.phone,shipping.address,shipping.postalCode");
}

TEST(EcommerceRequests, StatusMustBeKnown) {
  auto ok = body(R"({"status":"shipped"})");
  EXPECT_EQ(ec::parse_order_status(ok), "shipped");
  EXPECT_EQ(failing_fields([] {
              auto b = body(R"({"status":"lost"})");
              ec::parse_order_status(b);
            }),
            "status");
}

TEST(EcommerceRequests, ProductQuery) {
  o4o::core::Request req;
  req.query = {{"q", "  tea "}, {"category", ""}, {"sort", "-price"}, {"limit", "5"}};
  const auto q = ec::parse_product_query(req);
  EXPECT_EQ(q.text, "tea");
  EXPECT_FALSE(q.category.has_value());
  EXPECT_EQ(q.sort, ec::ProductSort::price_desc);
  EXPECT_EQ(q.page.limit, 5);
  req.query = {{"sort", "name"}};
  EXPECT_EQ(failing_fields([&] { ec::parse_product_query(req); }), "sort");
}

TEST(EcommerceRequests, OrderQueryUserFilterIsForAdminsOnly) {
  o4o::core::Request req;
  req.query = {{"userId", "someone-else"}};
  EXPECT_EQ(ec::parse_order_query(req, {"me", "me@x.com", "user"}).user_id, "me");
  EXPECT_EQ(ec::parse_order_query(req, {"boss", "boss@x.com", "admin"}).user_id, "someone-else");
  req.query = {};
  EXPECT_FALSE(ec::parse_order_query(req, {"boss", "boss@x.com", "admin"}).user_id.has_value());
}
