#pragma once
// The words of every mail the platform sends, in Korean and English: subject, plain text and a
// simple HTML version of the same. Pure: parameters in, text out (values are HTML-escaped in the
// HTML part).
#include <map>
#include <string>
#include <string_view>

namespace o4o::mail {

// The platform's name as mail shows it.
constexpr std::string_view kPlatformName = "O4O";

struct Composed {
  std::string subject;
  std::string text;
  std::string html;
};

// Named values a template fills in: "name" (the recipient's), "link" (the button), and per kind
// "title", "amount", "order", "email", "reason", "status".
using Params = std::map<std::string, std::string, std::less<>>;

// Kinds: verify_email, password_reset, password_changed, email_changed, order_paid,
// order_shipped, pledge_paid, pledge_refunded, project_ended, creator_request_approved,
// creator_request_rejected, new_pledge, paid_order_admin. locale: "en", anything else is Korean.
// Throws std::invalid_argument for an unknown kind.
Composed compose(std::string_view kind, std::string_view locale, const Params& params);

}  // namespace o4o::mail
