#include "mail/sender.hpp"

#include "core/ids.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/trace.hpp"
#include "mail/mime.hpp"
#include "mail/outbox.hpp"
#include "mail/retry.hpp"

namespace o4o::mail {
namespace {

constexpr int kBatch = 20;

}  // namespace

// The loop starts last, once what its ticks use is there. A full batch may mean more is due:
// the next one is claimed at once.
Sender::Sender(db::Database& db, const core::Clock& clock, SmtpSettings smtp, std::string from,
               std::chrono::milliseconds interval)
    : db_(db),
      clock_(clock),
      smtp_(std::move(smtp)),
      from_(std::move(from)),
      loop_("mail sender", interval, interval,
            [this](const std::stop_token& stop) { return send_once(stop) >= kBatch; }) {}

void Sender::stop() {
  loop_.stop();
}

int Sender::send_once(const std::stop_token& stop) {
  const int64_t now = clock_.now_ms();
  // Long enough for every mail of the batch to be tried one after the other.
  const int64_t until = now + (smtp_.timeout.count() + 5'000) * kBatch;
  auto batch = db_.write([&](db::Connection& c) { return outbox::claim_due(c, now, until, kBatch); });
  const Mailbox from = parse_mailbox(from_);
  for (const auto& mail : batch) {
    // Stopping: the claim runs out, and another round (or instance) sends the rest.
    if (stop.stop_requested()) break;
    // The mail is sent in the trace of the work that queued it: the SMTP call is a client span
    // under it, and the lines (and transactions) below carry its trace_id.
    const auto queued_by =
        mail.traceparent ? core::trace::continue_from(*mail.traceparent) : std::nullopt;
    std::optional<core::trace::Scope> scope;
    if (queued_by) scope.emplace(*queued_by);
    Message message{from_,
                    mail.to,
                    mail.subject,
                    mail.text,
                    mail.html,
                    clock_.now_ms(),
                    mail.id,
                    "o4o-" + core::random_hex(12)};
    try {
      {
        core::trace::Span span("smtp send", core::trace::Kind::client);
        span.attribute("mail.kind", mail.kind);
        span.attribute("mail.attempt", static_cast<int64_t>(mail.attempts));
        try {
          smtp_send(smtp_, from.address, mail.to, build_message(message));
        } catch (const SmtpError&) {
          span.set_error();
          throw;
        }
      }
      db_.write([&](db::Connection& c) { outbox::mark_sent(c, mail.id, clock_.now_ms()); });
      core::metrics::count_mail("sent");
      core::log::info("mail sent", {{"mail_id", mail.id}, {"kind", mail.kind}});
    } catch (const SmtpError& e) {
      const int64_t at = clock_.now_ms();
      const auto next = e.permanent ? std::nullopt : next_attempt_at(mail.attempts, mail.created_at, at);
      db_.write([&](db::Connection& c) {
        if (next) {
          outbox::mark_retry(c, mail.id, e.what(), *next);
        } else {
          outbox::mark_failed(c, mail.id, e.what());
        }
      });
      core::metrics::count_mail(next ? "retry" : "failed");
      core::log::warn("mail not sent", {{"mail_id", mail.id},
                                        {"kind", mail.kind},
                                        {"attempts", mail.attempts},
                                        {"error", e.what()},
                                        {"final", !next.has_value()}});
    }
  }
  return static_cast<int>(batch.size());
}

}  // namespace o4o::mail
