#pragma once
// The streams this instance holds, by display, and the one background thread that feeds them:
// change notices from the pub/sub topic, schedule windows opening or closing, keep-alives, and
// the bookkeeping behind `status` and `lastSeenAt`. Streams cost no thread: the HTTP sessions
// hold them as coroutines; the hub only queues text on them.
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/event_stream.hpp"
#include "core/pubsub.hpp"
#include "services/signage/display_service.hpp"

namespace o4o::services::signage {

inline constexpr std::string_view kKeepAlive = ": keep-alive\n\n";

class StreamHub : public std::enable_shared_from_this<StreamHub> {
 public:
  // At most `max_streams` streams per display on this instance: a new one closes the oldest,
  // after an `event: replaced`.
  StreamHub(DisplayService& service, core::PubSub& pubsub, std::size_t max_streams = 4)
      : service_(service), pubsub_(pubsub), max_streams_(max_streams < 1 ? 1 : max_streams) {}
  ~StreamHub();
  StreamHub(const StreamHub&) = delete;
  StreamHub& operator=(const StreamHub&) = delete;

  // Subscribes to change notices and starts the background thread.
  void start();
  // Closes every stream, records them closed, stops the thread. Safe to call twice.
  void stop();

  // A stream for display `id`, opened with the device token whose hash is `token_hash`; its
  // first event (the display now) is already queued. nullptr when the display is gone or its
  // token changed meanwhile, or the hub is stopping.
  std::shared_ptr<core::EventStream> open(const std::string& id, const std::string& token_hash);

  // A display changed somewhere (any instance): push to the local streams on the next pass.
  void notice(const std::string& id);

  // One pass of the background thread (public so that tests can drive it without timing):
  // records closed streams, pushes changed displays and due schedule transitions, and sends
  // keep-alives (renewing the online lease) when asked.
  void process(bool send_keep_alives);

  std::size_t stream_count(const std::string& id) const;

 private:
  struct Entry {
    std::shared_ptr<core::EventStream> stream;
    std::string token_hash;
    bool ready = false;  // its first event is queued
    int64_t version = 0;
    std::string last_id;
  };
  struct Screen {
    std::vector<Entry> entries;
    std::optional<int64_t> next_check_ms;  // the next schedule boundary
  };

  void run(std::stop_token stop);
  void release(const std::string& id, const core::EventStream* stream, bool count_close);
  // Loads the display and pushes it (or its deletion); true when a stream was not ready yet.
  bool refresh(const std::string& id);
  bool deliver(const std::string& id, const std::optional<Display>& display);
  void keep_alive();
  std::optional<int64_t> next_check(const Display& display, int64_t now) const;

  DisplayService& service_;
  core::PubSub& pubsub_;
  const std::size_t max_streams_;

  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::map<std::string, Screen> screens_;
  std::set<std::string> dirty_;
  std::set<std::string> retry_;
  std::map<std::string, int64_t> closed_;
  bool stopped_ = false;
  core::PubSub::Subscription subscription_;
  std::jthread thread_;
};

}  // namespace o4o::services::signage
