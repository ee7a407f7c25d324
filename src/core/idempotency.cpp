#include "core/idempotency.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json_body.hpp"
#include "db/database.hpp"

namespace o4o::core {

namespace json = boost::json;

namespace {

// The path without empty segments ("/a//b/" -> "/a/b"), as the router reads it.
std::string route_path(std::string_view path) {
  std::string out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    const std::size_t end = std::min(path.find('/', i), path.size());
    if (end > i) out.append("/").append(path.substr(i, end - i));
    i = end;
  }
  return out.empty() ? "/" : out;
}
constexpr int64_t kKeepMs = 24LL * 3600 * 1000;
// A 'pending' row older than this belongs to a request that died with its process.
constexpr int64_t kStalePendingMs = 60 * 1000;
constexpr auto kWaitStep = std::chrono::milliseconds(20);
constexpr int kMaxWaitSteps = 1500;  // 30 s for a parallel duplicate to wait for the first
constexpr int kMaxRounds = 8;

// Same JSON, same text: object keys sorted at every level.
void canonical(const json::value& v, std::string& out) {
  if (v.is_object()) {
    std::vector<std::pair<std::string_view, const json::value*>> items;
    for (const auto& kv : v.as_object()) items.emplace_back(kv.key(), &kv.value());
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    out += '{';
    bool first = true;
    for (const auto& [k, val] : items) {
      if (!first) out += ',';
      first = false;
      out += json::serialize(json::string(k));
      out += ':';
      canonical(*val, out);
    }
    out += '}';
  } else if (v.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& e : v.as_array()) {
      if (!first) out += ',';
      first = false;
      canonical(e, out);
    }
    out += ']';
  } else {
    out += json::serialize(v);
  }
}

std::string body_hash(const Request& req) {
  JsonBody body = JsonBody::parse(req);  // the same 415/400 answers the handler would give
  std::string text;
  canonical(body.object(), text);
  return sha256_hex(text);
}

constexpr const char* kClaim =
    "INSERT INTO idempotency_keys (user_id, method, path, key, body_hash, state, created_at) "
    "VALUES ($1, $2, $3, $4, $5, 'pending', $6) ON CONFLICT DO NOTHING";
constexpr const char* kFind =
    "SELECT body_hash, state, status, response, created_at FROM idempotency_keys "
    "WHERE user_id = $1 AND method = $2 AND path = $3 AND key = $4";
// Only this request's own claim: a recorded answer stays even if the work fails after its
// transaction committed, and a retry's newer claim is not this request's to let go.
constexpr const char* kRelease =
    "DELETE FROM idempotency_keys WHERE user_id = $1 AND method = $2 AND path = $3 AND key = $4 "
    "AND state = 'pending' AND created_at = $5";
constexpr const char* kReleaseIfOlder =
    "DELETE FROM idempotency_keys WHERE user_id = $1 AND method = $2 AND path = $3 AND key = $4 "
    "AND created_at = $5";
// Only the claim this request made: a pending row of the same key and claim time.
constexpr const char* kCompleteClaim =
    "UPDATE idempotency_keys SET state = 'done', status = $5, response = $6 "
    "WHERE user_id = $1 AND method = $2 AND path = $3 AND key = $4 AND state = 'pending' "
    "AND created_at = $7";
// A grouped write's key and answer at once, at the end of its work (Idempotency::run_grouped).
constexpr const char* kInsertDone =
    "INSERT INTO idempotency_keys (user_id, method, path, key, body_hash, state, status, "
    "response, created_at) VALUES ($1, $2, $3, $4, $5, 'done', $6, $7, $8)";
// Expired records, oldest first, a chunk at a time (the index on created_at finds them, with or
// without statistics). created_at is checked again outside: a key freed and claimed anew
// meanwhile is not this purge's.
constexpr const char* kPurgeSome =
    "DELETE FROM idempotency_keys WHERE created_at < $1 AND (user_id, method, path, key) IN "
    "(SELECT user_id, method, path, key FROM idempotency_keys WHERE created_at < $1 "
    "ORDER BY created_at LIMIT $2)";
}  // namespace

void IdempotentEffect::record(db::Connection& c, const Response& answer) const {
  if (!claim_) return;
  const auto& k = *claim_;
  if (grouped_body_hash_) {
    // The key is taken by this very insert; a duplicate's record fails it (unique) and so undoes
    // the work with its savepoint.
    c.exec_deferred(kInsertDone, {k.user_id, k.method, k.path, k.key, *grouped_body_hash_,
                                  answer.status, answer.body, k.claimed_at});
    recorded_ = true;
    return;
  }
  if (c.exec(kCompleteClaim,
             {k.user_id, k.method, k.path, k.key, answer.status, answer.body, k.claimed_at}) != 1)
    throw err::conflict("CONFLICT",
                        "A retry with this Idempotency-Key took over while this request ran; "
                        "nothing was done");
  recorded_ = true;
}

std::size_t Idempotency::purge_expired(std::size_t limit) {
  const int64_t cutoff = clock_.now_ms() - kKeepMs;
  return static_cast<std::size_t>(db_.write([&](db::Connection& c) {
    return c.exec(kPurgeSome, {cutoff, static_cast<int64_t>(limit)});
  }));
}

Response Idempotency::run_claimed(IdempotentEffect::Claim claim, const Work& work) {
  IdempotentEffect effect;
  effect.claim_ = claim;
  Response r;
  try {
    r = work(effect);
    // Recorded in the work's own transaction, which has committed: nothing left to do.
    if (effect.recorded_) return r;
  } catch (...) {
    db_.write([&](db::Connection& c) {
      c.exec(kRelease, {claim.user_id, claim.method, claim.path, claim.key, claim.claimed_at});
    });
    throw;
  }
  db_.write([&](db::Connection& c) {
    if (r.status >= 200 && r.status < 300)
      c.exec(kCompleteClaim, {claim.user_id, claim.method, claim.path, claim.key, r.status, r.body,
                              claim.claimed_at});
    else
      c.exec(kRelease, {claim.user_id, claim.method, claim.path, claim.key, claim.claimed_at});
  });
  return r;
}

Response Idempotency::run_grouped(const Request& req, const std::string& user_id,
                                  GroupedWork work) {
  // A rerun (the key was taken) looks at the key first, as a duplicate does.
  if (req.reruns > 0) {
    return run(req, user_id, [&](const IdempotentEffect& effect) {
      return db_.write([&](db::Connection& c) { return work(c, effect); });
    });
  }
  auto effect = std::make_shared<IdempotentEffect>();
  if (auto key_header = req.header("idempotency-key")) {
    std::string key(*key_header);
    if (key.empty() || key.size() > 255)
      throw err::validation("Idempotency-Key", "Idempotency-Key must be 1 to 255 characters");
    // Keyed by the endpoint as the router matched it, as run() does.
    effect->claim_ = IdempotentEffect::Claim{user_id, std::string(method_name(req.method)),
                                             route_path(req.path), key, clock_.now_ms()};
  }
  if (effect->claim_) effect->grouped_body_hash_ = body_hash(req);
  auto later = std::make_shared<Later>();
  auto answer = std::make_shared<Response>();
  const bool keyed = effect->claim_.has_value();
  db_.write_grouped(
      [effect, answer, work = std::move(work)](db::Connection& c) {
        effect->recorded_ = false;
        *answer = work(c, *effect);
        // Only a 2xx answer is kept; any other leaves the key free, as nothing claimed it.
        if (effect->claim_ && !effect->recorded_ && answer->status >= 200 && answer->status < 300)
          effect->record(c, *answer);
      },
      [later, answer, keyed, request_id = req.request_id](std::exception_ptr error) {
        if (!error) return later->give(std::move(*answer));
        // A keyed work that failed runs again through run(), which looks at the key first: the
        // key was taken (by a duplicate earlier in the same batch: the unique insert failed), or
        // this is a retry of an order that was placed and its work fails now only because what
        // it took is gone (OUT_OF_STOCK): either way the first answer is replayed (or the body
        // refused as a conflict). A key nobody holds runs the work once more and gives its error.
        if (keyed) {
          Response again;
          again.run_again_after = std::chrono::milliseconds(0);
          return later->give(std::move(again));
        }
        later->give(render_error(error, request_id));
      });
  Response r;
  r.later = std::move(later);
  return r;
}

Response Idempotency::run(const Request& req, const std::string& user_id, const Work& work) {
  auto key_header = req.header("idempotency-key");
  if (!key_header) return work(IdempotentEffect{});
  std::string key(*key_header);
  if (key.empty() || key.size() > 255)
    throw err::validation("Idempotency-Key", "Idempotency-Key must be 1 to 255 characters");
  const std::string method(method_name(req.method));
  const std::string hash = body_hash(req);
  // The endpoint as the router matched it: "//" and a trailing "/" name the same one (issue 19).
  const std::string path = route_path(req.path);

  // A duplicate of a request still running waits for its answer by asking the session to run it
  // again shortly (no worker sleeps meanwhile), for 30 s at most.
  const auto wait_for_first = [&req] {
    if (req.reruns >= kMaxWaitSteps)
      throw err::conflict("CONFLICT", "A request with this Idempotency-Key is still in progress");
    Response again;
    again.run_again_after = kWaitStep;
    return again;
  };
  const auto find = [&] {
    return db_.read([&](db::Connection& c) {
      return c.query_one(kFind, {user_id, method, path, key});
    });
  };
  // A few rounds for a key that changes hands meanwhile (released or found stale).
  for (int round = 0; round < kMaxRounds; ++round) {
    const int64_t now = clock_.now_ms();
    // A duplicate that runs again looks before it tries to claim: waiting costs no write.
    std::optional<db::Row> row;
    if (req.reruns > 0 && round == 0) row = find();
    if (!row) {
      const bool claimed = db_.write([&](db::Connection& c) {
        return c.exec(kClaim, {user_id, method, path, key, hash, now}) == 1;
      });
      if (claimed) return run_claimed({user_id, method, path, key, now}, work);
      row = find();
      if (!row) continue;  // the first attempt failed and let go of the key: run as new
    }
    const int64_t created = row->i64(4);
    const std::string state = row->str(1);
    if (now - created > kKeepMs || (state == "pending" && now - created > kStalePendingMs)) {
      db_.write([&](db::Connection& c) {
        c.exec(kReleaseIfOlder, {user_id, method, path, key, created});
      });
      continue;
    }
    if (row->str(0) != hash)
      throw err::conflict("IDEMPOTENCY_CONFLICT",
                          "This Idempotency-Key was already used with a different request body");
    if (state == "done") {
      Response r;
      r.status = static_cast<int>(row->i64(2));
      r.body = row->str(3);
      r.set_header("Idempotent-Replayed", "true");
      return r;
    }
    return wait_for_first();
  }
  return wait_for_first();
}

}  // namespace o4o::core
