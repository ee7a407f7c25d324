#pragma once
// Quotes for the tools that move money (place_order, back_project): the first call answers a
// quote and changes nothing; the second, with the same arguments, confirm: true and the quote's
// id, acts. A quote id is signed, not stored: it binds the tool, the user, the arguments and the
// total the user was shown, and carries its expiry and that total, so any instance sharing the
// secret can check it. The confirmed REST call
// carries an Idempotency-Key derived from the quote id, so that a repeated or parallel confirm
// replays the first answer and acts once (the REST API's idempotency, core/idempotency.hpp).
#include <cstdint>
#include <string>
#include <string_view>

namespace o4o::services::mcp {

class Quotes {
 public:
  static constexpr int64_t kLifetimeMs = 15 * 60 * 1000;

  explicit Quotes(std::string secret) : secret_(std::move(secret)) {}

  // "q1.<expires ms>.<total>.<hex HMAC-SHA256>".
  std::string issue(std::string_view tool, std::string_view user_id, std::string_view args,
                    int64_t total, int64_t expires_ms) const;
  enum class Check { ok, invalid, expired };
  Check check(std::string_view quote_id, std::string_view tool, std::string_view user_id,
              std::string_view args, int64_t now_ms) const;
  static int64_t expiry_of(std::string_view quote_id);
  // The total the quote was issued for (-1 when the id is malformed); trust it only after check().
  static int64_t total_of(std::string_view quote_id);
  // The Idempotency-Key of the confirmed call.
  static std::string idempotency_key(std::string_view quote_id);

 private:
  std::string mac(std::string_view message) const;
  std::string secret_;
};

}  // namespace o4o::services::mcp
