#pragma once
// SQL on mail_outbox (migration 800): parameters in, rows out. Mail is written by whatever causes
// it, inside that cause's transaction (enqueue), and taken by the sender with a claim that runs
// out, so that of several instances only one sends a mail at a time.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace o4o::mail::outbox {

struct NewMail {
  std::string kind;  // verify_email, password_reset, password_changed, order_paid, ...
  std::string to;    // an address
  std::string subject;
  std::string text;
  std::string html;
};

struct Mail {
  std::string id;
  std::string kind;
  std::string to;
  std::string subject;
  std::string text;
  std::string html;
  std::string status;  // queued | sent | failed
  int attempts = 0;
  std::optional<std::string> last_error;
  int64_t created_at = 0;
  std::optional<int64_t> sent_at;
  std::optional<std::string> traceparent;  // of the work that queued it, for the SMTP call's span
};

// Returns the new mail's id. The trace the calling thread works in (if any) goes with the mail.
std::string enqueue(db::Connection& c, const NewMail& mail, int64_t now);
// Mails of a kind written to the address since `since` (the hourly limit per address).
int64_t count_recent(db::Connection& c, const std::string& to, const std::string& kind,
                     int64_t since);

// Queued mails due at `now`, each claimed until `until` (one instance wins each), up to `limit`.
std::vector<Mail> claim_due(db::Connection& c, int64_t now, int64_t until, int limit);
void mark_sent(db::Connection& c, const std::string& id, int64_t now);
void mark_retry(db::Connection& c, const std::string& id, const std::string& error,
                int64_t next_attempt_at);
void mark_failed(db::Connection& c, const std::string& id, const std::string& error);

// Newest first; `status` filters when set.
std::vector<Mail> list(db::Connection& c, const std::optional<std::string>& status, int64_t limit,
                       int64_t offset);
int64_t count(db::Connection& c, const std::optional<std::string>& status);

}  // namespace o4o::mail::outbox
