// Pub/sub over PostgreSQL NOTIFY/LISTEN, for deployments that share a PostgreSQL database and no
// Redis: one connection publishes (pg_notify), another listens on channel "o4o" and hands each
// message to the local table. A payload is "<topic>\x1f<message>".
#include <libpq-fe.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
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

class PostgresPubSub final : public detail::RemotePubSub {
 public:
  explicit PostgresPubSub(std::string url)
      : url_(std::move(url)), pub_(connect_pg(url_, "o4o-notify")) {
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
    std::string payload = topic;
    payload += kSeparator;
    payload += message;
    if (payload.size() <= kMaxPayload && notify(payload)) return;
    if (payload.size() > kMaxPayload)
      log::error("pubsub message too long for NOTIFY", {{"topic", topic}});
    // Not sent: at least this process's subscribers hear of the change.
    table_.deliver(topic, message);
  }

 private:
  bool notify(const std::string& payload) {
    std::lock_guard lock(pub_mutex_);
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (pub_ && PQstatus(pub_.get()) == CONNECTION_OK) {
        const char* params[] = {payload.c_str()};
        ResultPtr r(PQexecParams(pub_.get(), "SELECT pg_notify('o4o', $1)", 1, nullptr, params,
                                 nullptr, nullptr, 0),
                    &PQclear);
        if (r && PQresultStatus(r.get()) == PGRES_TUPLES_OK) return true;
      }
      try {
        pub_ = connect_pg(url_, "o4o-notify");
      } catch (const std::exception& e) {
        pub_.reset();
        log::error("postgres notify failed", {{"error", e.what()}});
        return false;
      }
    }
    return false;
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
  std::mutex pub_mutex_;
  ConnPtr pub_;
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
