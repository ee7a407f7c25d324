// The e-commerce services against a real SQLite database in a temporary folder.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "db/database.hpp"
#include "services/ecommerce/order_service.hpp"
#include "services/ecommerce/product_service.hpp"
#include "support/temp_database.hpp"

namespace ec = o4o::services::ecommerce;
namespace fs = std::filesystem;
using o4o::core::ApiError;

namespace {

class EcommerceService : public o4o::unit_test::TempSqliteTest {
 protected:
  void SetUp() override {
    TempSqliteTest::SetUp();
    db_->migrate();
    products_ = std::make_unique<ec::ProductService>(*db_, clock_);
    orders_ = std::make_unique<ec::OrderService>(*db_, clock_);
    buyer_ = add_user("user");
    other_ = add_user("user");
    admin_ = add_user("admin");
  }
  void TearDown() override {
    orders_.reset();
    products_.reset();
    TempSqliteTest::TearDown();
  }

  ec::Product add_product(const std::string& name, int64_t price, int64_t stock,
                          const std::string& category = "misc") {
    clock_.advance_ms(1);
    return products_->create({name, "about " + name, std::nullopt, price, category, stock});
  }

  int64_t stock_of(const std::string& id) { return products_->get(id).stock; }

  static std::string error_code(const std::function<void()>& f) {
    try {
      f();
    } catch (const ApiError& e) {
      return std::to_string(e.status()) + " " + e.code();
    }
    return "no error";
  }

  o4o::core::ManualClock clock_;
  std::unique_ptr<ec::ProductService> products_;
  std::unique_ptr<ec::OrderService> orders_;
  o4o::core::AuthUser buyer_, other_, admin_;
};

TEST_F(EcommerceService, OrderTakesStockAndPricesFromTheCatalogue) {
  const auto tea = add_product("Tea", 1200, 10);
  const auto jam = add_product("Jam", 800, 5);
  const auto order = orders_->place(buyer_.id, {{{jam.id, 2}, {tea.id, 1}, {jam.id, 1}}, {}});
  ASSERT_EQ(order.items.size(), 2u);
  EXPECT_EQ(order.items[0].product_id, jam.id);
  EXPECT_EQ(order.items[0].quantity, 3);
  EXPECT_EQ(order.items[0].subtotal, 2400);
  EXPECT_EQ(order.items[1].name, "Tea");
  EXPECT_EQ(order.total, 2400 + 1200);
  EXPECT_EQ(order.status, "pending");
  EXPECT_EQ(stock_of(jam.id), 2);
  EXPECT_EQ(stock_of(tea.id), 9);
}

TEST_F(EcommerceService, ShortOrderChangesNothingAndReportsEveryShortLine) {
  const auto a = add_product("A", 100, 1);
  const auto b = add_product("B", 100, 5);
  const auto c = add_product("C", 100, 0);
  try {
    orders_->place(buyer_.id, {{{a.id, 2}, {b.id, 5}, {c.id, 1}}, {}});
    FAIL() << "expected OUT_OF_STOCK";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 409);
    EXPECT_EQ(e.code(), "OUT_OF_STOCK");
    const auto& details = e.details().as_array();
    ASSERT_EQ(details.size(), 2u);
    EXPECT_EQ(details[0].at("productId").as_string(), a.id);
    EXPECT_EQ(details[0].at("requested").as_int64(), 2);
    EXPECT_EQ(details[0].at("available").as_int64(), 1);
    EXPECT_EQ(details[1].at("productId").as_string(), c.id);
  }
  EXPECT_EQ(stock_of(a.id), 1);
  EXPECT_EQ(stock_of(b.id), 5);
  EXPECT_EQ(orders_->list({buyer_.id, std::nullopt, {}}).total, 0);
}

TEST_F(EcommerceService, UnknownOrDeletedProductIsAValidationError) {
  const auto a = add_product("A", 100, 3);
  const auto gone = add_product("Gone", 100, 3);
  products_->remove(gone.id);
  EXPECT_EQ(error_code([&] {
              orders_->place(buyer_.id, {{{a.id, 1}, {gone.id, 1}}, {}});
            }),
            "400 VALIDATION_ERROR");
  EXPECT_EQ(error_code([&] {
              orders_->place(buyer_.id, {{{o4o::core::new_uuid(), 1}}, {}});
            }),
            "400 VALIDATION_ERROR");
  EXPECT_EQ(stock_of(a.id), 3);
}

TEST_F(EcommerceService, CancelReturnsStockOnceAndFollowsTheLifecycle) {
  const auto a = add_product("A", 100, 3);
  const auto order = orders_->place(buyer_.id, {{{a.id, 2}}, {}});
  EXPECT_EQ(error_code([&] { orders_->transition(other_, order.id, "cancelled"); }),
            "404 NOT_FOUND");
  EXPECT_EQ(error_code([&] { orders_->transition(buyer_, order.id, "paid"); }),
            "409 INVALID_TRANSITION");
  EXPECT_EQ(orders_->transition(buyer_, order.id, "cancelled").status, "cancelled");
  EXPECT_EQ(stock_of(a.id), 3);
  EXPECT_EQ(error_code([&] { orders_->transition(buyer_, order.id, "cancelled"); }),
            "409 INVALID_TRANSITION");
  EXPECT_EQ(error_code([&] { orders_->transition(admin_, order.id, "cancelled"); }),
            "409 INVALID_TRANSITION");
  EXPECT_EQ(stock_of(a.id), 3);
}

TEST_F(EcommerceService, AdminMovesAlongTheArrows) {
  const auto a = add_product("A", 100, 3);
  const auto order = orders_->place(buyer_.id, {{{a.id, 1}}, {}});
  EXPECT_EQ(orders_->transition(admin_, order.id, "paid").status, "paid");
  EXPECT_EQ(error_code([&] { orders_->transition(buyer_, order.id, "cancelled"); }),
            "409 INVALID_TRANSITION");
  EXPECT_EQ(error_code([&] { orders_->transition(admin_, order.id, "delivered"); }),
            "409 INVALID_TRANSITION");
  EXPECT_EQ(orders_->transition(admin_, order.id, "shipped").status, "shipped");
  EXPECT_EQ(error_code([&] { orders_->transition(admin_, order.id, "cancelled"); }),
            "409 INVALID_TRANSITION");
  EXPECT_EQ(orders_->transition(admin_, order.id, "delivered").status, "delivered");
  EXPECT_EQ(stock_of(a.id), 2);
}

TEST_F(EcommerceService, DeletedProductKeepsOrderItems) {
  const auto a = add_product("Lamp", 4500, 3);
  const auto order = orders_->place(buyer_.id, {{{a.id, 1}}, {}});
  products_->update(a.id, {.name = "Renamed", .price = 9999});
  products_->remove(a.id);
  EXPECT_EQ(error_code([&] { products_->get(a.id); }), "404 NOT_FOUND");
  EXPECT_EQ(error_code([&] { products_->remove(a.id); }), "404 NOT_FOUND");
  const auto again = orders_->get(buyer_, order.id);
  ASSERT_EQ(again.items.size(), 1u);
  EXPECT_EQ(again.items[0].product_id, a.id);
  EXPECT_EQ(again.items[0].name, "Lamp");
  EXPECT_EQ(again.items[0].unit_price, 4500);
}

TEST_F(EcommerceService, ListFiltersSearchesAndSorts) {
  const auto cheap = add_product("Green tea 100%", 500, 1, "food");
  const auto dear = add_product("Black TEA", 900, 1, "food");
  const auto lamp = add_product("Lamp", 700, 1, "home");
  ec::ProductQuery q;
  q.text = "tea";
  q.sort = ec::ProductSort::price_desc;
  auto page = products_->list(q);
  ASSERT_EQ(page.total, 2);
  EXPECT_EQ(page.items[0].id, dear.id);
  EXPECT_EQ(page.items[1].id, cheap.id);

  q = {};
  q.text = "0%";
  EXPECT_EQ(products_->list(q).total, 1);
  q.text = "_";
  EXPECT_EQ(products_->list(q).total, 0);

  q = {};
  q.category = "home";
  page = products_->list(q);
  ASSERT_EQ(page.total, 1);
  EXPECT_EQ(page.items[0].id, lamp.id);

  q = {};
  page = products_->list(q);
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(page.items[0].id, lamp.id);  // newest first by default

  products_->remove(lamp.id);
  const auto categories = products_->categories();
  ASSERT_EQ(categories.size(), 1u);
  EXPECT_EQ(categories[0].name, "food");
  EXPECT_EQ(categories[0].count, 2);
}

TEST_F(EcommerceService, OrdersAreListedNewestFirstPerUser) {
  const auto a = add_product("A", 100, 10);
  const auto first = orders_->place(buyer_.id, {{{a.id, 1}}, {}});
  const auto second = orders_->place(buyer_.id, {{{a.id, 1}}, {}});  // same millisecond
  orders_->place(other_.id, {{{a.id, 1}}, {}});
  const auto mine = orders_->list({buyer_.id, std::nullopt, {}});
  ASSERT_EQ(mine.total, 2);
  EXPECT_EQ(mine.items[0].id, second.id);
  EXPECT_EQ(mine.items[1].id, first.id);
  EXPECT_EQ(mine.items[1].items.size(), 1u);
  EXPECT_EQ(orders_->list({std::nullopt, std::nullopt, {}}).total, 3);
}

}  // namespace
