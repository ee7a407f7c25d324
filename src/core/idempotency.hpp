#pragma once
// Idempotency-Key handling for POST .../fund and POST /ecommerce/orders, scoped to
// (user, method, path, key): a retry replays the first 2xx answer, parallel duplicates wait for the
// first and replay it, a different body with the same key is 409 IDEMPOTENCY_CONFLICT. Only 2xx
// answers are kept, for 24 hours.
#include <functional>
#include <string>

#include "core/clock.hpp"
#include "core/http.hpp"

namespace o4o::db {
class Database;
}

namespace o4o::core {

class Idempotency {
 public:
  Idempotency(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Without an Idempotency-Key header, just runs work(). With one (1..255 characters, else 400),
  // runs work() at most once per key and body and answers every duplicate with its response.
  Response run(const Request& req, const std::string& user_id,
               const std::function<Response()>& work);

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace o4o::core
