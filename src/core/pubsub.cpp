#include "core/pubsub.hpp"

#include <hiredis/hiredis.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/url/parse.hpp>
#include <cstdarg>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/logging.hpp"
#include "core/trace.hpp"
#include "core/pubsub_detail.hpp"
#include "core/whole_number.hpp"

namespace o4o::core {

namespace {

using detail::LocalTable;

class LocalPubSub final : public PubSub {
 public:
  void publish(const std::string& topic, const std::string& message) override {
    table_.deliver(topic, message);
  }
  Subscription subscribe(const std::string& topic, Callback cb) override {
    return table_.add(topic, std::move(cb));
  }

 private:
  LocalTable table_;
};

using RedisPtr = std::unique_ptr<redisContext, decltype(&redisFree)>;

using ReplyPtr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

// Runs a command and throws, with Redis's own words, when it fails or answers an error.
ReplyPtr command(redisContext* c, const char* what, const char* format, ...) {
  va_list args;
  va_start(args, format);
  ReplyPtr reply(static_cast<redisReply*>(redisvCommand(c, format, args)), &freeReplyObject);
  va_end(args);
  if (!reply) throw std::runtime_error(std::string(what) + ": " + c->errstr);
  if (reply->type == REDIS_REPLY_ERROR)
    throw std::runtime_error(std::string(what) + ": " + std::string(reply->str, reply->len));
  return reply;
}

RedisPtr connect_redis(const RedisAddress& a) {
  const std::string where = a.host + ":" + std::to_string(a.port);
  timeval tv{2, 0};
  RedisPtr c(redisConnectWithTimeout(a.host.c_str(), a.port, tv), &redisFree);
  if (!c || c->err)
    throw PubSubUnreachable("cannot reach Redis at " + where +
                            (c ? std::string(": ") + c->errstr : ""));
  const std::string refused = "Redis at " + where + " refused the redis URL's credentials";
  if (!a.user.empty())
    command(c.get(), refused.c_str(), "AUTH %s %s", a.user.c_str(), a.password.c_str());
  else if (!a.password.empty())
    command(c.get(), refused.c_str(), "AUTH %s", a.password.c_str());
  return c;
}

// Publishes through one connection; receives on another with a pattern subscription to the
// platform's topics, and hands each message to the local table.
class RedisPubSub final : public detail::RemotePubSub {
 public:
  explicit RedisPubSub(const std::string& url)
      : address_(parse_redis_url(url)), pub_(connect_redis(address_)) {
    receiver_ = std::thread([this] { receive_loop(); });
  }
  ~RedisPubSub() override {
    stopping_ = true;
    {
      std::lock_guard lock(sub_mutex_);
      if (sub_ctx_) ::shutdown(sub_ctx_->fd, SHUT_RDWR);
    }
    if (receiver_.joinable()) receiver_.join();
  }

  void publish(const std::string& topic, const std::string& plain) override {
    // The trace goes along: the subscribers on every instance work under a span of this one's.
    trace::Span span("pubsub publish " + topic, trace::Kind::producer);
    const std::string message = span.active() ? with_trace(span, plain) : plain;
    if (send(topic, message, std::nullopt)) return;
    // Connected anew outside the lock: a commit's publish_within() meanwhile gives up at once
    // (broken_) instead of waiting for the connection.
    try {
      auto fresh = connect_redis(address_);
      std::lock_guard lock(pub_mutex_);
      pub_ = std::move(fresh);
      broken_ = false;
    } catch (const std::exception& e) {
      log::error("redis publish failed", {{"error", e.what()}});
    }
    if (send(topic, message, std::nullopt)) return;
    // Redis is gone: at least this process's subscribers hear of the change.
    table_.deliver(topic, plain);
  }

  std::optional<int> publish_within(const std::string& topic, const std::string& plain,
                                    std::chrono::milliseconds limit) override {
    if (broken_) return std::nullopt;
    trace::Span span("pubsub publish " + topic, trace::Kind::producer);
    const std::string message = span.active() ? with_trace(span, plain) : plain;
    return send(topic, message, std::chrono::steady_clock::now() + limit);
  }

 private:
  static inline const std::string kPrefix = "o4o:";
  using Deadline = std::optional<std::chrono::steady_clock::time_point>;

  // PUBLISH over the current connection: how many subscriber connections Redis says it reached,
  // std::nullopt when not known to be sent. With a deadline, the lock and Redis's answer are
  // waited for until then, and a connection that has not answered is marked broken (publish()
  // connects again; the message may or may not have gone). Without, as long as it takes.
  std::optional<int> send(const std::string& topic, const std::string& message, Deadline deadline) {
    std::unique_lock lock(pub_mutex_, std::defer_lock);
    if (deadline) {
      if (!lock.try_lock_until(*deadline)) return std::nullopt;
    } else {
      lock.lock();
    }
    if (!pub_ || pub_->err) return std::nullopt;
    timeval wait{0, 0};  // none
    if (deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
          *deadline - std::chrono::steady_clock::now());
      const auto us = std::max<int64_t>(left.count(), 1000);
      wait = timeval{static_cast<time_t>(us / 1000000), static_cast<suseconds_t>(us % 1000000)};
    }
    redisSetTimeout(pub_.get(), wait);
    const std::string channel = kPrefix + topic;
    ReplyPtr reply(static_cast<redisReply*>(redisCommand(pub_.get(), "PUBLISH %b %b",
                                                         channel.data(), channel.size(),
                                                         message.data(), message.size())),
                   &freeReplyObject);
    if (!reply) {
      broken_ = true;  // the context keeps its error
      return std::nullopt;
    }
    return reply->type == REDIS_REPLY_INTEGER ? static_cast<int>(reply->integer) : -1;
  }

  // A message published inside a trace: RS "traceparent" [ " " tracestate ] RS message. (RS never
  // starts a message of the platform's own; an instance older than this reads the whole as the
  // message, so during a rolling update its streams may miss a change that a newer one made.)
  static constexpr char kRS = '\x1e';

  static std::string with_trace(const trace::Span& span, const std::string& message) {
    std::string out;
    out += kRS;
    out += span.traceparent();
    if (!span.tracestate().empty()) out += " " + span.tracestate();
    out += kRS;
    out += message;
    return out;
  }

  // Delivers a received message; one that carries a trace is delivered under a consumer span of
  // it, so whatever the subscribers log names the trace of the request that made the change.
  void deliver_traced(const std::string& topic, const std::string& message) {
    if (message.empty() || message[0] != kRS) return table_.deliver(topic, message);
    const auto end = message.find(kRS, 1);
    if (end == std::string::npos) return table_.deliver(topic, message);
    const std::string_view head(message.data() + 1, end - 1);
    const std::string body = message.substr(end + 1);
    const auto space = head.find(' ');
    const auto producer = trace::continue_from(
        head.substr(0, space), space == std::string_view::npos ? std::string_view{} : head.substr(space + 1));
    if (!producer) return table_.deliver(topic, body);
    trace::Scope scope(*producer);
    trace::Span consumer("pubsub receive " + topic, trace::Kind::consumer);
    table_.deliver(topic, body);
  }

  void receive_loop() {
    while (!stopping_) {
      try {
        auto ctx = connect_redis(address_);
        {
          std::lock_guard lock(sub_mutex_);
          sub_ctx_ = ctx.get();
        }
        redisEnableKeepAlive(ctx.get());  // a silent partition is found, not waited on forever
        timeval none{0, 0};
        redisSetTimeout(ctx.get(), none);
        // An error here (a user without channel rights) must not leave a silent subscriber.
        // Named, so that an operator (or a test) can tell this instance's subscriber apart.
        command(ctx.get(), "Redis refused CLIENT SETNAME", "CLIENT SETNAME o4o-listen-%d",
                static_cast<int>(::getpid()));
        command(ctx.get(), "Redis refused PSUBSCRIBE", "PSUBSCRIBE o4o:*");
        link_.set(true);
        while (!stopping_) {
          void* raw = nullptr;
          if (redisGetReply(ctx.get(), &raw) != REDIS_OK || !raw) break;
          auto* reply = static_cast<redisReply*>(raw);
          if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 4 &&
              std::string(reply->element[0]->str, reply->element[0]->len) == "pmessage") {
            std::string channel(reply->element[2]->str, reply->element[2]->len);
            std::string message(reply->element[3]->str, reply->element[3]->len);
            deliver_traced(channel.substr(kPrefix.size()), message);
          }
          freeReplyObject(reply);
        }
        link_.set(false);
        std::lock_guard lock(sub_mutex_);
        sub_ctx_ = nullptr;
      } catch (const std::exception& e) {
        link_.set(false);
        {
          std::lock_guard lock(sub_mutex_);
          sub_ctx_ = nullptr;
        }
        if (!stopping_) log::warn("redis subscriber reconnecting", {{"error", e.what()}});
      }
      for (int i = 0; i < 10 && !stopping_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  RedisAddress address_;
  std::timed_mutex pub_mutex_;
  RedisPtr pub_;
  std::atomic<bool> broken_{false};
  std::thread receiver_;
  std::atomic<bool> stopping_{false};
  std::mutex sub_mutex_;
  redisContext* sub_ctx_ = nullptr;
};

}  // namespace

RedisAddress parse_redis_url(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) throw std::invalid_argument("the redis URL is not a URL");
  const auto& url = *parsed;
  if (url.scheme() != "redis")
    throw std::invalid_argument("the redis URL must start with redis:// (TLS is not supported)");
  RedisAddress a;
  a.host = url.host_address();
  if (a.host.empty()) throw std::invalid_argument("the redis URL names no host");
  if (url.has_port()) {
    const auto port = whole_number(url.port(), 1, 65535);
    if (!port) throw std::invalid_argument("the redis URL's port must be a number from 1 to 65535");
    a.port = *port;
  }
  if (url.has_userinfo()) {
    a.user = url.user();
    a.password = url.password();
    if (!a.user.empty() && a.password.empty())
      throw std::invalid_argument("the redis URL names a user without a password");
  }
  // With a host the path is empty or starts with "/": nothing, "/" or "/<number>".
  const std::string path = url.path();
  if (path.size() > 1 && !whole_number<int>(std::string_view(path).substr(1)))
    throw std::invalid_argument("the redis URL's path must be a database number, as in /0");
  if (url.has_query() || url.has_fragment())
    throw std::invalid_argument("the redis URL takes no ?query or #fragment");
  return a;
}

std::unique_ptr<PubSub> make_local_pubsub() {
  return std::make_unique<LocalPubSub>();
}

std::unique_ptr<PubSub> make_redis_pubsub(const std::string& url) {
  return std::make_unique<RedisPubSub>(url);
}

}  // namespace o4o::core
