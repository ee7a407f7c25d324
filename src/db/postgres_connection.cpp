#include "db/postgres_connection.hpp"

#include <chrono>
#include <cstring>
#include <exception>

namespace o4o::db {

namespace {

constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kFloat4Oid = 700,
              kFloat8Oid = 701, kNumericOid = 1700;

std::string first_line(const char* text) {
  std::string s = text ? text : "";
  auto nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  return s;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

Value value(PGresult* res, int r, int c) {
  if (PQgetisnull(res, r, c)) return nullptr;
  const char* v = PQgetvalue(res, r, c);
  const int len = PQgetlength(res, r, c);
  switch (PQftype(res, c)) {
    case kBoolOid:
      return v[0] == 't';
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      return static_cast<int64_t>(std::strtoll(v, nullptr, 10));
    case kFloat4Oid:
    case kFloat8Oid:
      return std::strtod(v, nullptr);
    case kNumericOid:
      if (!std::strchr(v, '.')) return static_cast<int64_t>(std::strtoll(v, nullptr, 10));
      return std::strtod(v, nullptr);
    default:
      return std::string(v, static_cast<std::size_t>(len));
  }
}

}  // namespace

void PgConnection::ensure() {
  if (conn_ && PQstatus(conn_) == CONNECTION_OK) return;
  disconnect();
  conn_ = PQconnectdb(conninfo_.c_str());
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = first_line(conn_ ? PQerrorMessage(conn_) : "out of memory");
    disconnect();
    throw UnavailableError("cannot connect to PostgreSQL: " + msg);
  }
  {
    std::lock_guard lock(cancel_mutex_);
    cancel_ = PQgetCancel(conn_);
  }
  run_plain("SET TIME ZONE 'UTC'");
  fresh_ = true;
}

void PgConnection::disconnect() {
  {
    std::lock_guard lock(cancel_mutex_);
    if (cancel_) PQfreeCancel(cancel_);
    cancel_ = nullptr;
  }
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  busy_ = false;
  prepared_.clear();
  deferred_.clear();
  sent_early_ = 0;
  handed_over_.clear();
}

void PgConnection::exec_script(std::string_view sql) {
  if (pending()) {
    try {
      flush();
    } catch (...) {
      // A rollback (to a savepoint) undoes what failed among them: it must still run.
      if (!sql.starts_with("ROLLBACK")) throw;
    }
  }
  run_plain(std::string(sql));
}

void PgConnection::cancel() noexcept {
  std::lock_guard lock(cancel_mutex_);
  char error[256];
  if (cancel_) PQcancel(cancel_, error, sizeof error);
}

PgConnection::Call PgConnection::call(std::string_view sql, std::span<const Param> params) {
  if (stopping_.load(std::memory_order_relaxed))
    throw TimeoutError("the database is interrupted: the server is stopping");
  Call out{prepare(sql), {}};
  out.params.reserve(params.size());
  for (const auto& p : params) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::nullptr_t>)
            out.params.emplace_back(std::nullopt);
          else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, double>)
            out.params.emplace_back(std::to_string(v));
          else if constexpr (std::is_same_v<T, bool>)
            out.params.emplace_back(v ? "true" : "false");
          else
            out.params.emplace_back(std::string(v));
        },
        p.value());
  }
  return out;
}

bool PgConnection::send_call(const Call& c) {
  std::vector<const char*> values(c.params.size(), nullptr);
  for (std::size_t i = 0; i < c.params.size(); ++i)
    if (c.params[i]) values[i] = c.params[i]->c_str();
  return PQsendQueryPrepared(conn_, c.name.c_str(), static_cast<int>(values.size()), values.data(),
                             nullptr, nullptr, 0) == 1;
}

void PgConnection::send(std::string_view sql, std::span<const Param> params) {
  flush();
  const Call c = call(sql, params);
  if (!send_call(c)) {
    ResultPtr none;
    check(none.get(), "query");
  }
  busy_ = true;
}

Result PgConnection::query(std::string_view sql, std::span<const Param> params) {
  if (pending()) {
    const Call last = call(sql, params);
    return run_pipeline(&last);
  }
  send(sql, params);
  return receive();
}

void PgConnection::exec_deferred(std::string_view sql, std::span<const Param> params) {
  deferred_.push_back(call(sql, params));
}

void PgConnection::hand_over_deferred() {
  handed_over_.push_back(sent_early_ + deferred_.size());
  // Not sent now (they wait for the next flush, as they would have): nothing to send, or a
  // connection that is already gone (that flush reports it).
  if (deferred_.empty() || !healthy()) return;
  if (sent_early_ == 0 && !PQenterPipelineMode(conn_)) return;
  for (const auto& c : deferred_) {
    if (!send_call(c)) {
      disconnect();
      throw UnavailableError("PostgreSQL pipeline: cannot send");
    }
    ++sent_early_;
  }
  deferred_.clear();
  // Onto the wire now: libpq keeps a pipeline's messages in its buffer until told.
  if (PQflush(conn_) != 0) {
    disconnect();
    throw UnavailableError("PostgreSQL pipeline: cannot send");
  }
}

void PgConnection::flush() {
  if (pending()) run_pipeline(nullptr);
}

Result PgConnection::run_pipeline(const Call* last) {
  std::vector<Call> calls = std::exchange(deferred_, {});
  const std::vector<std::size_t> earlier = std::exchange(handed_over_, {});
  const std::size_t early = std::exchange(sent_early_, 0);
  if (!healthy()) throw UnavailableError("PostgreSQL connection lost");
  // Anything out of step below leaves the connection in a state no later statement can trust:
  // it is dropped (made again on next use), and the transaction with it.
  const auto lost = [this](const char* what) {
    disconnect();
    return UnavailableError(std::string("PostgreSQL pipeline: ") + what);
  };
  // Already in pipeline mode when statements went out early.
  if (early == 0 && !PQenterPipelineMode(conn_)) throw lost("cannot enter pipeline mode");
  std::size_t sent = early;
  for (const auto& c : calls) {
    if (!send_call(c)) throw lost("cannot send");
    ++sent;
  }
  if (last) {
    if (!send_call(*last)) throw lost("cannot send");
    ++sent;
  }
  if (!PQpipelineSync(conn_)) throw lost("cannot sync");
  // Each statement's result, then libpq's NULL that ends it; after the first error the server
  // skips the rest (PGRES_PIPELINE_ABORTED) up to the sync.
  ResultPtr failed;
  std::size_t failed_at = 0;
  Result out;
  for (std::size_t i = 0; i < sent; ++i) {
    ResultPtr res(PQgetResult(conn_));
    if (!res)
      throw lost(PQstatus(conn_) == CONNECTION_OK ? "a result is missing" : "connection lost");
    while (ResultPtr extra{PQgetResult(conn_)}) {
      // Only a statement returning several result sets has more; none of these does.
    }
    const auto st = PQresultStatus(res.get());
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
      if (last && i + 1 == sent) out = result_of(res.get());
      continue;
    }
    if (!failed && st != PGRES_PIPELINE_ABORTED) {
      failed = std::move(res);
      failed_at = i;
    }
  }
  ResultPtr sync(PQgetResult(conn_));
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) throw lost("no sync");
  if (!PQexitPipelineMode(conn_)) throw lost("cannot leave pipeline mode");
  if (failed && !earlier.empty() && failed_at < earlier.back()) {
    // The work it belongs to, counted back from the current one.
    std::size_t work = 0;
    while (failed_at >= earlier[work]) ++work;
    try {
      check(failed.get(), "query");
    } catch (...) {
      throw EarlierWorkError{std::current_exception(), earlier.size() - work};
    }
  }
  if (failed) check(failed.get(), "query");
  return out;
}

Result PgConnection::receive() {
  busy_ = false;
  ResultPtr res(PQgetResult(conn_));
  while (ResultPtr extra{PQgetResult(conn_)}) {
  }
  check(res.get(), "query");
  return result_of(res.get());
}

Result PgConnection::result_of(PGresult* res) {
  Result out;
  if (PQresultStatus(res) == PGRES_TUPLES_OK) {
    const int rows = PQntuples(res), cols = PQnfields(res);
    out.rows.reserve(rows);
    for (int r = 0; r < rows; ++r) {
      std::vector<Value> vals;
      vals.reserve(cols);
      for (int c = 0; c < cols; ++c) vals.push_back(value(res, r, c));
      out.rows.emplace_back(std::move(vals));
    }
  }
  const char* affected = PQcmdTuples(res);
  out.affected = (affected && *affected) ? std::atoll(affected) : 0;
  return out;
}

const std::string& PgConnection::prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = prepared_.find(key); it != prepared_.end()) return it->second;
  // libpq prepares only outside a pipeline: the statements sent early go first (their errors
  // are thrown here, as by any statement that needs an answer).
  if (sent_early_ > 0) flush();
  if (!healthy()) throw UnavailableError("PostgreSQL connection lost");
  // (built by appending: "s" + to_string trips a false -Wrestrict in GCC 12)
  std::string name("s");
  name += std::to_string(prepared_.size() + 1);
  ResultPtr res(PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr));
  check(res.get(), "prepare");
  return prepared_.emplace(std::move(key), std::move(name)).first->second;
}

void PgConnection::run_plain(const std::string& sql) {
  if (!conn_) throw UnavailableError("PostgreSQL connection lost");
  ResultPtr res(PQexec(conn_, sql.c_str()));
  check(res.get(), "statement");
}

void PgConnection::check(PGresult* res, std::string_view context) {
  auto st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return;
  if (!healthy()) {
    disconnect();
    throw UnavailableError("PostgreSQL connection lost");
  }
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state ? state : "";
  std::string msg = std::string(context) + ": " +
                    first_line(res ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
  if (code == "40001" || code == "40P01" || code == "55P03") throw RetryableError(msg);
  if (code == "57014") throw TimeoutError(msg);  // statement_timeout (query_canceled)
  if (code.rfind("23", 0) == 0) {
    const char* cname = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
    auto kind = code == "23505"   ? ConstraintError::Kind::unique
                : code == "23503" ? ConstraintError::Kind::foreign_key
                : code == "23514" ? ConstraintError::Kind::check
                : code == "23502" ? ConstraintError::Kind::not_null
                                  : ConstraintError::Kind::other;
    throw ConstraintError(kind, cname ? cname : "", msg);
  }
  if (code.rfind("08", 0) == 0 || code == "57P01" || code == "57P02" || code == "57P03" ||
      code == "53300")
    throw UnavailableError(msg);
  throw Error(msg);
}

std::string pg_conninfo(const std::string& url, const OpenOptions& options) {
  std::string conninfo = url;
  conninfo += (url.find('?') == std::string::npos ? "?" : "&");
  conninfo += "connect_timeout=" + std::to_string(std::max(2, options.connect_timeout_seconds));
  conninfo += "&application_name=o4o";
  // The query deadline, as the session default (migrations lift it for their transaction).
  if (options.statement_timeout_ms > 0) {
    conninfo += "&options=-c%20statement_timeout%3D" + std::to_string(options.statement_timeout_ms);
  }
  return conninfo;
}

PgPool::PgPool(const std::string& conninfo, int size, const std::atomic<bool>& stopping) {
  for (int i = 0; i < std::max(1, size); ++i) {
    conns_.push_back(std::make_unique<PgConnection>(conninfo, stopping));
    free_.push_back(conns_.back().get());
  }
}

Database::PoolStats PgPool::stats() {
  std::lock_guard lock(mutex_);
  const auto idle = static_cast<int64_t>(free_.size());
  return {static_cast<int64_t>(conns_.size()) - idle, idle, waiters_};
}

PgConnection* PgPool::take() {
  std::unique_lock lock(mutex_);
  ++waiters_;
  const bool got = cv_.wait_for(lock, std::chrono::seconds(10), [&] { return !free_.empty(); });
  --waiters_;
  if (!got) throw UnavailableError("no PostgreSQL connection became free within 10 s");
  PgConnection* c = free_.back();
  free_.pop_back();
  return c;
}

void PgPool::give_back(PgConnection* c) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(c);
  }
  cv_.notify_one();
}

void PgPool::close() noexcept {
  std::lock_guard lock(mutex_);
  for (auto* c : free_) c->disconnect();
}

void PgPool::cancel_all() noexcept {
  for (auto& c : conns_) c->cancel();
}

PgPool::Idle::Idle(PgPool& pool, std::size_t n) : pool_(pool) {
  {
    std::lock_guard lock(pool_.mutex_);
    if (n < 2 || pool_.free_.size() != pool_.conns_.size() || pool_.free_.size() < n) return;
    for (std::size_t i = 0; i < n; ++i) {
      taken_.push_back(pool_.free_.back());
      pool_.free_.pop_back();
    }
  }
  try {
    for (auto* c : taken_) c->ensure();
  } catch (const Error&) {
    release();
  }
}

void PgPool::Idle::release() {
  for (auto* c : taken_) pool_.give_back(c);
  taken_.clear();
}

std::optional<std::vector<Result>> PgPool::read_at_once(
    std::span<const Query> queries, const std::function<bool(PgConnection&)>& fresh_ok) {
  Idle idle(*this, queries.size());
  if (!idle) return std::nullopt;
  if (fresh_ok) {
    try {
      for (std::size_t i = 0; i < idle.size(); ++i)
        if (idle[i].take_fresh() && !fresh_ok(idle[i])) return std::nullopt;
    } catch (const Error&) {
      return std::nullopt;
    }
  }
  std::vector<Result> out(queries.size());
  std::exception_ptr failure;
  try {
    for (std::size_t i = 0; i < queries.size(); ++i)
      idle[i].send(queries[i].sql, queries[i].params);
  } catch (...) {
    failure = std::current_exception();
  }
  // Every statement sent is collected, failed or not, before the connections go back.
  for (std::size_t i = 0; i < idle.size(); ++i) {
    if (!idle[i].busy()) continue;
    try {
      out[i] = idle[i].receive();
    } catch (...) {
      if (!failure) failure = std::current_exception();
    }
  }
  if (!failure) return out;
  try {
    std::rethrow_exception(failure);
  } catch (const UnavailableError&) {
    return std::nullopt;  // a connection broke: the caller's usual path reconnects
  }
}

}  // namespace o4o::db
