#pragma once
// Topic messages between the instances of the platform: in-process by default, through Redis
// PUBLISH/SUBSCRIBE when O4O_REDIS_URL is set, else through PostgreSQL LISTEN/NOTIFY when the
// database is PostgreSQL, so that a change made on one instance reaches the streams and caches
// held by another.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace o4o::core {

class PubSub {
 public:
  using Callback = std::function<void(const std::string& message)>;
  class Subscription {
   public:
    Subscription() = default;
    Subscription(std::shared_ptr<void> token) : token_(std::move(token)) {}
    void reset() { token_.reset(); }

   private:
    std::shared_ptr<void> token_;  // unsubscribes when the last copy goes
  };

  virtual ~PubSub() = default;
  // Delivers to every subscriber of the topic on every instance, this one included.
  virtual void publish(const std::string& topic, const std::string& message) = 0;
  // publish() on a connection that is up, waiting at most `limit` (for the connection's lock and
  // the server's answer), and never connecting again: for a caller that must not stall, such as a
  // commit about to answer its writer (core/cache_channel.hpp). Returns how many receiving
  // connections the server says it reached (Redis's answer to PUBLISH), -1 when sent but not
  // counted (NOTIFY); std::nullopt: not known to be sent (it may have been), publish() later,
  // which connects again.
  virtual std::optional<int> publish_within(const std::string& topic, const std::string& message,
                                            std::chrono::milliseconds limit) {
    (void)limit;
    publish(topic, message);
    return -1;
  }
  // The callback runs on a pub/sub thread; keep it short (hand work off).
  virtual Subscription subscribe(const std::string& topic, Callback callback) = 0;

  // Whether other instances' messages can reach this one: true when there are none to hear
  // (in-process), else while the receiving connection is subscribed.
  virtual bool connected() const { return true; }
  // f(up) runs on a pub/sub thread when that changes (a lost connection, then its return).
  virtual Subscription watch_connection(std::function<void(bool up)> f) {
    (void)f;
    return {};
  }
  // Whether what this instance publishes reaches other instances at all.
  virtual bool crosses_instances() const { return false; }
};

// redis://[[user]:password@]host[:port][/db]. The database number is accepted and ignored: Redis
// pub/sub channels do not belong to a database.
struct RedisAddress {
  std::string host;
  int port = 6379;
  std::string user;  // empty: the default user
  std::string password;
};
// Throws std::invalid_argument saying what is wrong, without echoing the URL (it may hold a
// password).
RedisAddress parse_redis_url(std::string_view url);

// Redis could not be reached at all (as opposed to refusing the URL's credentials): worth trying
// again while Redis starts.
struct PubSubUnreachable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::unique_ptr<PubSub> make_local_pubsub();
// Throws PubSubUnreachable when Redis cannot be reached, std::runtime_error when it refuses the
// URL's credentials; either with one readable line.
std::unique_ptr<PubSub> make_redis_pubsub(const std::string& url);
// Through NOTIFY/LISTEN on the database (a libpq URI), channel "o4o"; a payload is at most
// 7,999 bytes (PostgreSQL's limit), a longer one reaches this instance only. Throws
// PubSubUnreachable when the database cannot be reached.
std::unique_ptr<PubSub> make_postgres_pubsub(const std::string& url);

}  // namespace o4o::core
