#include "services/ecommerce/order_repository.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <string_view>
#include <unordered_map>

#include "core/text.hpp"
#include "db/statement.hpp"

namespace o4o::services::ecommerce {
namespace {

constexpr std::string_view kInsertOrder =
    "INSERT INTO orders (id, user_id, total, status, shipping_name, shipping_phone, "
    "shipping_address, shipping_postal_code, created_at, updated_at, pay_by) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
// PostgreSQL: the whole order (migration 302); $12 lists the items in lock order.
constexpr std::string_view kPlaceAsPriced =
    "SELECT o4o_place_order($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb)";
// SQLite: one item's stock, under the same conditions as o4o_place_order's.
constexpr std::string_view kTakeStockAsPriced =
    "UPDATE products SET stock = stock - $1, updated_at = $3 WHERE id = $2 AND deleted_at IS NULL "
    "AND stock >= $1 AND price = $4 AND name = $5";
constexpr std::string_view kInsertItem =
    "INSERT INTO order_items (order_id, line_no, product_id, name, unit_price, quantity, "
    "subtotal) VALUES ($1, $2, $3, $4, $5, $6, $7)";
// Column order read by order_from_row.
constexpr std::string_view kSelectOrder =
    "SELECT id, user_id, total, status, shipping_name, shipping_phone, shipping_address, "
    "shipping_postal_code, created_at, updated_at, pay_by FROM orders ";
constexpr std::string_view kWhereId = "WHERE id = $1";
constexpr std::string_view kState = "SELECT user_id, status FROM orders WHERE id = $1";
constexpr std::string_view kSetStatus =
    "UPDATE orders SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2";
constexpr std::string_view kCountOrders = "SELECT COUNT(*) FROM orders ";
// Filters; "$?" is replaced by the parameter's placeholder.
constexpr std::string_view kWhereTrue = "WHERE 1 = 1";
constexpr std::string_view kAndUser = " AND user_id = $?";
constexpr std::string_view kAndStatus = " AND status = $?";
// The buyer's email contains the text, case-insensitively ($? is a LIKE pattern).
constexpr std::string_view kAndEmail =
    " AND user_id IN (SELECT id FROM users WHERE lower(email) LIKE lower($?) ESCAPE '\\')";
constexpr std::string_view kNewestFirst = " ORDER BY created_at DESC, seq DESC";
// Items of several orders: "$?" is replaced by the list of placeholders.
constexpr std::string_view kItemsOf =
    "SELECT order_id, product_id, name, unit_price, quantity, subtotal FROM order_items "
    "WHERE order_id IN ($?) ORDER BY order_id, line_no";
constexpr std::string_view kMarkPaid =
    "UPDATE orders SET status = 'paid', pay_by = NULL, updated_at = $2 "
    "WHERE id = $1 AND status = 'pending'";
constexpr std::string_view kUnpaidPast =
    "SELECT id FROM orders WHERE pay_by IS NOT NULL AND pay_by <= $1 AND status = 'pending' "
    "ORDER BY pay_by LIMIT $2";
constexpr std::string_view kAnyOfUser = "SELECT 1 FROM orders WHERE user_id = $1 LIMIT 1";

Order order_from_row(const db::Row& r) {
  Order o;
  o.id = r.str(0);
  o.user_id = r.str(1);
  o.total = r.i64(2);
  o.status = r.str(3);
  if (!r.is_null(4)) o.shipping = Shipping{r.str(4), r.str(5), r.str(6), r.str(7)};
  o.created_at = r.i64(8);
  o.updated_at = r.i64(9);
  o.pay_by = r.opt_i64(10);
  return o;
}

std::string where_clause(const OrderQuery& q, db::Statement& st) {
  std::string sql(kWhereTrue);
  if (q.user_id) db::append_fragment(sql, kAndUser, st.bind(*q.user_id));
  if (q.status) db::append_fragment(sql, kAndStatus, st.bind(*q.status));
  if (q.email) db::append_fragment(sql, kAndEmail, st.bind(core::like_contains_pattern(*q.email)));
  return sql;
}

// Fills in the items of the given orders with one query.
void attach_items(db::Connection& c, std::vector<Order>& orders) {
  if (orders.empty()) return;
  std::vector<db::Param> ids;
  std::unordered_map<std::string, Order*> by_id;
  for (auto& o : orders) {
    ids.emplace_back(o.id);
    by_id.emplace(o.id, &o);
  }
  db::Statement st;
  std::string sql;
  db::append_fragment(sql, kItemsOf, st.bind_list(std::move(ids)));
  for (const auto& r : c.query(sql, st.params()).rows) {
    auto it = by_id.find(r.str(0));
    if (it == by_id.end()) continue;
    it->second->items.push_back({r.str(1), r.str(2), r.i64(3), r.i64(4), r.i64(5)});
  }
}

}  // namespace

namespace {

db::Param shipping_field(const Order& o, const std::string Shipping::*member) {
  if (!o.shipping) return nullptr;
  return (*o.shipping).*member;
}

// The order's own columns, in the order kInsertOrder and o4o_place_order take them.
std::vector<db::Param> order_params(const Order& o) {
  return {o.id,
          o.user_id,
          o.total,
          o.status,
          shipping_field(o, &Shipping::name),
          shipping_field(o, &Shipping::phone),
          shipping_field(o, &Shipping::address),
          shipping_field(o, &Shipping::postal_code),
          o.created_at,
          o.updated_at,
          o.pay_by};
}

}  // namespace

void OrderRepository::insert(db::Connection& c, const Order& o) const {
  // Deferred: nothing here needs their results (PostgreSQL sends them with the next statement).
  c.exec_deferred(kInsertOrder, order_params(o));
  int64_t line_no = 0;
  for (const auto& item : o.items) {
    c.exec_deferred(kInsertItem, {o.id, ++line_no, item.product_id, item.name, item.unit_price,
                                  item.quantity, item.subtotal});
  }
}

void OrderRepository::insert_as_priced(db::Connection& c, const Order& o,
                                       const std::vector<std::size_t>& locking) const {
  if (c.dialect() == db::Dialect::sqlite) {
    for (const std::size_t i : locking) {
      const auto& item = o.items.at(i);
      if (c.exec(kTakeStockAsPriced,
                 {item.quantity, item.product_id, o.created_at, item.unit_price, item.name}) != 1)
        throw db::RetryableError("product " + item.product_id + " is not as the order was priced");
    }
    insert(c, o);
    return;
  }
  boost::json::array lines;
  for (const std::size_t i : locking) {
    const auto& item = o.items.at(i);
    lines.push_back(boost::json::object{{"line_no", static_cast<int64_t>(i + 1)},
                                        {"product_id", item.product_id},
                                        {"name", item.name},
                                        {"unit_price", item.unit_price},
                                        {"quantity", item.quantity},
                                        {"subtotal", item.subtotal}});
  }
  auto params = order_params(o);
  params.emplace_back(boost::json::serialize(lines));
  c.exec_deferred(kPlaceAsPriced, params);
}

std::optional<Order> OrderRepository::find(db::Connection& c, const std::string& id) const {
  std::string sql(kSelectOrder);
  sql += kWhereId;
  auto row = c.query_one(sql, {id});
  if (!row) return std::nullopt;
  std::vector<Order> one{order_from_row(*row)};
  attach_items(c, one);
  return std::move(one.front());
}

std::optional<OrderState> OrderRepository::state(db::Connection& c, const std::string& id,
                                                 bool for_update) const {
  std::string sql(kState);
  if (for_update) sql += c.for_update();
  auto row = c.query_one(sql, {id});
  if (!row) return std::nullopt;
  return OrderState{row->str(0), row->str(1)};
}

bool OrderRepository::set_status(db::Connection& c, const std::string& id,
                                 std::string_view expected, std::string_view next,
                                 int64_t now) const {
  return c.exec(kSetStatus, {id, expected, next, now}) > 0;
}

std::vector<Order> OrderRepository::list(db::Connection& c, const OrderQuery& q) const {
  db::Statement st;
  std::string sql(kSelectOrder);
  sql += where_clause(q, st);
  sql += kNewestFirst;
  sql += st.limit_offset(q.page.limit, q.page.offset());
  std::vector<Order> out;
  for (const auto& row : c.query(sql, st.params()).rows) {
    out.push_back(order_from_row(row));
  }
  attach_items(c, out);
  return out;
}

int64_t OrderRepository::count(db::Connection& c, const OrderQuery& q) const {
  db::Statement st;
  std::string sql(kCountOrders);
  sql += where_clause(q, st);
  auto result = c.query(sql, st.params());
  return result.rows.empty() ? 0 : result.rows.front().i64(0);
}

bool OrderRepository::any_of_user(db::Connection& c, const std::string& user_id) const {
  return c.query_one(kAnyOfUser, {user_id}).has_value();
}

bool OrderRepository::mark_paid(db::Connection& c, const std::string& id, int64_t now) const {
  return c.exec(kMarkPaid, {id, now}) == 1;
}

std::vector<std::string> OrderRepository::unpaid_past(db::Connection& c, int64_t now,
                                                      int limit) const {
  std::vector<std::string> out;
  for (const auto& r : c.query(kUnpaidPast, {now, limit}).rows) out.push_back(r.str(0));
  return out;
}

}  // namespace o4o::services::ecommerce
