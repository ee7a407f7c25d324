#pragma once
// How the payments service and the services that own payable things (orders, pledges) reach each
// other without reaching into each other's tables. Every function runs inside the caller's
// transaction on the connection it is given, so a payment and what it pays for change together.
//
//  - A PayableKind is offered by the owner of a kind of target (ecommerce: "order",
//    crowdfunding: "pledge") and registered in the AppContext's PaymentHub.
//  - The PaymentLedger is offered by the payments service: what the owners need of payments
//    (a manual payment recorded, a refund asked for, a pending payment voided).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace o4o::db {
class Connection;
}

namespace o4o::core {

// An order or a pledge as the payments service sees it.
struct PayableTarget {
  std::string id;
  std::string user_id;
  int64_t amount = 0;    // what it owes, computed by its owner
  std::string name;      // what the provider shows ("Order of 3 items", a project's title)
  bool payable = false;  // can be paid now (a pending order; an unpaid pledge of an active project)
  std::string owner_id;  // who is told of each payment (a pledge's project creator); may be empty
  std::string link_path; // where its page is in the web app ("/orders/<id>", "/projects/<id>")
};

class PayableKind {
 public:
  virtual ~PayableKind() = default;
  virtual std::string_view purpose() const = 0;  // "order" | "pledge"
  virtual std::optional<PayableTarget> load(db::Connection& c, const std::string& id) = 0;
  // Money was taken for it: true when it became paid now, false when it was no longer payable
  // (the caller then gives the money back). Conditional update: only one caller ever wins.
  virtual bool mark_paid(db::Connection& c, const std::string& id, int64_t now_ms) = 0;
  // All of its money went back: it is cancelled where it still can be (stock or raised return).
  virtual void mark_refunded(db::Connection& c, const std::string& id, int64_t now_ms) = 0;
  // Cancels up to `limit` targets left unpaid past their pay-by time; returns their ids. Each is
  // cancelled by a conditional update, so two instances never cancel one twice.
  virtual std::vector<std::string> expire_unpaid(db::Connection& c, int64_t now_ms, int limit) = 0;
  // Paid targets that must now be refunded without anyone asking (a pledge of a failed or
  // cancelled project), up to `limit`.
  virtual std::vector<std::string> due_for_refund(db::Connection& c, int limit) = 0;
  // Time-driven work of the owner that must happen before expiry (a project's status decided at
  // its deadline). Returns how many rows it changed.
  virtual int settle_time(db::Connection& c, int64_t now_ms) = 0;
};

class PaymentLedger {
 public:
  virtual ~PaymentLedger() = default;
  // Money taken outside the platform (an admin setting an order paid by hand).
  virtual void record_manual(db::Connection& c, std::string_view purpose, const std::string& id,
                             const std::string& user_id, int64_t amount, int64_t now_ms) = 0;
  // Gives back everything still held for the target (its paid payment), through the provider, in
  // the background; returns whether a refund was queued now.
  virtual bool refund_all(db::Connection& c, std::string_view purpose, const std::string& id,
                          const std::string& reason, int64_t now_ms) = 0;
  // The target was cancelled: a payment still pending for it can no longer be paid.
  virtual void void_pending(db::Connection& c, std::string_view purpose, const std::string& id,
                            int64_t now_ms) = 0;
  // Wakes the background settlement (call after the transaction that queued work commits).
  virtual void wake() = 0;
};

// Where the two meet: owners register their kinds, the payments service installs the ledger.
class PaymentHub {
 public:
  void add_kind(std::shared_ptr<PayableKind> kind) {
    std::lock_guard lock(mutex_);
    kinds_[std::string(kind->purpose())] = std::move(kind);
  }
  std::shared_ptr<PayableKind> kind(std::string_view purpose) const {
    std::lock_guard lock(mutex_);
    auto it = kinds_.find(std::string(purpose));
    return it == kinds_.end() ? nullptr : it->second;
  }
  std::vector<std::shared_ptr<PayableKind>> kinds() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<PayableKind>> out;
    for (const auto& [_, k] : kinds_) out.push_back(k);
    return out;
  }
  void set_ledger(std::shared_ptr<PaymentLedger> ledger) {
    std::lock_guard lock(mutex_);
    ledger_ = std::move(ledger);
  }
  // Null when the payments service is not compiled in.
  std::shared_ptr<PaymentLedger> ledger() const {
    std::lock_guard lock(mutex_);
    return ledger_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<PayableKind>> kinds_;
  std::shared_ptr<PaymentLedger> ledger_;
};

}  // namespace o4o::core
