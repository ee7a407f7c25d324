#include "services/signage/stream_hub.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "core/logging.hpp"

namespace o4o::services::signage {

namespace {
constexpr auto kTick = std::chrono::milliseconds(250);
constexpr auto kKeepAliveEvery = std::chrono::seconds(15);
// Re-evaluate a schedule at least hourly, whatever next_change says.
constexpr int64_t kMaxCheckDelayMs = 3'600'000;
}  // namespace

StreamHub::~StreamHub() {
  stop();
}

void StreamHub::start() {
  std::weak_ptr<StreamHub> weak = weak_from_this();
  subscription_ = pubsub_.subscribe(std::string(kTopic), [weak](const std::string& id) {
    if (auto hub = weak.lock()) hub->notice(id);
  });
  thread_ = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });
}

void StreamHub::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
  }
  subscription_.reset();
  if (thread_.joinable()) {
    thread_.request_stop();
    wake_.notify_all();
    thread_.join();
  }
  std::vector<std::shared_ptr<core::EventStream>> streams;
  std::map<std::string, int64_t> closed;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, screen] : screens_) {
      closed[id] += static_cast<int64_t>(screen.entries.size());
      for (auto& e : screen.entries) streams.push_back(e.stream);
    }
    screens_.clear();
    for (auto& [id, n] : closed_) closed[id] += n;
    closed_.clear();
  }
  try {
    service_.streams_closed(closed);
  } catch (const std::exception& e) {
    core::log::warn("signage: could not record closed streams", {{"error", e.what()}});
  }
  for (auto& s : streams) s->close();
}

std::shared_ptr<core::EventStream> StreamHub::open(const std::string& id,
                                                   const std::string& token_hash) {
  auto stream = std::make_shared<core::EventStream>();
  const core::EventStream* raw = stream.get();
  int64_t local_streams = 0;
  std::vector<std::shared_ptr<core::EventStream>> replaced;
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return nullptr;
    auto& entries = screens_[id].entries;
    entries.push_back(Entry{stream, token_hash});
    // Over the cap, the oldest go (entries are in opening order); they are counted closed here,
    // so their end callbacks find nothing left to release.
    const std::size_t over = entries.size() > max_streams_ ? entries.size() - max_streams_ : 0;
    for (std::size_t i = 0; i < over; ++i) replaced.push_back(entries[i].stream);
    entries.erase(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(over));
    if (over > 0) {
      closed_[id] += static_cast<int64_t>(over);
      wake_.notify_one();
    }
    local_streams = static_cast<int64_t>(entries.size());
  }
  if (!replaced.empty()) {
    const auto chunk = core::EventStream::format(
        "replaced", "replaced", boost::json::serialize(boost::json::object{{"id", id}}));
    for (auto& old : replaced) {
      old->send(chunk);
      old->close();
    }
  }
  std::weak_ptr<StreamHub> weak = weak_from_this();
  stream->on_end([weak, id, raw] {
    if (auto hub = weak.lock()) hub->release(id, raw, true);
  });
  std::optional<Display> display;
  try {
    display = service_.stream_opened(id, local_streams);
  } catch (...) {
    release(id, raw, false);
    throw;
  }
  if (!display || display->token_hash != token_hash) {
    release(id, raw, true);
    return nullptr;
  }
  auto now = service_.now_ms();
  auto ev = event_id(*display, now);
  auto chunk =
      core::EventStream::format("content", ev, boost::json::serialize(display_json(*display, now)));
  auto next = next_check(*display, now);
  std::lock_guard lock(mutex_);
  auto it = screens_.find(id);
  if (it == screens_.end()) return stream;  // already closed (deleted, rotated or stopping)
  for (auto& e : it->second.entries) {
    if (e.stream.get() != raw) continue;
    e.stream->send_state(std::move(chunk));
    e.ready = true;
    e.version = display->content_version;
    e.last_id = ev;
  }
  it->second.next_check_ms = next;
  return stream;
}

std::size_t StreamHub::stream_count(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = screens_.find(id);
  return it == screens_.end() ? 0 : it->second.entries.size();
}

void StreamHub::notice(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (!screens_.contains(id)) return;
  dirty_.insert(id);
  wake_.notify_one();
}

void StreamHub::release(const std::string& id, const core::EventStream* stream, bool count_close) {
  std::lock_guard lock(mutex_);
  auto it = screens_.find(id);
  if (it == screens_.end()) return;
  auto& entries = it->second.entries;
  auto e = std::find_if(entries.begin(), entries.end(),
                        [&](const Entry& x) { return x.stream.get() == stream; });
  if (e == entries.end()) return;
  entries.erase(e);
  if (entries.empty()) screens_.erase(it);
  if (count_close && !stopped_) {
    ++closed_[id];
    wake_.notify_one();
  }
}

void StreamHub::run(std::stop_token stop) {
  auto last_keep_alive = std::chrono::steady_clock::now();
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, stop, kTick, [&] { return !dirty_.empty() || !closed_.empty(); });
    }
    if (stop.stop_requested()) break;
    auto now = std::chrono::steady_clock::now();
    bool keep_alive_due = now - last_keep_alive >= kKeepAliveEvery;
    if (keep_alive_due) last_keep_alive = now;
    try {
      process(keep_alive_due);
    } catch (const std::exception& e) {
      core::log::warn("signage: stream pass failed", {{"error", e.what()}});
    }
  }
}

void StreamHub::process(bool send_keep_alives) {
  std::set<std::string> dirty;
  std::map<std::string, int64_t> closed;
  {
    std::lock_guard lock(mutex_);
    dirty.swap(dirty_);
    dirty.merge(retry_);
    retry_.clear();
    closed.swap(closed_);
    auto now = service_.now_ms();
    for (auto& [id, screen] : screens_) {
      if (screen.next_check_ms && *screen.next_check_ms <= now) {
        dirty.insert(id);
        screen.next_check_ms.reset();
      }
    }
  }
  try {
    service_.streams_closed(closed);
  } catch (const std::exception& e) {
    core::log::warn("signage: could not record closed streams", {{"error", e.what()}});
  }
  std::set<std::string> retry;
  for (const auto& id : dirty)
    if (refresh(id)) retry.insert(id);
  if (send_keep_alives) keep_alive();
  if (!retry.empty()) {
    std::lock_guard lock(mutex_);
    retry_.merge(retry);
  }
}

bool StreamHub::refresh(const std::string& id) {
  std::optional<Display> display;
  try {
    display = service_.find(id);
  } catch (const std::exception& e) {
    core::log::warn("signage: could not load a display to push", {{"error", e.what()}});
    return true;
  }
  return deliver(id, display);
}

bool StreamHub::deliver(const std::string& id, const std::optional<Display>& display) {
  auto now = service_.now_ms();
  std::string ev;
  std::string chunk;
  std::optional<int64_t> next;
  if (display) {
    ev = event_id(*display, now);
    chunk = core::EventStream::format("content", ev,
                                      boost::json::serialize(display_json(*display, now)));
    next = next_check(*display, now);
  } else {
    chunk = core::EventStream::format("deleted", "deleted",
                                      boost::json::serialize(boost::json::object{{"id", id}}));
  }
  std::vector<std::shared_ptr<core::EventStream>> to_close;
  bool retry = false;
  {
    std::lock_guard lock(mutex_);
    auto it = screens_.find(id);
    if (it == screens_.end()) return false;
    for (auto& e : it->second.entries) {
      if (!display) {
        e.stream->send(chunk);
        to_close.push_back(e.stream);
      } else if (e.token_hash != display->token_hash) {
        to_close.push_back(e.stream);  // the token was rotated
      } else if (!e.ready) {
        retry = true;
      } else if (display->content_version > e.version ||
                 (display->content_version == e.version && ev != e.last_id)) {
        e.stream->send_state(chunk);
        e.version = display->content_version;
        e.last_id = ev;
      }
    }
    if (display) it->second.next_check_ms = next;
  }
  // Outside the lock: a stream's end callback takes it.
  for (auto& s : to_close) s->close();
  return retry;
}

void StreamHub::keep_alive() {
  std::map<std::string, int64_t> open;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, screen] : screens_) {
      open[id] = static_cast<int64_t>(screen.entries.size());
      for (auto& e : screen.entries)
        if (e.ready) e.stream->send_keep_alive(std::string(kKeepAlive));
    }
  }
  try {
    service_.streams_alive(open);
  } catch (const std::exception& e) {
    core::log::warn("signage: could not renew stream leases", {{"error", e.what()}});
  }
}

std::optional<int64_t> StreamHub::next_check(const Display& display, int64_t now) const {
  if (!display.schedule) return std::nullopt;
  auto next = next_change(*display.schedule, instant_of(now));
  int64_t cap = now + kMaxCheckDelayMs;
  if (!next) return cap;
  return std::min(cap, static_cast<int64_t>(next->time_since_epoch().count()));
}

}  // namespace o4o::services::signage
