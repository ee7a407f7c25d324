#include "services/ecommerce/rules.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "core/json_body.hpp"

namespace o4o::services::ecommerce {

const std::vector<std::string_view>& order_statuses() {
  static const std::vector<std::string_view> all = {kPending, kPaid, kShipped, kDelivered,
                                                    kCancelled};
  return all;
}

std::optional<std::vector<MergedLine>> merge_lines(const std::vector<RequestedLine>& lines) {
  std::vector<MergedLine> merged;
  std::unordered_map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    auto [it, inserted] = position.try_emplace(line.product_id, merged.size());
    if (inserted) {
      merged.push_back({line.product_id, line.quantity, i});
      continue;
    }
    auto sum = checked_add(merged[it->second].quantity, line.quantity);
    if (!sum) return std::nullopt;
    merged[it->second].quantity = *sum;
  }
  return merged;
}

std::vector<std::size_t> lock_order(const std::vector<MergedLine>& lines) {
  std::vector<std::size_t> order(lines.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return lines[a].product_id < lines[b].product_id;
  });
  return order;
}

bool transition_allowed(std::string_view from, std::string_view to) {
  if (to == kCancelled) return from == kPending || from == kPaid;
  return (from == kPending && to == kPaid) || (from == kPaid && to == kShipped) ||
         (from == kShipped && to == kDelivered);
}

bool caller_may_transition(bool is_admin, std::string_view from, std::string_view to) {
  if (!transition_allowed(from, to)) return false;
  return is_admin || (from == kPending && to == kCancelled);
}

std::optional<int64_t> checked_multiply(int64_t price, int64_t quantity) {
  if (price < 0 || quantity < 0) return std::nullopt;
  if (price != 0 && quantity > core::kMaxSafeInteger / price) return std::nullopt;
  return price * quantity;
}

std::optional<int64_t> checked_add(int64_t a, int64_t b) {
  if (a < 0 || b < 0 || a > core::kMaxSafeInteger - b) return std::nullopt;
  return a + b;
}

std::optional<ProductSort> parse_sort(std::string_view text) {
  if (text == "price") return ProductSort::price_asc;
  if (text == "-price") return ProductSort::price_desc;
  if (text == "createdAt") return ProductSort::created_asc;
  if (text == "-createdAt") return ProductSort::created_desc;
  return std::nullopt;
}

}  // namespace o4o::services::ecommerce
