#include "services/payments/service.hpp"

#include <boost/json/object.hpp>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "mail/notify.hpp"

namespace o4o::services::payments {
namespace pay = core::payments;

namespace {

constexpr int64_t kReconcileAfterMs =
    60'000;  // a confirm's answer not applied by then is looked up
constexpr int kBatch = 50;
// The reason of refunds an admin asked for: a provider's no is final for them, while refunds
// nobody asked for (a failed project) are tried again until the provider accepts.
constexpr std::string_view kAdminRefundReason = "refund by an admin";

core::ApiError payment_not_found() {
  return core::err::not_found("Payment not found");
}

core::ApiError not_payable() {
  return core::err::conflict("INVALID_TRANSITION", "This can no longer be paid");
}

core::ApiError payment_failed(const pay::ProviderDecline& d) {
  return core::ApiError(402, "PAYMENT_FAILED", "The payment provider declined: " + d.message,
                        boost::json::object{{"code", d.code}, {"message", d.message}});
}

core::ApiError provider_unavailable() {
  return core::err::unavailable("The payment provider did not answer in time; try again")
      .with_header("Retry-After", "5");
}

// Back-off for retried provider calls: 5 s, 10 s, 20 s ... at most 10 minutes.
int64_t backoff_ms(int attempts) {
  return std::min<int64_t>(600'000, int64_t{5000} << std::min(attempts, 7));
}

void log_change(const Payment& p, std::string_view what) {
  core::log::info("payment", {{"paymentId", p.id},
                              {"change", what},
                              {"purpose", p.purpose},
                              {"targetId", p.target_id},
                              {"provider", p.provider},
                              {"amount", p.amount}});
}

}  // namespace

PaymentService::PaymentService(const core::Config& config, db::Database& db,
                               const core::Clock& clock, core::PaymentHub& hub,
                               std::unique_ptr<pay::PaymentProvider> provider, SimProvider* sim)
    : config_(config),
      db_(db),
      clock_(clock),
      hub_(hub),
      provider_(std::move(provider)),
      sim_(sim) {}

std::shared_ptr<core::PayableKind> PaymentService::kind_of(std::string_view purpose) const {
  auto kind = hub_.kind(purpose);
  if (!kind) throw core::err::not_found("Not found");
  return kind;
}

std::optional<std::string> PaymentService::client_key() const {
  if (provider_->name() == "toss") return config_.toss_client_key;
  return std::nullopt;
}

std::string PaymentService::success_url(const std::string& origin) const {
  return origin + "/pay/success";
}
std::string PaymentService::fail_url(const std::string& origin) const {
  return origin + "/pay/fail";
}

Started PaymentService::start(const core::AuthUser& caller, std::string_view purpose,
                              const std::string& target_id, const std::string& origin) {
  auto kind = kind_of(purpose);
  const std::string noun = purpose == "order" ? "Order" : "Pledge";
  if (!core::is_uuid(target_id)) throw core::err::not_found(noun + " not found");
  const int64_t now = clock_.now_ms();
  Started out;
  std::string order_name;
  auto begin = [&](db::Connection& c) {
    auto target = kind->load(c, target_id);
    // Someone else's order or pledge does not exist for the caller.
    if (!target || target->user_id != caller.id) throw core::err::not_found(noun + " not found");
    order_name = target->name;
    if (!target->payable) throw not_payable();
    if (auto pending = repo_.find_for_target(c, purpose, target_id, kPending)) {
      out.created = false;
      return *pending;
    }
    Payment p;
    p.id = core::new_uuid();
    p.purpose = std::string(purpose);
    p.target_id = target_id;
    p.user_id = caller.id;
    p.provider = std::string(provider_->name());
    p.amount = target->amount;
    p.currency = config_.currency;
    p.status = std::string(kPending);
    p.created_at = now;
    p.updated_at = now;
    repo_.insert(c, p);
    out.created = true;
    return p;
  };
  try {
    out.payment = db_.write(begin);
  } catch (const db::ConstraintError& e) {
    // A parallel call made the pending payment first: this one answers it.
    if (e.kind != db::ConstraintError::Kind::unique) throw;
    out.payment = db_.write(begin);
  }
  if (out.created) log_change(out.payment, "created");
  pay::InitiateRequest req{out.payment.id, out.payment.amount,  config_.currency,
                           order_name,     success_url(origin), fail_url(origin)};
  const auto session = provider_->initiate(req);
  out.checkout = Checkout{std::string(provider_->name()),
                          out.payment.id,
                          out.payment.amount,
                          order_name,
                          session.client_key,
                          req.success_url,
                          req.fail_url,
                          session.redirect_url};
  return out;
}

PaymentService::Settled PaymentService::settle_in(db::Connection& c, const std::string& payment_id,
                                                  const std::string& key, int64_t now) {
  auto p = repo_.lock(c, payment_id);
  if (!p) return Settled::not_pending;
  if (p->status == kPaid)
    return p->provider_ref == key ? Settled::already_paid : Settled::not_pending;
  if (p->status != kPending) {
    // Money taken for a payment that has ended (expired, cancelled): find it and give it back.
    remember_late_key(c, *p, key, now);
    return Settled::not_pending;
  }
  auto kind = hub_.kind(p->purpose);
  auto target = kind ? kind->load(c, p->target_id) : std::nullopt;
  if (!target || !target->payable || !kind->mark_paid(c, p->target_id, now)) {
    repo_.mark_ended(c, payment_id, kCancelled, std::string("no longer payable"), now, now, key);
    return Settled::not_payable;
  }
  repo_.mark_paid(c, payment_id, key, now);
  mail_paid(c, p->purpose, *target, now);
  return Settled::paid_now;
}

// The mails of a payment, in its transaction: the payer's receipt, and a word to whoever watches
// (the project's creator for a pledge, the admins for an order), where they want it.
void PaymentService::mail_paid(db::Connection& c, const std::string& purpose,
                               const core::PayableTarget& target, int64_t now) {
  const std::string link = mail::public_base(config_) + target.link_path;
  const std::string amount = mail::format_amount(target.amount, config_);
  const std::string short_id = target.id.substr(0, 8);
  if (purpose == "order") {
    mail::queue_for_user(c, config_, target.user_id, "order_paid",
                         {{"order", short_id}, {"amount", amount}, {"link", link}}, now);
    mail::queue_for_admins(c, config_, "paid_order_admin",
                           {{"order", short_id},
                            {"amount", amount},
                            {"link", mail::public_base(config_) + "/admin/orders"}},
                           now);
  } else if (purpose == "pledge") {
    const mail::Params params{{"title", target.name}, {"amount", amount}, {"link", link}};
    mail::queue_for_user(c, config_, target.user_id, "pledge_paid", params, now);
    if (!target.owner_id.empty()) {
      mail::queue_for_watching_creator(c, config_, target.owner_id, "new_pledge", params, now);
    }
  }
}

void PaymentService::remember_late_key(db::Connection& c, const Payment& p, const std::string& key,
                                       int64_t now) {
  if (p.provider == kManual || (p.status != kCancelled && p.status != kFailed)) return;
  if (!p.provider_ref) repo_.set_ref_if_none(c, p.id, key, now);
  repo_.set_reconcile_at(c, p.id, now, now);
}

Payment PaymentService::confirm(const core::AuthUser& caller, const std::string& id,
                                const std::string& payment_key, int64_t amount) {
  if (!core::is_uuid(id)) throw payment_not_found();
  const int64_t now = clock_.now_ms();
  auto p = db_.read([&](db::Connection& c) { return repo_.find(c, id); });
  if (!p || p->user_id != caller.id) throw payment_not_found();
  if (amount != p->amount)
    throw core::err::validation("amount", "Does not match the amount of this payment");
  if (p->status == kPaid && p->provider_ref == payment_key) return *p;  // confirmed already
  if (p->status != kPending || p->provider == kManual) {
    if (p->status == kCancelled || p->status == kFailed) {
      // The provider may have taken money for it anyway: keep the key and let reconciliation
      // find and give back whatever it holds.
      db_.write([&](db::Connection& c) { remember_late_key(c, *p, payment_key, now); });
      wake();
    }
    throw core::err::conflict("INVALID_TRANSITION", "This payment is " + p->status);
  }

  // Keep the key before asking the provider: if we crash after it charged, reconciliation finds
  // the charge. A target no longer payable is refused without asking the provider.
  enum class Before { go, not_payable, taken };
  const auto before = db_.write([&](db::Connection& c) {
    // A webhook may have settled it since it was read.
    if (auto now_p = repo_.lock(c, id); !now_p || now_p->status != kPending) return Before::taken;
    auto kind = hub_.kind(p->purpose);
    auto target = kind ? kind->load(c, p->target_id) : std::nullopt;
    if (!target || !target->payable) {
      repo_.mark_ended(c, id, kCancelled, std::string("no longer payable"), now, now, payment_key);
      return Before::not_payable;
    }
    if (!repo_.remember_ref(c, id, payment_key, now + kReconcileAfterMs, now)) return Before::taken;
    return Before::go;
  });
  if (before == Before::not_payable) {
    wake();
    throw not_payable();
  }
  if (before == Before::taken) {
    auto again = db_.read([&](db::Connection& c) { return repo_.find(c, id); });
    if (again && again->status == kPaid && again->provider_ref == payment_key) return *again;
    throw core::err::conflict("INVALID_TRANSITION",
                              "This payment is " + (again ? again->status : std::string("gone")));
  }

  pay::ProviderResult result;
  try {
    result = provider_->confirm(payment_key, id, amount, "confirm-" + id + "-" + payment_key);
  } catch (const pay::ProviderUnavailable& e) {
    core::metrics::count_payment(provider_->name(), "confirm_timeout");
    core::log::warn("payment provider unavailable", {{"paymentId", id}, {"error", e.what()}});
    throw provider_unavailable();
  }
  if (const auto* d = std::get_if<pay::ProviderDecline>(&result)) {
    db_.write([&](db::Connection& c) {
      repo_.mark_ended(c, id, kFailed, d->code + ": " + d->message, std::nullopt, clock_.now_ms());
    });
    core::metrics::count_payment(provider_->name(), "declined");
    log_change(*p, "declined");
    throw payment_failed(*d);
  }
  const auto& charge = std::get<pay::ProviderCharge>(result);
  if (charge.status != "DONE" || charge.total_amount != amount || charge.order_id != id) {
    // Not what we asked for: leave it to reconciliation rather than trust either side.
    core::log::warn("payment provider answered an unexpected charge",
                    {{"paymentId", id}, {"status", charge.status}});
    throw provider_unavailable();
  }
  const auto settled =
      db_.write([&](db::Connection& c) { return settle_in(c, id, payment_key, clock_.now_ms()); });
  auto after = db_.read([&](db::Connection& c) { return repo_.find(c, id); });
  switch (settled) {
    case Settled::paid_now:
      core::metrics::count_payment(provider_->name(), "paid");
      log_change(*after, "paid");
      [[fallthrough]];
    case Settled::already_paid:
      return *after;
    case Settled::not_payable:
    case Settled::not_pending:
      wake();  // the money goes back through reconciliation
      throw not_payable();
  }
  throw not_payable();
}

Payment PaymentService::get(const core::AuthUser& caller, const std::string& id) {
  if (!core::is_uuid(id)) throw payment_not_found();
  auto p = db_.read([&](db::Connection& c) { return repo_.find(c, id); });
  if (!p) throw payment_not_found();
  core::require_owner_or_admin_hidden(caller, p->user_id);
  return *p;
}

PageOf<Payment> PaymentService::list(const PaymentFilter& filter, const core::Page& page) {
  return db_.read(
      [&](db::Connection& c) { return repo_.list(c, filter, page.limit, page.offset()); });
}

Payment PaymentService::refund(const std::string& id, std::optional<int64_t> amount) {
  if (!core::is_uuid(id)) throw payment_not_found();
  const int64_t now = clock_.now_ms();
  Refund r;
  db_.write([&](db::Connection& c) {
    auto p = repo_.lock(c, id);
    if (!p) throw payment_not_found();
    if (p->status != kPaid)
      throw core::err::conflict("INVALID_TRANSITION", "Only a paid payment can be refunded");
    if (repo_.pending_refund(c, id))
      throw core::err::conflict("CONFLICT", "A refund of this payment is still in progress");
    const int64_t left = p->amount - p->refunded_amount;
    const int64_t want = amount.value_or(left);
    if (want < 1 || want > left)
      throw core::err::validation(
          "amount", "Must be from 1 to " + std::to_string(left) + " (what is left to refund)");
    r = Refund{core::new_uuid(), id, want, std::string(kAdminRefundReason), 0};
    if (!repo_.insert_refund(c, r, now + config_.payment_timeout_ms + 5000, now))
      throw core::err::conflict("CONFLICT", "A refund of this payment is still in progress");
  });
  std::string reason;
  switch (execute_refund(r, /*automatic=*/false, &reason)) {
    case RefundResult::done:
      break;
    case RefundResult::unavailable:
      throw provider_unavailable();
    case RefundResult::declined:
      throw core::ApiError(402, "PAYMENT_FAILED",
                           "The payment provider refused the refund: " + reason,
                           boost::json::object{{"message", reason}});
  }
  return *db_.read([&](db::Connection& c) { return repo_.find(c, id); });
}

PaymentService::RefundResult PaymentService::execute_refund(const Refund& r, bool automatic,
                                                            std::string* reason) {
  auto p = db_.read([&](db::Connection& c) { return repo_.find(c, r.payment_id); });
  if (!p) return RefundResult::declined;
  if (p->provider != kManual) {
    if (!p->provider_ref) {
      db_.write([&](db::Connection& c) {
        repo_.fail_refund(c, r.id, "no provider key", clock_.now_ms());
      });
      return RefundResult::declined;
    }
    pay::ProviderResult result;
    try {
      result = provider_->cancel(*p->provider_ref, r.amount, r.reason, r.id);
    } catch (const pay::ProviderUnavailable& e) {
      core::metrics::count_payment(p->provider, "refund_timeout");
      db_.write([&](db::Connection& c) {
        repo_.retry_refund(c, r.id, e.what(), clock_.now_ms() + backoff_ms(r.attempts),
                           clock_.now_ms());
      });
      return RefundResult::unavailable;
    }
    if (const auto* d = std::get_if<pay::ProviderDecline>(&result)) {
      if (reason) *reason = d->message;
      db_.write([&](db::Connection& c) {
        // Refunds nobody asked for (a failed project) are retried until the provider accepts.
        if (automatic)
          repo_.retry_refund(c, r.id, d->code + ": " + d->message,
                             clock_.now_ms() + backoff_ms(r.attempts), clock_.now_ms());
        else
          repo_.fail_refund(c, r.id, d->code + ": " + d->message, clock_.now_ms());
      });
      core::log::warn("refund declined", {{"paymentId", p->id}, {"code", d->code}});
      return RefundResult::declined;
    }
  }
  const int64_t now = clock_.now_ms();
  db_.write([&](db::Connection& c) {
    if (!repo_.finish_refund(c, r.id, now)) return;  // another instance finished it
    repo_.add_refunded(c, p->id, r.amount, now);
    auto after = repo_.find(c, p->id);
    if (after && after->status == kRefunded) {
      if (auto kind = hub_.kind(after->purpose)) {
        kind->mark_refunded(c, after->target_id, now);
        if (after->purpose == "pledge") {
          if (auto target = kind->load(c, after->target_id)) {
            mail::queue_for_user(
                c, config_, after->user_id, "pledge_refunded",
                {{"title", target->name},
                 {"amount", mail::format_amount(after->amount, config_)},
                 {"link", mail::public_base(config_) + target->link_path}},
                now);
          }
        }
      }
    }
  });
  core::metrics::count_payment(p->provider, "refunded");
  core::log::info("payment", {{"paymentId", p->id}, {"change", "refunded"}, {"amount", r.amount}});
  return RefundResult::done;
}

void PaymentService::webhook(std::string_view provider, const std::vector<core::Header>& headers,
                             std::string_view raw_body) {
  if (provider != provider_->name()) throw core::err::not_found("No such payment provider");
  auto event = provider_->verify_webhook(headers, raw_body);
  if (!event) throw core::err::validation("signature", "The event could not be verified");
  const std::string name(provider);
  std::optional<pay::ProviderCharge> fetched;
  if (!event->trusted) {
    // A hint only: what the provider itself says about the payment decides. Anyone can send
    // one, so the provider is asked only about payments of ours.
    if (!event->payment_key) return;
    const bool ours = db_.read([&](db::Connection& c) {
      if (event->payment_id && core::is_uuid(*event->payment_id) &&
          repo_.find(c, *event->payment_id))
        return true;
      return repo_.find_by_ref(c, name, *event->payment_key).has_value();
    });
    if (!ours) return;
    try {
      fetched = provider_->retrieve(*event->payment_key);
    } catch (const pay::ProviderUnavailable&) {
      throw provider_unavailable();  // the provider sends the event again
    }
    if (!fetched) return;
  }
  const int64_t now = clock_.now_ms();
  auto settled = db_.write([&](db::Connection& c) -> std::optional<Settled> {
    if (!repo_.record_event(c, name, event->event_id, event->payment_id, event->type, now))
      return std::nullopt;  // a replay: no second effect
    std::optional<Payment> p;
    if (event->payment_id && core::is_uuid(*event->payment_id))
      p = repo_.find(c, *event->payment_id);
    if (!p && event->payment_key) p = repo_.find_by_ref(c, name, *event->payment_key);
    if (!p) return std::nullopt;
    if (fetched) {
      if (fetched->status == "DONE" && fetched->order_id == p->id &&
          fetched->total_amount == p->amount)
        return settle_in(c, p->id, fetched->payment_key, now);
      return std::nullopt;
    }
    if (event->type == "payment.paid" && event->payment_key && event->amount == p->amount)
      return settle_in(c, p->id, *event->payment_key, now);
    if (event->type == "payment.failed" && p->status == kPending)
      repo_.mark_ended(c, p->id, kFailed, std::string("the provider reported a failure"),
                       std::nullopt, now);
    return std::nullopt;
  });
  if (settled == Settled::paid_now) {
    core::metrics::count_payment(name, "paid");
    core::log::info(
        "payment",
        {{"paymentId", event->payment_id.value_or("")}, {"change", "paid"}, {"by", "webhook"}});
  }
  if (settled == Settled::not_payable || settled == Settled::not_pending) {
    // As for a confirm (the contract's rule): 409, and the money goes back by reconciliation. The
    // event is recorded, so the provider's retry of it is a replay: 200, nothing more.
    wake();
    throw not_payable();
  }
}

std::pair<bool, std::string> PaymentService::sim_complete(const core::AuthUser& caller,
                                                          const std::string& id,
                                                          std::string_view outcome,
                                                          const std::string& origin) {
  if (!sim_ || !core::is_uuid(id)) throw payment_not_found();
  auto p = db_.read([&](db::Connection& c) { return repo_.find(c, id); });
  if (!p || p->user_id != caller.id || p->provider != "sim") throw payment_not_found();
  if (p->status != kPending)
    throw core::err::conflict("INVALID_TRANSITION", "This payment is " + p->status);
  auto key = sim_->authorise(id, p->amount, outcome);
  if (!key) {
    return {false, fail_url(origin) + "?code=REJECT_CARD_PAYMENT&message=" +
                       "The%20card%20was%20declined&orderId=" + id};
  }
  wake();  // the webhook goes out with the next settlement round
  return {true, success_url(origin) + "?paymentKey=" + *key + "&orderId=" + id +
                    "&amount=" + std::to_string(p->amount)};
}

void PaymentService::reconcile(const Payment& p) {
  const int64_t now = clock_.now_ms();
  if (!p.provider_ref || p.provider == kManual) {
    db_.write([&](db::Connection& c) { repo_.set_reconcile_at(c, p.id, std::nullopt, now); });
    return;
  }
  std::optional<pay::ProviderCharge> charge;
  try {
    charge = provider_->retrieve(*p.provider_ref);
  } catch (const pay::ProviderUnavailable&) {
    return;  // the claim runs out and the next round asks again
  }
  const bool holds = charge && charge->order_id == p.id && charge->balance_amount > 0 &&
                     (charge->status == "DONE" || charge->status == "PARTIAL_CANCELED");
  if (p.status == kPending && holds && charge->status == "DONE" &&
      charge->total_amount == p.amount) {
    const auto settled =
        db_.write([&](db::Connection& c) { return settle_in(c, p.id, *p.provider_ref, now); });
    if (settled == Settled::paid_now) log_change(p, "paid (reconciled)");
    return;  // not payable: settle_in scheduled another round, which gives the money back
  }
  if ((p.status == kCancelled || p.status == kFailed) && holds) {
    try {
      auto result = provider_->cancel(*p.provider_ref, std::nullopt,
                                      "paid for something no longer payable", "void-" + p.id);
      if (std::holds_alternative<pay::ProviderDecline>(result)) return;  // asked again later
    } catch (const pay::ProviderUnavailable&) {
      return;
    }
    core::metrics::count_payment(p.provider, "voided");
    log_change(p, "money taken after it ended was given back");
  }
  db_.write([&](db::Connection& c) { repo_.set_reconcile_at(c, p.id, std::nullopt, now); });
}

int PaymentService::settle_once() {
  const int64_t now = clock_.now_ms();
  struct Round {
    int changed = 0;
    std::vector<Refund> refunds;
    std::vector<Payment> reconcile;
  };
  // One transaction a round, so an idle platform costs one short write a second: deadlines,
  // expiry and automatic refunds change rows; refunds and reconciliations due are claimed here
  // and worked on after the commit, outside any transaction.
  auto round = db_.write([&](db::Connection& c) {
    Round r;
    for (const auto& kind : hub_.kinds()) {
      r.changed += kind->settle_time(c, now);
      for (const auto& id : kind->expire_unpaid(c, now, kBatch)) {
        void_pending(c, kind->purpose(), id, now);
        ++r.changed;
      }
      for (const auto& id : kind->due_for_refund(c, kBatch))
        r.changed += refund_all(c, kind->purpose(), id, "the project did not succeed", now) ? 1 : 0;
    }
    r.refunds = repo_.claim_refunds(c, now, now + config_.payment_timeout_ms + 5000, kBatch);
    r.reconcile = repo_.claim_reconcile(c, now, now + kReconcileAfterMs, kBatch);
    return r;
  });
  int done = round.changed;
  for (const auto& r : round.refunds) {
    execute_refund(r, /*automatic=*/r.reason != kAdminRefundReason, nullptr);
    ++done;
  }
  for (const auto& p : round.reconcile) {
    reconcile(p);
    ++done;
  }
  if (sim_) {
    const std::string host = config_.host == "0.0.0.0" ? "127.0.0.1"
                             : config_.host == "::"    ? "[::1]"
                             : config_.host.find(':') != std::string::npos
                                 ? "[" + config_.host + "]"
                                 : config_.host;
    done += sim_->deliver_webhooks(
        "http://" + host + ":" + std::to_string(config_.port) + "/api/v1/payments/webhooks/sim",
        config_.payment_timeout_ms);
  }
  return done;
}

void PaymentService::record_manual(db::Connection& c, std::string_view purpose,
                                   const std::string& id, const std::string& user_id,
                                   int64_t amount, int64_t now_ms) {
  void_pending(c, purpose, id, now_ms);
  if (repo_.find_for_target(c, purpose, id, kPaid)) return;
  Payment p;
  p.id = core::new_uuid();
  p.purpose = std::string(purpose);
  p.target_id = id;
  p.user_id = user_id;
  p.provider = std::string(kManual);
  p.amount = amount;
  p.currency = config_.currency;
  p.status = std::string(kPaid);
  p.paid_at = now_ms;
  p.created_at = now_ms;
  p.updated_at = now_ms;
  repo_.insert(c, p);
  core::metrics::count_payment(kManual, "paid");
  log_change(p, "paid by hand");
}

bool PaymentService::refund_all(db::Connection& c, std::string_view purpose, const std::string& id,
                                const std::string& reason, int64_t now_ms) {
  auto p = repo_.find_for_target(c, purpose, id, kPaid);
  if (!p) return false;
  if (repo_.pending_refund(c, p->id)) return false;  // one is in flight; the rest follows it
  const int64_t left = p->amount - p->refunded_amount;
  if (left <= 0) return false;
  return repo_.insert_refund(c, Refund{core::new_uuid(), p->id, left, reason, 0}, std::nullopt,
                             now_ms);
}

void PaymentService::void_pending(db::Connection& c, std::string_view purpose,
                                  const std::string& id, int64_t now_ms) {
  auto p = repo_.find_for_target(c, purpose, id, kPending);
  if (!p) return;
  std::optional<int64_t> reconcile;
  if (p->provider_ref) reconcile = now_ms;
  if (repo_.mark_ended(c, p->id, kCancelled, std::string("expired or cancelled"), reconcile,
                       now_ms))
    log_change(*p, "cancelled");
}

void PaymentService::wake() {
  std::lock_guard lock(waker_mutex_);
  if (waker_) waker_();
}

}  // namespace o4o::services::payments
