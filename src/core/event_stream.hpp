#pragma once
// A server-sent event stream as services see it: thread-safe send and close; the HTTP session
// owns the socket and forwards what is sent. Holding one costs no thread.
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace o4o::core {

class EventStream {
 public:
  // Formats one SSE event: "event: <event>\nid: <id>\ndata: <data lines>\n\n".
  static std::string format(std::string_view event, std::string_view id, std::string_view data);

  // Queues raw text for the client (use format()). Ignored once closed.
  void send(std::string chunk);
  // Queues the newest state: it replaces any state or keep-alive still queued, so a client that
  // does not read costs no more than one state however many changes come (issue 19).
  void send_state(std::string chunk);
  // Queues a keep-alive only when nothing is waiting to be written.
  void send_keep_alive(std::string chunk);
  // Chunks queued and not yet taken by the session (for tests and metrics).
  std::size_t queued() const;
  // Ends the stream after what is already queued has been written.
  void close();
  // Called once, from any thread, when the stream ends for any reason (client gone, close(),
  // server shutdown). Set it before returning the stream from the handler.
  void on_end(std::function<void()> callback);
  bool closed() const;

  // --- used by the HTTP session only ---
  // The session installs a waker (posting to its own executor) and drains the queue.
  void attach(std::function<void()> waker);
  std::deque<std::string> take();
  void ended();  // the session is done with the stream: runs the on_end callback once

 private:
  mutable std::mutex mutex_;
  enum class Kind { plain, state, keep_alive };
  struct Item {
    Kind kind;
    std::string text;
  };
  void push(Kind kind, std::string chunk);
  std::deque<Item> queue_;
  std::function<void()> waker_;
  std::function<void()> on_end_;
  bool closed_ = false;
  bool ended_ = false;
};

}  // namespace o4o::core
