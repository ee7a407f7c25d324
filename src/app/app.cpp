#include "app/app.hpp"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "accounts/accounts.hpp"
#include "app/ops_routes.hpp"
#include "app/service_registry.hpp"
#include "core/cache_channel.hpp"
#include "core/dispatch.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "core/periodic.hpp"
#include "core/process_metrics.hpp"
#include "core/secret_file.hpp"
#include "core/server.hpp"
#include "core/static_files.hpp"
#include "core/trace.hpp"
#include "mail/sender.hpp"

namespace o4o::app {

namespace {

// The contract's 10 s for an unreachable database, less the time a process takes to start and
// to print its line.
constexpr std::chrono::milliseconds kStartupWindow{9'000};
constexpr std::chrono::milliseconds kStartupRetryPause{500};
// How often expired Idempotency-Key records are looked for: their table grows by one row per
// keyed write, and a minute of them is a few chunks even at thousands of orders a second.
constexpr std::chrono::milliseconds kIdempotencyPurgeEvery{60'000};
constexpr std::size_t kIdempotencyPurgeChunk = 1000;

// Calls attempt(seconds left in the window) until it returns, or until it throws Unreachable
// with too little of the window left for another try; other errors end at once.
template <typename Unreachable, typename Attempt>
auto retry_while_starting(std::chrono::steady_clock::time_point window_ends, Attempt attempt) {
  using namespace std::chrono;
  for (;;) {
    const auto left = duration_cast<seconds>(window_ends - steady_clock::now()).count();
    try {
      return attempt(static_cast<int>(std::max<long long>(2, left)));
    } catch (const Unreachable&) {
      if (steady_clock::now() + kStartupRetryPause >= window_ends) throw;
    }
    std::this_thread::sleep_for(kStartupRetryPause);
  }
}

// Read replicas: reads each served, reads that went to the primary instead and why, and each
// one's state and lag. Nothing without replicas.
std::string render_replica_metrics(const db::Database::ReplicaStats& stats) {
  if (stats.replicas.empty()) return {};
  std::string out =
      "# HELP o4o_db_replica_reads_total Reads of requests served by a read replica.\n"
      "# TYPE o4o_db_replica_reads_total counter\n";
  for (const auto& r : stats.replicas)
    out += fmt::format("o4o_db_replica_reads_total{{replica=\"{}\"}} {}\n", r.index, r.reads);
  out += fmt::format(
      "# HELP o4o_db_replica_fallbacks_total Reads of requests that ran on the primary although "
      "replicas are configured: the caller's recent write not replayed yet, no replica usable, or "
      "a replica read that failed.\n"
      "# TYPE o4o_db_replica_fallbacks_total counter\n"
      "o4o_db_replica_fallbacks_total{{reason=\"recent_write\"}} {}\n"
      "o4o_db_replica_fallbacks_total{{reason=\"unavailable\"}} {}\n"
      "o4o_db_replica_fallbacks_total{{reason=\"error\"}} {}\n",
      stats.fallback_recent_write, stats.fallback_unavailable, stats.fallback_error);
  out +=
      "# HELP o4o_db_replica_up Whether a read replica serves reads now (1) or is skipped (0: "
      "lagging, down or starting).\n"
      "# TYPE o4o_db_replica_up gauge\n";
  for (const auto& r : stats.replicas)
    out += fmt::format("o4o_db_replica_up{{replica=\"{}\"}} {}\n", r.index, r.state == "ok" ? 1 : 0);
  out +=
      "# HELP o4o_db_replica_lag_seconds How far a replica's replay is behind the primary (absent "
      "while it is down).\n"
      "# TYPE o4o_db_replica_lag_seconds gauge\n";
  for (const auto& r : stats.replicas) {
    if (r.lag_ms)
      out += fmt::format("o4o_db_replica_lag_seconds{{replica=\"{}\"}} {:.3f}\n", r.index,
                         static_cast<double>(*r.lag_ms) / 1000.0);
  }
  return out;
}

// /metrics beyond requests: the process, the disk under the data directory, the build, and the
// database pool.
void add_platform_metrics(core::Metrics& metrics, db::Database& db, const std::string& data_dir) {
  metrics.add_source([&db, data_dir] {
    const auto pool = db.pool_stats();
    return core::render_process_metrics() + core::render_disk_metrics(data_dir) +
           core::render_build_info() +
           fmt::format(
               "# HELP o4o_db_pool_connections Database connections by state (PostgreSQL's "
               "pool; SQLite's readers and its writer).\n"
               "# TYPE o4o_db_pool_connections gauge\n"
               "o4o_db_pool_connections{{state=\"in_use\"}} {}\n"
               "o4o_db_pool_connections{{state=\"idle\"}} {}\n"
               "# HELP o4o_db_pool_waiters Callers waiting for a free database connection.\n"
               "# TYPE o4o_db_pool_waiters gauge\n"
               "o4o_db_pool_waiters {}\n"
               "# HELP o4o_db_group_commit_queue_depth Writes waiting for the group committer "
               "(orders, pledges).\n"
               "# TYPE o4o_db_group_commit_queue_depth gauge\n"
               "o4o_db_group_commit_queue_depth {}\n"
               "# HELP o4o_db_group_commit_reruns_total Batches that met a failing work while "
               "running without a savepoint per work, and ran again with one.\n"
               "# TYPE o4o_db_group_commit_reruns_total counter\n"
               "o4o_db_group_commit_reruns_total {}\n",
               pool.in_use, pool.idle, pool.waiters, pool.group_commit_queued,
               pool.group_commit_reruns) +
           render_replica_metrics(db.replica_stats());
  });
}

}  // namespace

struct Platform::Impl {
  core::Config config;
  core::SystemClock clock;
  std::unique_ptr<db::Database> db;
  std::unique_ptr<core::PubSub> pubsub;
  // Who a token speaks for (role, sessions ended, deleted or not), between requests: before auth,
  // which uses it.
  std::unique_ptr<core::ReadCache> identities;
  std::unique_ptr<core::Authenticator> auth;
  std::unique_ptr<core::Idempotency> idempotency;
  std::unique_ptr<core::ReadCache> cache;
  std::unique_ptr<core::AppContext> ctx;
  // Last: it stops (and stops hearing commits) before the rest goes.
  std::unique_ptr<core::CacheChannel> cache_channel;
};

Platform::Platform(core::Config config) : impl_(std::make_unique<Impl>()) {
  auto& i = *impl_;
  i.config = std::move(config);
  if (i.config.jwt_secret.empty() && i.config.jwt_algorithm == "HS256") {
    // PostgreSQL deployments must share a configured secret (checked before serve); commands that
    // issue no tokens (migrate, users create, seed) get a throwaway one.
    // With SQLite and no configured secret, one is generated on first start and kept beside the
    // database, so that tokens survive a restart.
    i.config.jwt_secret = i.config.is_postgres()
                              ? core::random_hex(32)
                              : core::load_or_create_secret(i.config.data_dir, "jwt-secret");
  }
  // PostgreSQL and Redis may still be starting (a compose stack starts everything at once): an
  // unreachable one is tried again until the start-up window closes, then the last error is the
  // one line the process exits with.
  const auto window_ends = std::chrono::steady_clock::now() + kStartupWindow;
  db::OpenOptions options;
  options.pool_size = i.config.is_postgres() ? i.config.db_pool_size : i.config.db_workers;
  options.statement_timeout_ms = i.config.query_timeout_ms;
  options.replica_urls = i.config.database_replica_urls;
  options.replica_max_lag_ms = i.config.replica_max_lag_ms;
  i.db = retry_while_starting<db::UnavailableError>(window_ends, [&](int seconds_left) {
    options.connect_timeout_seconds = seconds_left;
    return db::open_database(i.config.database_url, options);
  });
  i.db->migrate();
  // Redis when configured; else PostgreSQL's LISTEN/NOTIFY, so that instances sharing a
  // PostgreSQL database hear each other's changes (caches, streams) without more set-up.
  if (!i.config.redis_url.empty())
    i.pubsub = retry_while_starting<core::PubSubUnreachable>(
        window_ends, [&](int) { return core::make_redis_pubsub(i.config.redis_url); });
  else if (i.config.is_postgres())
    i.pubsub = retry_while_starting<core::PubSubUnreachable>(
        window_ends, [&](int) { return core::make_postgres_pubsub(i.config.database_url); });
  else
    i.pubsub = core::make_local_pubsub();
  i.cache = std::make_unique<core::ReadCache>(static_cast<std::size_t>(i.config.cache_mb) << 20);
  // An eighth of the hot reads' bound: about 20,000 users at the default 64 MB (an entry is some
  // 400 bytes); none with O4O_CACHE_MB=0.
  i.identities = std::make_unique<core::ReadCache>(
      static_cast<std::size_t>(i.config.cache_mb) << 17, "identity_cache");
  i.auth = std::make_unique<core::Authenticator>(i.config, *i.db, i.clock, i.identities.get());
  i.idempotency = std::make_unique<core::Idempotency>(*i.db, i.clock);
  i.ctx = std::make_unique<core::AppContext>(i.config, *i.db, i.clock, *i.auth, *i.pubsub,
                                             *i.idempotency, *i.cache);
  i.cache_channel = std::make_unique<core::CacheChannel>(
      std::vector<core::ReadCache*>{i.cache.get(), i.identities.get()}, *i.pubsub, *i.db);
  // Every compiled service is attached, mounted or not: what one offers the others (an order to
  // pay, the payments ledger) must be there in a process that serves only some of them.
  for (const auto& svc : service_registry()) svc.attach(*i.ctx);
}

Platform::~Platform() {
  if (impl_->ctx) impl_->ctx->run_shutdown_hooks();
  if (impl_->db) impl_->db->close();
}

core::AppContext& Platform::context() {
  return *impl_->ctx;
}
const core::Config& Platform::config() const {
  return impl_->config;
}

int Platform::serve() {
  auto& i = *impl_;
  // A thousand open streams need a thousand descriptors: take the whole hard limit.
  if (rlimit lim{}; ::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
  core::Router router;
  core::Metrics metrics;
  std::vector<std::string> mounted;
  for (const auto& svc : service_registry()) {
    if (!i.config.serves(std::string(svc.name))) continue;
    svc.register_routes(router, *i.ctx);
    mounted.emplace_back(svc.name);
  }
  register_ops_routes(router, *i.ctx, metrics, mounted);
  add_platform_metrics(metrics, *i.db, i.config.data_dir);
  metrics.add_source([] { return core::trace::render_metrics(); });
  metrics.add_source([&i] {
    return i.cache->render_metrics() + i.identities->render_metrics() +
           i.cache_channel->render_metrics() + i.auth->render_metrics();
  });
  // The outbox's sender: only with an SMTP server; without one, mail waits in the outbox.
  std::unique_ptr<mail::Sender> mail_sender;
  if (!i.config.smtp_url.empty()) {
    mail_sender = std::make_unique<mail::Sender>(
        *i.db, i.clock, mail::SmtpSettings{i.config.smtp_url, i.config.smtp_ca_file},
        i.config.mail_from);
  }
  // Idempotency records past their 24 hours go in the background, a chunk to a write, so that
  // no request waits for them; every instance runs its own (deleting what is gone is harmless).
  // The first pass comes a second after start, so that what expired while the server was down goes
  // soon and the start itself is not slowed.
  core::Periodic idempotency_purge("idempotency purge", std::chrono::seconds(1),
                                   kIdempotencyPurgeEvery, [&i](const std::stop_token&) {
                                     return i.idempotency->purge_expired(kIdempotencyPurgeChunk) ==
                                            kIdempotencyPurgeChunk;
                                   });
  core::StaticFiles files(i.config.web_root, core::app_script_origins(i.config));
  core::Dispatcher dispatcher(i.config, router, files, metrics, i.clock, i.auth.get(),
                              i.cache.get());
  core::Server server(i.config, dispatcher, metrics);
  // A statement still running (or waiting for a lock) near the end of SIGTERM's grace period is
  // interrupted: its request answers 503 and the process exits in time.
  server.on_grace_ending([&i] { i.db->interrupt(); });
  server.listen();
  if (!i.config.otlp_endpoint.empty()) {
    core::trace::ExporterOptions exporter;
    exporter.endpoint = i.config.otlp_endpoint;
    exporter.service_instance = i.config.host + ":" + std::to_string(server.port());
    exporter.service_version = core::build_version();
    core::trace::start_exporter(std::move(exporter));
  }
  boost::json::array services;
  for (auto& m : mounted) services.push_back(boost::json::string(m));
  core::log::info("listening", {{"host", i.config.host},
                                {"port", server.port()},
                                {"database", i.config.is_postgres() ? "postgresql" : "sqlite"},
                                {"services", std::move(services)}});
  server.run();
  core::trace::stop_exporter();  // sends what is queued, bounded by the call's timeout
  core::log::info("stopped");
  if (mail_sender) mail_sender->stop();
  idempotency_purge.stop();
  i.ctx->run_shutdown_hooks();
  return 0;
}

void Platform::seed() {
  auto& ctx = *impl_->ctx;
  const auto demo = accounts::seed_demo_accounts(ctx.db, ctx.clock);
  for (const auto& svc : service_registry()) svc.seed(ctx, demo);
  std::cout << "Demo data loaded. Sign in with:\n";
  for (const auto& d : accounts::demo_logins())
    std::cout << "  " << d.role << (d.role.size() < 7 ? "\t\t" : "\t") << d.email << "  /  "
              << d.password << "\n";
}

}  // namespace o4o::app
