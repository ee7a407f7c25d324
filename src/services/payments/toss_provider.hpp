#pragma once
// Toss Payments (core API v1) behind the provider interface: confirm, cancel and retrieve are
// calls to {toss_api_base}/v1/payments with Basic auth of the secret key, each bounded by
// payment_timeout_ms; a webhook is only read as a hint (trusted = false), to be followed by
// retrieve() before anything changes. Calls block: run them on a worker, outside transactions.
#include <memory>

#include "core/config.hpp"
#include "core/payment_provider.hpp"

namespace o4o::services::payments {

std::unique_ptr<core::payments::PaymentProvider> make_toss_provider(const core::Config& config);

}  // namespace o4o::services::payments
