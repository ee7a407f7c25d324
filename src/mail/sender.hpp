#pragma once
// The outbox's background sender of one instance: a core::Periodic that, every second, claims the
// mails that are due (mail/outbox.hpp) and hands each to the SMTP server, outside any transaction.
// A mail is claimed for longer than one SMTP call can take, so of several instances exactly one
// sends it; a failure is retried on the schedule of mail/retry.hpp and, after 24 h, left failed.
// Started only when O4O_SMTP_URL is set: without it mail stays queued for admins to read.
#include <chrono>
#include <stop_token>

#include "core/clock.hpp"
#include "core/periodic.hpp"
#include "db/database.hpp"
#include "mail/smtp.hpp"

namespace o4o::mail {

class Sender {
 public:
  Sender(db::Database& db, const core::Clock& clock, SmtpSettings smtp, std::string from,
         std::chrono::milliseconds interval = std::chrono::milliseconds(1000));
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // Sends from construction until stop() or the destructor; returns once a mail under way is sent.
  void stop();

 private:
  // Claims and sends what is due now; returns how many mails it tried. Stops between mails once
  // `stop` is requested.
  int send_once(const std::stop_token& stop);

  db::Database& db_;
  const core::Clock& clock_;
  SmtpSettings smtp_;
  std::string from_;
  core::Periodic loop_;  // last: its ticks use the members above
};

}  // namespace o4o::mail
