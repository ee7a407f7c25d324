#pragma once
// The payments domain as plain values. No HTTP or database types here.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/pagination.hpp"

namespace o4o::services::payments {

inline constexpr std::string_view kPending = "pending";
inline constexpr std::string_view kPaid = "paid";
inline constexpr std::string_view kRefunded = "refunded";
inline constexpr std::string_view kFailed = "failed";
inline constexpr std::string_view kCancelled = "cancelled";
inline constexpr std::string_view kManual = "manual";

struct Payment {
  std::string id;
  std::string purpose;  // order | pledge
  std::string target_id;
  std::string user_id;
  std::string provider;  // sim | toss | manual
  std::optional<std::string> provider_ref;
  int64_t amount = 0;
  int64_t refunded_amount = 0;
  std::string currency;
  std::string status;
  std::optional<std::string> failure_reason;
  std::optional<int64_t> paid_at;
  std::optional<int64_t> reconcile_at;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Refund {
  std::string id;  // also the idempotency key sent to the provider
  std::string payment_id;
  int64_t amount = 0;
  std::string reason;
  int attempts = 0;
};

// What the browser needs to go and pay (the contract's `checkout`).
struct Checkout {
  std::string provider;
  std::string payment_id;
  int64_t amount = 0;
  std::string order_name;
  std::optional<std::string> client_key;
  std::string success_url;
  std::string fail_url;
  std::optional<std::string> redirect_url;
};

struct Started {
  Payment payment;
  Checkout checkout;
  bool created = false;  // false: the payment already pending for the target
};

struct PaymentFilter {
  std::optional<std::string> user_id;
  std::optional<std::string> status;
  std::optional<std::string> purpose;
};

// One page of a list: the platform's one page type.
using core::PageOf;

}  // namespace o4o::services::payments
