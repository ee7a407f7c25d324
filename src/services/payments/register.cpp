// The payments service: orders and pledges paid through a provider (sim or Toss), refunds, and
// the background settlement that expires, refunds and reconciles without any request.
#include <memory>

#include "accounts/accounts.hpp"
#include "core/ids.hpp"
#include "core/periodic.hpp"
#include "core/secret_file.hpp"
#include "services/payments/routes.hpp"
#include "services/payments/sim_provider.hpp"
#include "services/payments/toss_provider.hpp"

namespace o4o::services::payments {
namespace {

constexpr std::chrono::milliseconds kSettleEvery{1000};

std::shared_ptr<PaymentService> service_of(core::AppContext& ctx) {
  return std::dynamic_pointer_cast<PaymentService>(ctx.payments.ledger());
}

}  // namespace

// The ledger is there for every process that has payments compiled in, so an instance serving
// only the shop can still record a manual payment or queue a refund.
void attach(core::AppContext& ctx) {
  std::unique_ptr<core::payments::PaymentProvider> provider;
  SimProvider* sim = nullptr;
  if (ctx.config.payment_provider == "toss") {
    provider = make_toss_provider(ctx.config);
  } else {
    std::string secret = ctx.config.sim_webhook_secret;
    if (secret.empty()) {
      // PostgreSQL deployments must configure it (checked before serve); other commands get a
      // throwaway one.
      secret = ctx.config.is_postgres()
                   ? core::random_hex(32)
                   : core::load_or_create_secret(ctx.config.data_dir, "sim-webhook-secret");
    }
    auto owned = std::make_unique<SimProvider>(ctx.db, ctx.clock, secret);
    sim = owned.get();
    provider = std::move(owned);
  }
  ctx.payments.set_ledger(std::make_shared<PaymentService>(ctx.config, ctx.db, ctx.clock,
                                                           ctx.payments, std::move(provider), sim));
}

void register_routes(core::Router& router, core::AppContext& ctx) {
  auto service = service_of(ctx);
  // Settlement runs every second with no request, or at once when the service wakes it (a
  // webhook, a cancel). Several instances may run it together: every piece of work is claimed in
  // the database first. A pass that did something looks again at once. Provider calls inside are
  // bounded by their timeout, so stop() returns within one of them.
  auto settlement = std::make_shared<core::Periodic>(
      "payment settlement", kSettleEvery, kSettleEvery,
      [service](const std::stop_token&) { return service->settle_once() > 0; });
  service->set_waker([weak = std::weak_ptr<core::Periodic>(settlement)] {
    if (auto s = weak.lock()) s->wake();
  });
  ctx.on_shutdown([settlement, service] {
    service->set_waker(nullptr);
    settlement->stop();
  });
  add_routes(router, ctx, service);
}

void seed(core::AppContext&, const accounts::DemoAccounts&) {}

}  // namespace o4o::services::payments
