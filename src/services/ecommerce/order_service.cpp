#include "services/ecommerce/order_service.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "mail/notify.hpp"
#include "services/ecommerce/cached.hpp"
#include "services/ecommerce/read_page.hpp"
#include "services/ecommerce/rules.hpp"

namespace o4o::services::ecommerce {
namespace {

core::ApiError order_not_found() {
  return core::err::not_found("Order not found");
}

core::ApiError invalid_transition(std::string_view from, std::string_view to) {
  return core::err::conflict("INVALID_TRANSITION", "An order that is " + std::string(from) +
                                                       " cannot become " + std::string(to));
}

std::string item_field(const MergedLine& line, std::string_view name) {
  return "items[" + std::to_string(line.first_index) + "]." + std::string(name);
}

// Called when some lines could not take their stock (or, for a quote, would not): unknown or
// deleted products are a 400, otherwise every line still short is reported in one 409.
// available(i) is line i's stock now (nullopt: no such live product).
[[noreturn]] void reject_short_lines(
    const std::vector<MergedLine>& lines, const std::vector<std::optional<TakenStock>>& taken,
    const std::function<std::optional<int64_t>(std::size_t)>& available) {
  boost::json::array unknown;
  boost::json::array shortages;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (taken[i]) continue;
    const auto stock = available(i);
    if (!stock) {
      unknown.push_back(boost::json::object{{"field", item_field(lines[i], "productId")},
                                            {"message", "No such product"}});
      continue;
    }
    // Enough again: a concurrent cancellation returned stock after our update missed it.
    if (*stock >= lines[i].quantity) continue;
    shortages.push_back(boost::json::object{{"productId", lines[i].product_id},
                                            {"requested", lines[i].quantity},
                                            {"available", *stock}});
  }
  if (!unknown.empty()) throw core::err::validation(std::move(unknown), "Unknown product");
  // Every miss was such a race (possible under READ COMMITTED): run the transaction again.
  if (shortages.empty()) throw db::RetryableError("stock changed while taking it");
  throw core::err::conflict("OUT_OF_STOCK", "Not enough stock for this order",
                            std::move(shortages));
}

// The order's lines priced from the catalogue; 400 when the total would not be a safe integer.
void price_lines(Order& order, const std::vector<MergedLine>& lines,
                 const std::vector<std::optional<TakenStock>>& taken) {
  order.items.clear();
  order.total = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto subtotal = checked_multiply(taken[i]->price, lines[i].quantity);
    const auto total = subtotal ? checked_add(order.total, *subtotal) : std::nullopt;
    if (!total) {
      throw core::err::validation(item_field(lines[i], "quantity"),
                                  "The order total exceeds the largest amount allowed");
    }
    order.total = *total;
    order.items.push_back(
        {lines[i].product_id, taken[i]->name, taken[i]->price, lines[i].quantity, *subtotal});
  }
}

}  // namespace

OrderService::Placement OrderService::prepare(const std::string& user_id,
                                              const NewOrder& in) const {
  auto merged = merge_lines(in.lines);
  if (!merged) throw core::err::validation("items", "Quantities are too large");
  Placement p;
  p.lines = std::move(*merged);
  p.locking = lock_order(p.lines);
  const int64_t now = clock_.now_ms();
  Order& order = p.order;
  // Time-ordered: a batch of orders appends to the id indexes instead of dirtying a page each
  // (half the log written per order on SQLite, measured in bench/RESULTS.md).
  order.id = core::new_time_ordered_uuid(now);
  order.user_id = user_id;
  order.status = std::string(kPending);
  order.shipping = in.shipping;
  if (pay_within_ms_ > 0) order.pay_by = now + pay_within_ms_;
  order.created_at = now;
  order.updated_at = now;
  if (auto seen = seen_.of(p.lines)) {
    // A total too large for these prices is refused by the ordinary path, at the prices it reads.
    try {
      Order priced = order;
      price_lines(priced, p.lines, *seen);
      p.priced = std::move(priced);
    } catch (const core::ApiError&) {
    }
  }
  return p;
}

Order OrderService::place_in(db::Connection& c, const Placement& p) const {
  const auto& lines = p.lines;
  if (p.priced && !std::exchange(*p.priced_tried, true)) {
    // The same conditional updates as below, with the name and price each line was priced at as
    // conditions too; if one fails, all of this is undone and the work runs again below.
    orders_.insert_as_priced(c, *p.priced, p.locking);
    for (const std::size_t i : p.locking) cached::product_changed(c, lines[i].product_id);
    return *p.priced;
  }
  const int64_t now = p.order.created_at;
  std::vector<std::optional<TakenStock>> taken(lines.size());
  bool all_taken = true;
  for (const std::size_t i : p.locking) {
    taken[i] = products_.take_stock(c, lines[i].product_id, lines[i].quantity, now);
    all_taken = all_taken && taken[i].has_value();
    if (taken[i]) cached::product_changed(c, lines[i].product_id);
  }
  if (!all_taken) {
    // Short or gone: the next orders of these products read them again rather than guess.
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (!taken[i]) seen_.forget(lines[i].product_id);
    reject_short_lines(lines, taken, [&](std::size_t i) {
      return products_.live_stock(c, lines[i].product_id);
    });
  }
  for (std::size_t i = 0; i < lines.size(); ++i) seen_.remember(lines[i].product_id, *taken[i]);
  Order placed = p.order;
  price_lines(placed, lines, taken);
  orders_.insert(c, placed);
  return placed;
}

std::optional<std::vector<std::optional<TakenStock>>> OrderService::SeenPrices::of(
    const std::vector<MergedLine>& lines) const {
  std::vector<std::optional<TakenStock>> out;
  out.reserve(lines.size());
  std::lock_guard lock(mutex_);
  for (const auto& line : lines) {
    auto it = seen_.find(line.product_id);
    if (it == seen_.end()) return std::nullopt;
    out.emplace_back(it->second);
  }
  return out;
}

void OrderService::SeenPrices::remember(const std::string& product_id, const TakenStock& seen) {
  std::lock_guard lock(mutex_);
  if (seen_.size() >= kMaxProducts && !seen_.contains(product_id)) seen_.clear();
  seen_.insert_or_assign(product_id, seen);
}

void OrderService::SeenPrices::forget(const std::string& product_id) {
  std::lock_guard lock(mutex_);
  seen_.erase(product_id);
}

Order OrderService::quote(const std::string& user_id, const NewOrder& in) const {
  const Placement p = prepare(user_id, in);
  const auto& lines = p.lines;
  // What place_in's conditional updates would do, read instead of written: a line "takes" its
  // stock when its live product has enough, and the same rejection and pricing follow.
  return db_.read([&](db::Connection& c) {
    std::vector<std::optional<TakenStock>> taken(lines.size());
    std::vector<std::optional<int64_t>> stock(lines.size());
    bool all_taken = true;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto product = products_.find_live(c, lines[i].product_id);
      if (product) stock[i] = product->stock;
      if (product && product->stock >= lines[i].quantity)
        taken[i] = TakenStock{product->name, product->price};
      all_taken = all_taken && taken[i].has_value();
    }
    if (!all_taken) reject_short_lines(lines, taken, [&](std::size_t i) { return stock[i]; });
    Order quoted = p.order;
    price_lines(quoted, lines, taken);
    return quoted;
  });
}

Order OrderService::place(const std::string& user_id, const NewOrder& in,
                          const db::BeforeCommit<Order>& before_commit) {
  const Placement p = prepare(user_id, in);
  return db_.write([&](db::Connection& c) {
    Order placed = place_in(c, p);
    if (before_commit) before_commit(c, placed);
    return placed;
  });
}

Order OrderService::get(const core::AuthUser& caller, const std::string& id) {
  if (!core::is_uuid(id)) throw order_not_found();
  auto order = db_.read([&](db::Connection& c) { return orders_.find(c, id); });
  if (!order) throw order_not_found();
  core::require_owner_or_admin_hidden(caller, order->user_id);
  return std::move(*order);
}

PageOf<Order> OrderService::list(const OrderQuery& q) {
  return read_page(db_, orders_, q);
}

Order OrderService::transition(const core::AuthUser& caller, const std::string& id,
                               std::string_view to) {
  if (!core::is_uuid(id)) throw order_not_found();
  const int64_t now = clock_.now_ms();
  const auto ledger = payments_ ? payments_->ledger() : nullptr;
  bool refund_queued = false;
  auto result = db_.write([&](db::Connection& c) {
    const auto state = orders_.state(c, id, /*for_update=*/true);
    if (!state) throw order_not_found();
    core::require_owner_or_admin_hidden(caller, state->user_id);
    if (!caller_may_transition(caller.is_admin(), state->status, to)) {
      throw invalid_transition(state->status, to);
    }
    // Only the request whose conditional update matched goes on; a parallel loser stops here.
    if (!orders_.set_status(c, id, state->status, to, now)) {
      throw invalid_transition(state->status, to);
    }
    auto order = orders_.find(c, id);
    if (!order) throw order_not_found();
    if (to == kCancelled) {
      return_stock(c, *order, now);
      if (ledger) {
        // A paid order cancelled by an admin is refunded in full; a payment still pending for
        // it can no longer be paid.
        refund_queued = ledger->refund_all(c, "order", id, "order cancelled", now);
        ledger->void_pending(c, "order", id, now);
      }
    }
    // Money taken outside the platform: an admin setting the order paid records it.
    if (to == kPaid && ledger)
      ledger->record_manual(c, "order", id, order->user_id, order->total, now);
    // The buyer hears of the shipment in the same transaction.
    if (to == kShipped && mail_config_) {
      mail::queue_for_user(c, *mail_config_, order->user_id, "order_shipped",
                           {{"order", order->id.substr(0, 8)},
                            {"link", mail::public_base(*mail_config_) + "/me/orders/" + order->id}},
                           now);
    }
    return std::move(*order);
  });
  if (refund_queued && ledger) ledger->wake();
  return result;
}

void OrderService::return_stock(db::Connection& c, const Order& order, int64_t now) const {
  std::vector<MergedLine> lines;
  for (const auto& item : order.items) lines.push_back({item.product_id, item.quantity, 0});
  for (const std::size_t i : lock_order(lines)) {
    products_.return_stock(c, lines[i].product_id, lines[i].quantity, now);
    cached::product_changed(c, lines[i].product_id);
  }
}

std::optional<core::PayableTarget> OrderService::payable(db::Connection& c,
                                                         const std::string& id) const {
  auto order = orders_.find(c, id);
  if (!order) return std::nullopt;
  std::string name = order->items.empty() ? "Order" : order->items.front().name;
  if (order->items.size() > 1) name += " and " + std::to_string(order->items.size() - 1) + " more";
  return core::PayableTarget{order->id, order->user_id, order->total, name,
                             order->status == kPending, "", "/me/orders/" + order->id};
}

bool OrderService::mark_paid(db::Connection& c, const std::string& id, int64_t now) const {
  return orders_.mark_paid(c, id, now);
}

bool OrderService::cancel_in(db::Connection& c, const std::string& id, int64_t now) const {
  const auto state = orders_.state(c, id, /*for_update=*/true);
  if (!state || (state->status != kPending && state->status != kPaid)) return false;
  if (!orders_.set_status(c, id, state->status, kCancelled, now)) return false;
  if (auto order = orders_.find(c, id)) return_stock(c, *order, now);
  return true;
}

std::vector<std::string> OrderService::expire_unpaid(db::Connection& c, int64_t now,
                                                     int limit) const {
  std::vector<std::string> expired;
  for (const auto& id : orders_.unpaid_past(c, now, limit)) {
    const auto state = orders_.state(c, id, /*for_update=*/true);
    // Conditional: of two instances only one moves it from pending.
    if (state && state->status == kPending &&
        orders_.set_status(c, id, kPending, kCancelled, now)) {
      if (auto order = orders_.find(c, id)) return_stock(c, *order, now);
      expired.push_back(id);
    }
  }
  return expired;
}

}  // namespace o4o::services::ecommerce
