#include "db/replicas.hpp"

#include <algorithm>

#include "core/logging.hpp"

namespace o4o::db {

namespace {

constexpr std::string_view kPrimaryPosition = "SELECT pg_current_wal_lsn()::text";
constexpr std::string_view kReplicaState =
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text";
constexpr std::string_view kReplayPosition = "SELECT pg_last_wal_replay_lsn()::text";

constexpr std::chrono::milliseconds kSampleEvery{50};
constexpr std::size_t kMostSamples = 20'000;  // 1,000 s of them
// Past this many remembered writers, all of them become the floor every read must see (a
// moment on the primary for everyone rather than memory without bound).
constexpr std::size_t kMostRemembered = 200'000;

// "postgresql://user:pass@db2:5433/o4o?x=y" → "db2:5433".
std::string host_of(const std::string& url) {
  auto start = url.find("://");
  std::string rest = start == std::string::npos ? url : url.substr(start + 3);
  rest = rest.substr(0, rest.find_first_of("/?"));
  if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  return rest.empty() ? "local" : rest;
}

const char* name_of(int state) {
  static const char* names[] = {"starting", "ok", "lagging", "down"};
  return names[state];
}

// The LSN in column i of a row, 0 when NULL or unreadable.
Lsn lsn_at(const std::optional<Row>& row, std::size_t i) {
  if (!row || row->is_null(i)) return 0;
  return parse_lsn(row->str(i)).value_or(0);
}

OpenOptions checker_options(const OpenOptions& options) {
  OpenOptions o = options;
  o.connect_timeout_seconds = 2;
  o.statement_timeout_ms = 1000;
  return o;
}

}  // namespace

ReplicaSet::ReplicaSet(const std::string& primary_url, const OpenOptions& options,
                       const std::atomic<bool>& stopping)
    : interrupted_(stopping),
      max_lag_(std::max(1, options.replica_max_lag_ms)),
      check_every_(std::clamp<std::chrono::milliseconds>(
          max_lag_ / 4, std::chrono::milliseconds(50), std::chrono::milliseconds(1000))),
      // A replica checked within 2 intervals and lagging less than the limit has replayed every
      // commit older than limit + 3 intervals: past that (and a margin), a writer needs no memo.
      remember_for_(max_lag_ + 4 * check_every_ + std::chrono::milliseconds(1000)),
      primary_conninfo_(pg_conninfo(primary_url, checker_options(options))) {
  int index = 0;
  for (const auto& url : options.replica_urls) {
    auto r = std::make_unique<Replica>();
    r->index = ++index;
    r->host = host_of(url);
    r->conninfo = pg_conninfo(url, checker_options(options));
    r->pool = std::make_unique<PgPool>(pg_conninfo(url, options), options.pool_size, stopping);
    replicas_.push_back(std::move(r));
  }
  // Replicas are checked from the start, but none has to answer for the server to start: one
  // that is down serves no reads until it is back.
  sampler_ = std::thread([this] { sample_loop(); });
  for (auto& r : replicas_) r->checker = std::thread([this, rp = r.get()] { check_loop(*rp); });
}

ReplicaSet::~ReplicaSet() {
  stop();
}

void ReplicaSet::stop() noexcept {
  {
    std::lock_guard lock(stop_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (sampler_.joinable()) sampler_.join();
  for (auto& r : replicas_) {
    if (r->checker.joinable()) r->checker.join();
    r->pool->close();
  }
}

void ReplicaSet::interrupt() noexcept {
  for (auto& r : replicas_) r->pool->cancel_all();
}

bool ReplicaSet::pause(std::chrono::milliseconds d) {
  std::unique_lock lock(stop_mutex_);
  return !stop_cv_.wait_for(lock, d, [&] { return stopping_; });
}

std::vector<ReplicaSet::Replica*> ReplicaSet::usable() {
  const auto now = Clock::now();
  const auto fresh_within = 2 * check_every_ + std::chrono::milliseconds(500);
  std::vector<Replica*> out;
  const std::size_t n = replicas_.size();
  const std::size_t first = turn_.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i < n; ++i) {
    Replica& r = *replicas_[(first + i) % n];
    std::lock_guard lock(r.mutex);
    if (r.state == State::ok && now - r.checked_at <= fresh_within) out.push_back(&r);
  }
  return out;
}

Lsn ReplicaSet::needed_by(Session& s) {
  Lsn need = std::max(floor_.load(std::memory_order_acquire), s.needed());
  const auto keys = s.keys();
  if (keys.empty()) return need;
  const auto now = Clock::now();
  std::lock_guard lock(recent_mutex_);
  if (recent_.empty()) return need;
  for (const auto& k : keys) {
    auto it = recent_.find(k);
    if (it != recent_.end() && now - it->second.at < remember_for_)
      need = std::max(need, it->second.lsn);
  }
  return need;
}

bool ReplicaSet::try_read(Session& s, const std::function<void(Connection&)>& f) {
  const auto candidates = usable();
  if (candidates.empty()) {
    fallback_unavailable_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  const Lsn need = needed_by(s);
  Replica* r = nullptr;
  for (auto* c : candidates) {
    if (c->replayed.load(std::memory_order_acquire) >= need) {
      r = c;
      break;
    }
  }
  // None is known to have replayed enough yet: ask the next in turn where it is now.
  const bool ask = r == nullptr;
  if (!r) r = candidates.front();
  bool behind = false;
  try {
    // A connection broken by a restart of the replica is made again and the read run once more:
    // as a new connection, it asks first where the replica is.
    r->pool->with_connection([&](PgConnection& c) {
      // A new connection may reach a replica that restarted behind what it showed before.
      const bool fresh = c.take_fresh();
      if (ask || fresh) {
        const Lsn at = lsn_at(c.query_one(kReplayPosition), 0);
        if (fresh && at < r->replayed.load(std::memory_order_acquire))
          r->replayed.store(at, std::memory_order_release);
        raise_lsn(r->replayed, at);
        if (at < need) {
          behind = true;
          return;
        }
      }
      f(c);
    });
  } catch (const TimeoutError&) {
    throw;  // the read itself is too slow: the primary would take as long
  } catch (const UnavailableError& e) {
    set_state(*r, State::down, std::nullopt, false);
    core::log::warn("read replica failed; reading from the primary",
                    {{"replica", r->index}, {"host", r->host}, {"error", e.what()}});
    fallback_error_.fetch_add(1, std::memory_order_relaxed);
    return false;
  } catch (const RetryableError&) {
    // Canceled by a conflict with recovery (the replica replaying a change the read needed).
    fallback_error_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  if (behind) {
    fallback_recent_write_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  r->reads.fetch_add(1, std::memory_order_relaxed);
  return true;
}

std::optional<std::vector<Result>> ReplicaSet::try_read_at_once(Session& s,
                                                                std::span<const Query> queries) {
  const Lsn need = needed_by(s);
  for (auto* r : usable()) {
    if (r->replayed.load(std::memory_order_acquire) < need) continue;
    try {
      auto out = r->pool->read_at_once(queries, [&](PgConnection& c) {
        const Lsn at = lsn_at(c.query_one(kReplayPosition), 0);
        if (at < r->replayed.load(std::memory_order_acquire))
          r->replayed.store(at, std::memory_order_release);
        return at >= need;
      });
      if (out) r->reads.fetch_add(1, std::memory_order_relaxed);
      return out;
    } catch (const RetryableError&) {
      return std::nullopt;  // the caller's usual path reads again
    }
  }
  return std::nullopt;
}

void ReplicaSet::remember(Session& s, std::optional<Lsn> lsn) {
  // Unknown (the position could not be read after the commit): the highest position, which no
  // replica reaches, so the session's keys read from the primary until forgotten.
  const Lsn at = lsn.value_or(~Lsn{0});
  if (lsn) s.wrote(*lsn);
  const auto keys = s.keys();
  if (keys.empty()) return;
  const auto now = Clock::now();
  std::lock_guard lock(recent_mutex_);
  if (recent_.size() >= kMostRemembered) {
    Lsn most = 0;
    for (const auto& [k, v] : recent_) most = std::max(most, v.lsn);
    raise_lsn(floor_, most);
    recent_.clear();
  }
  for (const auto& k : keys) {
    auto& e = recent_[k];
    e.lsn = std::max(e.lsn, at);
    e.at = now;
  }
}

void ReplicaSet::require(Lsn lsn) {
  raise_lsn(floor_, lsn);
}

void ReplicaSet::forget_old() {
  const auto now = Clock::now();
  std::lock_guard lock(recent_mutex_);
  std::erase_if(recent_, [&](const auto& e) { return now - e.second.at >= remember_for_; });
}

void ReplicaSet::set_state(Replica& r, State next, std::optional<int64_t> lag_ms, bool checked) {
  State before;
  {
    std::lock_guard lock(r.mutex);
    before = r.state;
    r.state = next;
    r.lag_ms = lag_ms;
    if (checked) r.checked_at = Clock::now();
  }
  // What it showed before a failure may be ahead of where it restarts: learnt again from checks.
  if (next == State::down) r.replayed.store(0, std::memory_order_release);
  if (before == next) return;
  boost::json::object fields{{"replica", r.index},
                             {"host", r.host},
                             {"from", name_of(static_cast<int>(before))},
                             {"to", name_of(static_cast<int>(next))}};
  if (lag_ms) fields["lagMs"] = *lag_ms;
  if (next == State::ok)
    core::log::info("read replica state", std::move(fields));
  else
    core::log::warn("read replica state", std::move(fields));
}

std::optional<int64_t> ReplicaSet::lag_of(Lsn replayed, Clock::time_point now) {
  std::lock_guard lock(samples_mutex_);
  if (samples_.empty()) return std::nullopt;
  if (replayed >= samples_.back().second) return 0;
  // The last moment the primary stood at a position the replica has replayed.
  auto caught_up = samples_.front().first;
  for (auto it = samples_.rbegin(); it != samples_.rend(); ++it) {
    if (it->second <= replayed) {
      caught_up = it->first;
      break;
    }
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - caught_up).count();
}

void ReplicaSet::sample_loop() {
  PgConnection primary(primary_conninfo_, interrupted_);
  int sweeps = 0;
  do {
    const auto at = Clock::now();
    try {
      primary.ensure();
      const Lsn lsn = lsn_at(primary.query_one(kPrimaryPosition), 0);
      std::lock_guard lock(samples_mutex_);
      samples_.emplace_back(at, lsn);
      const auto keep = std::max<Clock::duration>(2 * max_lag_, std::chrono::seconds(10));
      while (samples_.size() > kMostSamples ||
             (samples_.size() > 1 && at - samples_.front().first > keep))
        samples_.pop_front();
    } catch (const Error&) {
      // The primary does not answer: no new sample, so the replicas' lag grows with the time
      // since the last one and they turn lagging (the server is not ready anyway).
    }
    if (++sweeps % 20 == 0) forget_old();
  } while (pause(kSampleEvery));
}

void ReplicaSet::check_loop(Replica& r) {
  PgConnection conn(r.conninfo, interrupted_);
  do {
    const auto at = Clock::now();
    try {
      conn.ensure();
      const auto row = conn.query_one(kReplicaState);
      if (!row || row->is_null(0) || !row->boolean(0)) {
        // Promoted, or never a replica: its data may have gone another way than the primary's.
        set_state(r, State::down, std::nullopt, false);
      } else {
        const Lsn replayed = lsn_at(row, 1);
        raise_lsn(r.replayed, replayed);
        const auto lag = lag_of(replayed, at);
        const bool behind_schema = replayed < floor_.load(std::memory_order_acquire);
        if (!lag)
          set_state(r, State::starting, std::nullopt, true);
        else if (*lag > max_lag_.count() || behind_schema)
          set_state(r, State::lagging, lag, true);
        else
          set_state(r, State::ok, lag, true);
      }
    } catch (const Error&) {
      set_state(r, State::down, std::nullopt, false);
    }
  } while (pause(check_every_));
}

Database::ReplicaStats ReplicaSet::stats() {
  Database::ReplicaStats out;
  for (auto& r : replicas_) {
    Database::ReplicaStatus st;
    st.index = r->index;
    st.host = r->host;
    st.reads = r->reads.load(std::memory_order_relaxed);
    std::lock_guard lock(r->mutex);
    const bool stale =
        r->state == State::ok &&
        Clock::now() - r->checked_at > 2 * check_every_ + std::chrono::milliseconds(500);
    st.state = stale ? "lagging" : name_of(static_cast<int>(r->state));
    st.lag_ms = r->lag_ms;
    out.replicas.push_back(std::move(st));
  }
  out.fallback_recent_write = fallback_recent_write_.load(std::memory_order_relaxed);
  out.fallback_unavailable = fallback_unavailable_.load(std::memory_order_relaxed);
  out.fallback_error = fallback_error_.load(std::memory_order_relaxed);
  return out;
}

}  // namespace o4o::db
