#pragma once
// Idempotency-Key handling for POST .../fund and POST /ecommerce/orders, scoped to
// (user, method, path, key): a retry replays the first 2xx answer, parallel duplicates wait for the
// first and replay it, a different body with the same key is 409 IDEMPOTENCY_CONFLICT. Only 2xx
// answers are kept, for 24 hours.
//
// The answer is recorded in the transaction that makes the work's effect (IdempotentEffect), so
// that a crash between the two cannot leave an order placed with its key still open for a retry
// to place it again.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/envelope.hpp"
#include "core/http.hpp"
#include "db/database.hpp"

namespace o4o::core {

// Handed to the work of a request: record() belongs inside the write transaction that makes the
// work's effect, with the answer the request will give.
class IdempotentEffect {
 public:
  // Writes the answer a retry will replay. Without a key, does nothing. Throws 409 CONFLICT, and
  // so rolls the transaction back, when this request no longer holds its key (it ran so long that
  // a retry took the key over and runs the work itself). In a grouped write the key is taken here,
  // by one deferred INSERT of the finished record (see Idempotency::run_grouped).
  void record(db::Connection& c, const Response& answer) const;

  // The before-commit hook of a work that answers 201 with render(result): it renders that answer
  // into `answer` and records it, inside the transaction that made the result.
  template <class T, class Render>
  db::BeforeCommit<T> record_created(Response& answer, Render render) const {
    return [this, &answer, render](db::Connection& c, const T& result) {
      answer = created(render(result));
      record(c, answer);
    };
  }

 private:
  friend class Idempotency;
  struct Claim {
    std::string user_id, method, path, key;
    int64_t claimed_at = 0;
  };
  std::optional<Claim> claim_;
  // Grouped writes: no pending claim was made; record() inserts the done row with this hash.
  std::optional<std::string> grouped_body_hash_;
  mutable bool recorded_ = false;
};

class Idempotency {
 public:
  using Work = std::function<Response(const IdempotentEffect&)>;

  Idempotency(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Without an Idempotency-Key header, just runs work(). With one (1..255 characters, else 400),
  // runs work() at most once per key and body and answers every duplicate with its response. A
  // 2xx answer the work did not record itself is recorded after it returns. A duplicate that
  // comes while the first still runs answers Response::run_again_after, so that the session
  // asks again shortly; after 30 s of that (Request::reruns), 409 CONFLICT.
  Response run(const Request& req, const std::string& user_id, const Work& work);

  // The same for a hot write route, with group commit: work runs later, inside a savepoint of a
  // transaction shared with other requests (db::Database::write_grouped), and returns the answer;
  // the session gets that answer (Response::later) once the transaction is durable, and no worker
  // waits for it meanwhile. With a key, the key is taken at the end of the work's own savepoint,
  // by inserting the finished record (a deferred statement: no round trip of its own on
  // PostgreSQL, where a claim and its completion had cost two); a key that is already taken
  // fails that insert, which undoes the work's savepoint, and the request answers
  // run_again_after: that rerun goes through run() (a replay, a wait, or a conflict). A keyed work
  // that fails otherwise reruns the same way, since its key may name an order placed before (a
  // retry once the stock is gone must still replay it, not answer OUT_OF_STOCK). work must own
  // what it uses (capture by value): it runs on the committer thread after the handler returned.
  using GroupedWork = std::function<Response(db::Connection&, const IdempotentEffect&)>;
  Response run_grouped(const Request& req, const std::string& user_id, GroupedWork work);

  // Deletes up to `limit` records past their 24 hours, oldest first, in one short write, and
  // returns how many. The server's background purge calls it (app.cpp); no request does: when
  // requests swept the table (every keyed write for one second in sixteen), each batch of orders
  // waited for as many sweeps as it held.
  std::size_t purge_expired(std::size_t limit);

 private:
  // Runs the work of the request that holds the key's claim, and keeps or lets go of the claim.
  Response run_claimed(IdempotentEffect::Claim claim, const Work& work);

  db::Database& db_;
  const Clock& clock_;
};

}  // namespace o4o::core
