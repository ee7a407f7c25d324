#include "services/ecommerce/product_repository.hpp"

#include <string_view>

#include "core/text.hpp"
#include "db/statement.hpp"
#include "services/ecommerce/rules.hpp"

namespace o4o::services::ecommerce {
namespace {

// Column order read by product_from_row.
constexpr std::string_view kSelectProduct =
    "SELECT id, name, description, image_url, price, category, stock, created_at, updated_at "
    "FROM products ";
constexpr std::string_view kWhereIdLive = "WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view kInsert =
    "INSERT INTO products (id, name, description, image_url, price, category, stock, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kUpdate =
    "UPDATE products SET name = $2, description = $3, image_url = $4, price = $5, category = $6, "
    "stock = $7, updated_at = $8 WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view kSoftDelete =
    "UPDATE products SET deleted_at = $2, updated_at = $2 WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view kCountProducts = "SELECT COUNT(*) FROM products ";
constexpr std::string_view kWhereLive = "WHERE deleted_at IS NULL";
// Filters appended to kWhereLive; "$?" is replaced by the parameter's placeholder.
constexpr std::string_view kAndCategory = " AND category = $?";
constexpr std::string_view kAndTextSqlite =
    " AND (name LIKE $? ESCAPE '\\' OR description LIKE $? ESCAPE '\\')";
constexpr std::string_view kAndTextPostgres =
    " AND (name ILIKE $? ESCAPE '\\' OR description ILIKE $? ESCAPE '\\')";
constexpr std::string_view kOrderPriceAsc = " ORDER BY price ASC, seq ASC";
constexpr std::string_view kOrderPriceDesc = " ORDER BY price DESC, seq ASC";
constexpr std::string_view kOrderCreatedAsc = " ORDER BY created_at ASC, seq ASC";
constexpr std::string_view kOrderCreatedDesc = " ORDER BY created_at DESC, seq DESC";
constexpr std::string_view kCategories =
    "SELECT category, COUNT(*) FROM products WHERE deleted_at IS NULL GROUP BY category";
constexpr std::string_view kExistsNamed =
    "SELECT 1 FROM products WHERE name = $1 AND deleted_at IS NULL";
constexpr std::string_view kTakeStock =
    "UPDATE products SET stock = stock - $1, updated_at = $3 "
    "WHERE id = $2 AND deleted_at IS NULL AND stock >= $1 RETURNING name, price";
constexpr std::string_view kLiveStock =
    "SELECT stock FROM products WHERE id = $1 AND deleted_at IS NULL";
constexpr std::string_view kReturnStock =
    "UPDATE products SET stock = stock + $1, updated_at = $3 WHERE id = $2";

Product product_from_row(const db::Row& r) {
  return Product{r.str(0), r.str(1), r.str(2), r.opt_str(3), r.i64(4),
                 r.str(5), r.i64(6), r.i64(7), r.i64(8)};
}

std::string_view order_by(ProductSort sort) {
  switch (sort) {
    case ProductSort::price_asc:
      return kOrderPriceAsc;
    case ProductSort::price_desc:
      return kOrderPriceDesc;
    case ProductSort::created_asc:
      return kOrderCreatedAsc;
    case ProductSort::created_desc:
      break;
  }
  return kOrderCreatedDesc;
}

// The WHERE clause of a catalogue query; its parameters are bound to st in order.
std::string where_clause(db::Dialect dialect, const ProductQuery& q, db::Statement& st) {
  std::string sql(kWhereLive);
  if (q.category) db::append_fragment(sql, kAndCategory, st.bind(*q.category));
  if (q.text)
    db::append_fragment(sql, dialect == db::Dialect::postgres ? kAndTextPostgres : kAndTextSqlite,
                        st.bind(core::like_contains_pattern(*q.text)));
  return sql;
}

}  // namespace

std::optional<Product> ProductRepository::find_live(db::Connection& c, const std::string& id,
                                                    bool for_update) const {
  // The platform's hot read path: one indexed SELECT by id, its text built once.
  static const std::string kFind = std::string(kSelectProduct) + std::string(kWhereIdLive);
  auto row = for_update ? c.query_one(kFind + std::string(c.for_update()), {id})
                        : c.query_one(kFind, {id});
  if (!row) return std::nullopt;
  return product_from_row(*row);
}

void ProductRepository::insert(db::Connection& c, const Product& p) const {
  c.exec(kInsert, {p.id, p.name, p.description, p.image_url, p.price, p.category, p.stock,
                   p.created_at, p.updated_at});
}

void ProductRepository::update(db::Connection& c, const Product& p) const {
  c.exec(kUpdate,
         {p.id, p.name, p.description, p.image_url, p.price, p.category, p.stock, p.updated_at});
}

bool ProductRepository::soft_delete(db::Connection& c, const std::string& id, int64_t now) const {
  return c.exec(kSoftDelete, {id, now}) > 0;
}

std::vector<Product> ProductRepository::list(db::Connection& c, const ProductQuery& q) const {
  db::Statement st;
  std::string sql(kSelectProduct);
  sql += where_clause(c.dialect(), q, st);
  sql += order_by(q.sort);
  sql += st.limit_offset(q.page.limit, q.page.offset());
  auto result = c.query(sql, st.params());
  std::vector<Product> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back(product_from_row(row));
  return out;
}

int64_t ProductRepository::count(db::Connection& c, const ProductQuery& q) const {
  db::Statement st;
  std::string sql(kCountProducts);
  sql += where_clause(c.dialect(), q, st);
  auto result = c.query(sql, st.params());
  return result.rows.empty() ? 0 : result.rows.front().i64(0);
}

std::vector<CategoryCount> ProductRepository::categories(db::Connection& c) const {
  std::vector<CategoryCount> out;
  for (const auto& row : c.query(kCategories).rows) out.push_back({row.str(0), row.i64(1)});
  return out;
}

bool ProductRepository::exists_named(db::Connection& c, const std::string& name) const {
  return c.query_one(kExistsNamed, {name}).has_value();
}

std::optional<TakenStock> ProductRepository::take_stock(db::Connection& c, const std::string& id,
                                                        int64_t quantity, int64_t now) const {
  auto row = c.query_one(kTakeStock, {quantity, id, now});
  if (!row) return std::nullopt;
  return TakenStock{row->str(0), row->i64(1)};
}

std::optional<int64_t> ProductRepository::live_stock(db::Connection& c,
                                                     const std::string& id) const {
  auto row = c.query_one(kLiveStock, {id});
  if (!row) return std::nullopt;
  return row->i64(0);
}

void ProductRepository::return_stock(db::Connection& c, const std::string& id, int64_t quantity,
                                     int64_t now) const {
  c.exec(kReturnStock, {quantity, id, now});
}

}  // namespace o4o::services::ecommerce
