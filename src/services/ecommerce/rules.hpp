#pragma once
// Pure business rules of the shop, free of HTTP and database so that unit tests reach them
// directly: merging order lines, the order lifecycle, money arithmetic and search patterns.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/ecommerce/model.hpp"

namespace o4o::services::ecommerce {

inline constexpr std::string_view kPending = "pending";
inline constexpr std::string_view kPaid = "paid";
inline constexpr std::string_view kShipped = "shipped";
inline constexpr std::string_view kDelivered = "delivered";
inline constexpr std::string_view kCancelled = "cancelled";

// Every order status, in lifecycle order.
const std::vector<std::string_view>& order_statuses();

// A requested line after merging: quantities of the same product summed, first_index the
// position of the product's first line in the request (for error details).
struct MergedLine {
  std::string product_id;
  int64_t quantity = 0;
  std::size_t first_index = 0;
};

// Lines of the same product merged, in order of first appearance. nullopt when a merged
// quantity would exceed the safe integer range.
std::optional<std::vector<MergedLine>> merge_lines(const std::vector<RequestedLine>& lines);

// Positions of the lines sorted by product id: the fixed order in which stock rows are taken, so
// that two orders never wait on each other in opposite orders.
std::vector<std::size_t> lock_order(const std::vector<MergedLine>& lines);

// pending -> paid -> shipped -> delivered, and pending|paid -> cancelled.
bool transition_allowed(std::string_view from, std::string_view to);
// Whether this caller may make that move: admins along every arrow, owners only cancel a
// pending order.
bool caller_may_transition(bool is_admin, std::string_view from, std::string_view to);

// price * quantity and a + b, or nullopt beyond 2^53-1.
std::optional<int64_t> checked_multiply(int64_t price, int64_t quantity);
std::optional<int64_t> checked_add(int64_t a, int64_t b);

// "price" | "-price" | "createdAt" | "-createdAt".
std::optional<ProductSort> parse_sort(std::string_view text);

}  // namespace o4o::services::ecommerce
