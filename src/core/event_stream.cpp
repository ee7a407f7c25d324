#include "core/event_stream.hpp"

namespace o4o::core {

std::string EventStream::format(std::string_view event, std::string_view id,
                                std::string_view data) {
  std::string out;
  out.reserve(data.size() + event.size() + id.size() + 32);
  out += "event: ";
  out += event;
  out += "\nid: ";
  out += id;
  out += '\n';
  // Each line of the payload is its own data: field, so a newline cannot end the event early.
  std::size_t start = 0;
  while (true) {
    auto nl = data.find('\n', start);
    out += "data: ";
    out += data.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    out += '\n';
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  out += '\n';
  return out;
}

void EventStream::send(std::string chunk) {
  push(Kind::plain, std::move(chunk));
}

void EventStream::send_state(std::string chunk) {
  push(Kind::state, std::move(chunk));
}

void EventStream::send_keep_alive(std::string chunk) {
  push(Kind::keep_alive, std::move(chunk));
}

void EventStream::push(Kind kind, std::string chunk) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    if (kind == Kind::keep_alive && !queue_.empty()) return;
    if (kind == Kind::state) {
      std::erase_if(queue_, [](const Item& i) { return i.kind != Kind::plain; });
    }
    queue_.push_back(Item{kind, std::move(chunk)});
    wake = waker_;
  }
  if (wake) wake();
}

std::size_t EventStream::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void EventStream::close() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    wake = waker_;
  }
  if (wake) wake();
}

void EventStream::on_end(std::function<void()> callback) {
  std::lock_guard lock(mutex_);
  on_end_ = std::move(callback);
}

bool EventStream::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void EventStream::attach(std::function<void()> waker) {
  std::lock_guard lock(mutex_);
  waker_ = std::move(waker);
}

std::deque<std::string> EventStream::take() {
  std::lock_guard lock(mutex_);
  std::deque<std::string> out;
  for (auto& item : queue_) out.push_back(std::move(item.text));
  queue_.clear();
  return out;
}

void EventStream::ended() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mutex_);
    if (ended_) return;
    ended_ = true;
    closed_ = true;
    waker_ = nullptr;
    callback.swap(on_end_);
  }
  if (callback) callback();
}

}  // namespace o4o::core
