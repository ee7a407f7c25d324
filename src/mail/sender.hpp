#pragma once
// The outbox's background sender of one instance: a thread that, every second, claims the mails
// that are due (mail/outbox.hpp) and hands each to the SMTP server, outside any transaction. A
// mail is claimed for longer than one SMTP call can take, so of several instances exactly one
// sends it; a failure is retried on the schedule of mail/retry.hpp and, after 24 h, left failed.
// Started only when O4O_SMTP_URL is set: without it mail stays queued for admins to read.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "db/database.hpp"
#include "mail/smtp.hpp"

namespace o4o::mail {

class Sender {
 public:
  Sender(db::Database& db, const core::Clock& clock, SmtpSettings smtp, std::string from,
         std::chrono::milliseconds interval = std::chrono::milliseconds(1000));
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  void start();
  void stop();
  // Claims and sends what is due now; returns how many mails it tried.
  int send_once();

 private:
  void run();

  db::Database& db_;
  const core::Clock& clock_;
  SmtpSettings smtp_;
  std::string from_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace o4o::mail
