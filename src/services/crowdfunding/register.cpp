// The crowdfunding service's entry points: its routes and its demo data.
#include <memory>

#include "accounts/accounts.hpp"
#include "core/demo_media.hpp"
#include "pledge_payments.hpp"
#include "repository.hpp"
#include "routes.hpp"
#include "service.hpp"

namespace o4o::services::crowdfunding {

namespace {
std::shared_ptr<CrowdfundingService> make_service(core::AppContext& ctx) {
  return std::make_shared<CrowdfundingService>(ctx.db, ctx.clock, &ctx.payments,
                                               ctx.config.payment_ttl_seconds * 1000, &ctx.config,
                                               &ctx.cache);
}
}  // namespace

void attach(core::AppContext& ctx) {
  ctx.payments.add_kind(std::make_shared<PledgePayments>(make_service(ctx)));
}

void register_routes(core::Router& router, core::AppContext& ctx) {
  add_routes(router, ctx, make_service(ctx));
}

// seed(): seed.cpp.

}  // namespace o4o::services::crowdfunding
