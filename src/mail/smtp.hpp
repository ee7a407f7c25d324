#pragma once
// One message handed to an SMTP server through libcurl, with a hard deadline. smtp:// upgrades with
// STARTTLS and refuses to go on without it (except to a loopback host, where there is no wire to
// protect); smtps:// is TLS from the first byte. Certificates are always verified; `ca_file` adds
// a private authority. Blocking: the outbox's sender thread calls it, never an IO thread.
#include <chrono>
#include <stdexcept>
#include <string>

namespace o4o::mail {

struct SmtpSettings {
  std::string url;      // smtp://user:pass@host:587 or smtps://user:pass@host:465
  std::string ca_file;  // empty: the system's authorities
  std::chrono::milliseconds timeout{30'000};
};

struct SmtpError : std::runtime_error {
  SmtpError(const std::string& what, bool permanent_)
      : std::runtime_error(what), permanent(permanent_) {}
  // The server refused the mail for good (a 5xx answer): retrying cannot help.
  bool permanent;
};

// Throws SmtpError; its message names the kind of failure and the SMTP code, never the URL (which
// may carry a password).
void smtp_send(const SmtpSettings& settings, const std::string& from_address,
               const std::string& to_address, const std::string& message);

}  // namespace o4o::mail
