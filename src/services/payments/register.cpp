// The payments service: orders and pledges paid through a provider (sim or Toss), refunds, and
// the background settlement that expires, refunds and reconciles without any request.
#include <memory>

#include "accounts/accounts.hpp"
#include "core/ids.hpp"
#include "core/secret_file.hpp"
#include "services/payments/routes.hpp"
#include "services/payments/settlement.hpp"
#include "services/payments/sim_provider.hpp"
#include "services/payments/toss_provider.hpp"

namespace o4o::services::payments {
namespace {

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
  auto settlement = std::make_shared<Settlement>(service, std::chrono::milliseconds(1000));
  service->set_waker([weak = std::weak_ptr<Settlement>(settlement)] {
    if (auto s = weak.lock()) s->wake();
  });
  settlement->start();
  ctx.on_shutdown([settlement, service] {
    service->set_waker(nullptr);
    settlement->stop();
  });
  add_routes(router, ctx, service);
}

void seed(core::AppContext&, const accounts::DemoAccounts&) {}

}  // namespace o4o::services::payments
