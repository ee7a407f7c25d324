// Pub/sub over PostgreSQL NOTIFY/LISTEN, for deployments that share a PostgreSQL database and no
// Redis: one connection publishes (pg_notify), another listens on channel "o4o" and hands each
// message to the local table. A payload is "<topic>\x1f<message>".
#include <libpq-fe.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <thread>

#include "core/logging.hpp"
#include "core/pubsub.hpp"
#include "core/pubsub_detail.hpp"

namespace o4o::core {
namespace {

using ConnPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

constexpr char kSeparator = '\x1f';
constexpr std::size_t kMaxPayload = 7999;  // PostgreSQL refuses 8,000 bytes and more

// application_name names the connection in pg_stat_activity (and lets a test end it); the
// keep-alives find a silent partition within about 10 s instead of never.
ConnPtr connect_pg(const std::string& url, const char* application_name) {
  const char* keys[] = {"dbname",   "application_name", "connect_timeout",     "keepalives",
                        "keepalives_idle", "keepalives_interval", "keepalives_count", nullptr};
  const char* values[] = {url.c_str(), application_name, "5", "1", "5", "2", "2", nullptr};
  ConnPtr c(PQconnectdbParams(keys, values, /*expand_dbname=*/1), &PQfinish);
  if (!c || PQstatus(c.get()) != CONNECTION_OK)
    throw PubSubUnreachable(std::string("cannot reach PostgreSQL for LISTEN/NOTIFY: ") +
                            (c ? PQerrorMessage(c.get()) : "out of memory"));
  return c;
}

bool run(PGconn* c, const char* sql) {
  ResultPtr r(PQexec(c, sql), &PQclear);
  return r && PQresultStatus(r.get()) == PGRES_COMMAND_OK;
}

// The publishing connection. pg_notify's transaction takes an xid, so with synchronous_commit on
// its commit waits for a WAL flush (measured: up to 70 ms on a busy disk) while PostgreSQL's one
// notification lock is held. A notification carries no data and is not replayed after a crash:
// its commit need not wait for the disk (listeners get it at commit either way).
ConnPtr connect_publisher(const std::string& url) {
  auto c = connect_pg(url, "o4o-notify");
  if (!run(c.get(), "SET synchronous_commit = off"))
    throw PubSubUnreachable(std::string("cannot set up the NOTIFY connection: ") +
                            PQerrorMessage(c.get()));
  return c;
}

class PostgresPubSub final : public detail::RemotePubSub {
 public:
  explicit PostgresPubSub(std::string url)
      : url_(std::move(url)), pub_(connect_publisher(url_)) {
    receiver_ = std::thread([this] { receive_loop(); });
  }
  ~PostgresPubSub() override {
    stopping_ = true;
    {
      std::lock_guard lock(listen_mutex_);
      if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
    }
    if (receiver_.joinable()) receiver_.join();
  }

  void publish(const std::string& topic, const std::string& message) override {
    const std::string payload = payload_of(topic, message);
    if (payload.size() <= kMaxPayload) {
      if (notify(payload, std::nullopt)) return;
      // Connected anew outside the lock: a commit's publish_within() meanwhile gives up at once
      // (pub_ is gone) instead of waiting for the connection.
      try {
        auto fresh = connect_publisher(url_);
        std::lock_guard lock(pub_mutex_);
        pub_ = std::move(fresh);
        in_flight_ = false;
      } catch (const std::exception& e) {
        log::error("postgres notify failed", {{"error", e.what()}});
      }
      if (notify(payload, std::nullopt)) return;
    } else {
      log::error("pubsub message too long for NOTIFY", {{"topic", topic}});
    }
    // Not sent: at least this process's subscribers hear of the change.
    table_.deliver(topic, message);
  }

  std::optional<int> publish_within(const std::string& topic, const std::string& message,
                                    std::chrono::milliseconds limit) override {
    const std::string payload = payload_of(topic, message);
    if (payload.size() > kMaxPayload || !notify(payload, std::chrono::steady_clock::now() + limit))
      return std::nullopt;
    return -1;  // NOTIFY does not say how many listen
  }

 private:
  static std::string payload_of(const std::string& topic, const std::string& message) {
    std::string payload = topic;
    payload += kSeparator;
    payload += message;
    return payload;
  }

  // pg_notify over the current connection, if there is one. With a deadline, the lock and the
  // answer are waited for until then; an answer that comes later is taken by the next call
  // (the notification may or may not have gone: the caller publishes again). Without, as long as
  // it takes (the keep-alives find a dead server). A broken connection is dropped: publish()
  // connects again.
  bool notify(const std::string& payload,
              std::optional<std::chrono::steady_clock::time_point> deadline) {
    std::unique_lock lock(pub_mutex_, std::defer_lock);
    if (deadline) {
      if (!lock.try_lock_until(*deadline)) return false;
    } else {
      lock.lock();
    }
    if (!pub_ || PQstatus(pub_.get()) != CONNECTION_OK || !answered(deadline)) return false;
    const char* params[] = {payload.c_str()};
    if (PQsendQueryParams(pub_.get(), "SELECT pg_notify('o4o', $1)", 1, nullptr, params, nullptr,
                          nullptr, 0) != 1) {
      pub_.reset();
      return false;
    }
    in_flight_ = true;
    return answered(deadline) && last_ok_;
  }

  // Waits (with pub_mutex_ held) for the answer to the query in flight, if any: true once there
  // is none (last_ok_ tells whether it succeeded), false at the deadline or on a broken connection.
  bool answered(std::optional<std::chrono::steady_clock::time_point> deadline) {
    PGconn* c = pub_.get();
    while (in_flight_) {
      bool alive = PQflush(c) == 0;  // the query is small: sent at once, or the connection is bad
      if (alive && !PQisBusy(c)) {
        last_ok_ = true;
        while (PGresult* raw = PQgetResult(c)) {
          ResultPtr r(raw, &PQclear);
          last_ok_ = last_ok_ && PQresultStatus(r.get()) == PGRES_TUPLES_OK;
        }
        in_flight_ = false;
        return true;
      }
      int wait_ms = -1;
      if (deadline) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(
            *deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        wait_ms = static_cast<int>(left.count());
      }
      pollfd p{PQsocket(c), POLLIN, 0};
      const int ready = alive ? ::poll(&p, 1, wait_ms) : -1;
      if (ready == 0) return false;
      if ((ready < 0 && errno != EINTR) || (ready > 0 && PQconsumeInput(c) != 1)) {
        pub_.reset();
        in_flight_ = false;
        return false;
      }
    }
    return true;
  }

  void receive_loop() {
    while (!stopping_) {
      try {
        auto c = connect_pg(url_, "o4o-listen");
        if (!run(c.get(), "LISTEN o4o"))
          throw std::runtime_error(std::string("LISTEN failed: ") + PQerrorMessage(c.get()));
        {
          std::lock_guard lock(listen_mutex_);
          listen_fd_ = PQsocket(c.get());
        }
        link_.set(true);
        listen(c.get());
      } catch (const std::exception& e) {
        if (!stopping_) log::warn("postgres listener reconnecting", {{"error", e.what()}});
      }
      link_.set(false);
      {
        std::lock_guard lock(listen_mutex_);
        listen_fd_ = -1;
      }
      for (int i = 0; i < 5 && !stopping_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  // Until the connection is lost or the pub/sub stops.
  void listen(PGconn* c) {
    while (!stopping_) {
      pollfd p{PQsocket(c), POLLIN, 0};
      if (::poll(&p, 1, 1000) < 0 && errno != EINTR) return;
      if (!PQconsumeInput(c) || PQstatus(c) != CONNECTION_OK) return;
      while (PGnotify* n = PQnotifies(c)) {
        const std::string payload(n->extra);
        PQfreemem(n);
        const auto cut = payload.find(kSeparator);
        if (cut != std::string::npos)
          table_.deliver(payload.substr(0, cut), payload.substr(cut + 1));
      }
      if (p.revents & (POLLHUP | POLLERR)) return;
    }
  }

  std::string url_;
  std::timed_mutex pub_mutex_;
  ConnPtr pub_;
  bool in_flight_ = false;  // a pg_notify sent on pub_ whose answer is not taken yet
  bool last_ok_ = false;    // how the last answered one went
  std::atomic<bool> stopping_{false};
  std::mutex listen_mutex_;
  int listen_fd_ = -1;
  std::thread receiver_;
};

}  // namespace

std::unique_ptr<PubSub> make_postgres_pubsub(const std::string& url) {
  return std::make_unique<PostgresPubSub>(url);
}

}  // namespace o4o::core
