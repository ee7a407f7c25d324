#include "mail/notify.hpp"

#include "accounts/user_repository.hpp"
#include "mail/outbox.hpp"

namespace o4o::mail {

std::string public_base(const core::Config& config) {
  if (!config.public_url.empty()) return config.public_url;
  return "http://localhost:" + std::to_string(config.port);
}

std::string format_amount(int64_t minor_units, const core::Config& config) {
  uint64_t scale = 1;
  for (int i = 0; i < config.fraction_digits; ++i) scale *= 10;
  const bool negative = minor_units < 0;
  const uint64_t v = negative ? static_cast<uint64_t>(-(minor_units + 1)) + 1
                              : static_cast<uint64_t>(minor_units);
  const std::string digits = std::to_string(v / scale);
  std::string out = negative ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  if (config.fraction_digits > 0) {
    const std::string frac = std::to_string(v % scale + scale);  // "1" + the digits, zero-padded
    out += '.';
    out += frac.substr(1);
  }
  out += ' ';
  out += config.currency;
  return out;
}

std::string queue_to_address(db::Connection& c, const core::Config& config, const std::string& to,
                             std::string_view locale, std::string_view kind, const Params& params,
                             int64_t now) {
  (void)config;
  Composed m = compose(kind, locale, params);
  return outbox::enqueue(c, {std::string(kind), to, std::move(m.subject), std::move(m.text),
                             std::move(m.html)},
                         now);
}

bool queue_for_user(db::Connection& c, const core::Config& config, const std::string& user_id,
                    std::string_view kind, Params params, int64_t now) {
  auto user = accounts::user_repo::find(c, user_id);
  if (!user || user->email.empty()) return false;
  params.try_emplace("name", user->name);
  queue_to_address(c, config, user->email, user->locale, kind, params, now);
  return true;
}

void queue_for_watching_creator(db::Connection& c, const core::Config& config,
                                const std::string& user_id, std::string_view kind, Params params,
                                int64_t now) {
  auto user = accounts::user_repo::find(c, user_id);
  if (!user || user->email.empty() || !user->notify_new_pledges) return;
  params.try_emplace("name", user->name);
  queue_to_address(c, config, user->email, user->locale, kind, params, now);
}

void queue_for_admins(db::Connection& c, const core::Config& config, std::string_view kind,
                      Params params, int64_t now) {
  for (const auto& admin : accounts::user_repo::paid_order_watchers(c)) {
    Params p = params;
    p["name"] = admin.name;
    queue_to_address(c, config, admin.email, admin.locale, kind, p, now);
  }
}

}  // namespace o4o::mail
