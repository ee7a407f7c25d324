#include "core/trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>
#include <thread>

#include "core/http_client.hpp"
#include "core/logging.hpp"

namespace o4o::core::trace {

namespace {

thread_local const Context* g_current = nullptr;

bool lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}
bool all_zero(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}

template <std::size_t N>
std::array<char, N> random_hex() {
  // Not a secret: a per-thread generator, seeded once, costs no system call.
  thread_local std::mt19937_64 gen{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::array<char, N> out{};
  for (;;) {
    for (std::size_t i = 0; i < N; i += 16) {
      uint64_t r = gen();
      for (std::size_t j = 0; j < 16 && i + j < N; ++j) out[i + j] = digits[(r >> (j * 4)) & 0xf];
    }
    if (!all_zero({out.data(), N})) return out;  // all zeros is invalid
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <std::size_t N>
std::string_view view(const std::array<char, N>& a) {
  return {a.data(), N};
}

}  // namespace

std::optional<Parent> parse_traceparent(std::string_view h) {
  h = trim(h);
  // version "-" trace-id "-" parent-id "-" flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55.
  if (h.size() < 55) return std::nullopt;
  const auto version = h.substr(0, 2);
  if (!lower_hex(version) || version == "ff") return std::nullopt;
  // Version 00 is exactly 55 characters; a later version may add fields after a '-'.
  if (version == "00" ? h.size() != 55 : (h.size() > 55 && h[55] != '-')) return std::nullopt;
  if (h[2] != '-' || h[35] != '-' || h[52] != '-') return std::nullopt;
  const auto trace = h.substr(3, 32), span = h.substr(36, 16), flags = h.substr(53, 2);
  if (!lower_hex(trace) || !lower_hex(span) || !lower_hex(flags)) return std::nullopt;
  if (all_zero(trace) || all_zero(span)) return std::nullopt;
  Parent p;
  std::copy(trace.begin(), trace.end(), p.trace_id.begin());
  std::copy(span.begin(), span.end(), p.span_id.begin());
  const int f = std::stoi(std::string(flags), nullptr, 16);
  p.sampled = (f & 1) != 0;
  return p;
}

std::string sanitize_tracestate(std::string_view h) {
  h = trim(h);
  if (h.empty() || h.size() > 512) return {};
  if (std::count(h.begin(), h.end(), ',') >= 32) return {};
  for (char c : h)
    if (c < 0x20 || c > 0x7e) return {};
  return std::string(h);
}

std::string format_traceparent(const TraceId& trace, const SpanId& span, bool sampled) {
  return fmt::format("00-{}-{}-{}", view(trace), view(span), sampled ? "01" : "00");
}

TraceId new_trace_id() {
  return random_hex<32>();
}
SpanId new_span_id() {
  return random_hex<16>();
}

uint64_t now_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

const Context* current() {
  return g_current;
}

std::string current_traceparent() {
  if (!g_current) return {};
  return format_traceparent(g_current->trace_id, g_current->span_id, g_current->sampled);
}

std::optional<Context> continue_from(std::string_view traceparent, std::string_view tracestate) {
  auto parent = parse_traceparent(traceparent);
  if (!parent) return std::nullopt;
  Context c;
  c.trace_id = parent->trace_id;
  c.span_id = parent->span_id;
  c.sampled = parent->sampled;
  c.tracestate = sanitize_tracestate(tracestate);
  return c;
}

Scope::Scope(const Context& context) : previous_(g_current) {
  g_current = &context;
}
Scope::~Scope() {
  g_current = previous_;
}

Span::Span(std::string name, Kind kind) {
  const Context* parent = g_current;
  if (!parent) return;
  active_ = true;
  context_ = *parent;
  context_.span_id = new_span_id();
  data_.trace_id = parent->trace_id;
  data_.span_id = context_.span_id;
  data_.parent = parent->span_id;
  data_.name = std::move(name);
  data_.kind = kind;
  data_.tracestate = parent->tracestate;
  data_.start_ns = now_ns();
  previous_ = g_current;
  g_current = &context_;
}

Span::~Span() {
  if (!active_) return;
  g_current = previous_;
  data_.end_ns = now_ns();
  submit(std::move(data_), context_.sampled);
}

void Span::attribute(std::string key, std::string value) {
  if (active_ && exporting())
    data_.attributes.push_back({std::move(key), std::move(value), 0, false});
}
void Span::attribute(std::string key, int64_t value) {
  if (active_ && exporting()) data_.attributes.push_back({std::move(key), {}, value, true});
}

std::string Span::traceparent() const {
  return active_ ? format_traceparent(context_.trace_id, context_.span_id, context_.sampled)
                 : std::string();
}

// ---- exporter ----------------------------------------------------------------------------------

namespace {

struct Exporter {
  ExporterOptions options;
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<SpanData> queue;
  bool stopping = false;
  std::thread thread;
  Exporter* stopped_before = nullptr;  // the list of stopped exporters (stop_exporter)

  void run() {
    std::unique_lock lock(mutex);
    for (;;) {
      cv.wait_for(lock, options.interval,
                  [&] { return stopping || queue.size() >= options.batch_size; });
      if (queue.empty()) {
        if (stopping) return;
        continue;
      }
      std::vector<SpanData> batch;
      const auto n = std::min(queue.size(), options.batch_size);
      batch.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
      const bool last = stopping;
      lock.unlock();
      // At stop, one last batch, and none when the collector failed just now: a dead collector
      // must not hold up the process's exit by more than one call's timeout.
      if (!(last && failing))
        send(batch);
      else
        dropped(batch.size());
      lock.lock();
      if (last) {
        dropped(queue.size());
        queue.clear();
        return;
      }
    }
  }

  void dropped(std::size_t n);
  bool failing = false;  // the last send failed (touched by the exporter thread only)
  void send(const std::vector<SpanData>& batch);
};

std::atomic<Exporter*> g_exporter{nullptr};
// Stopped exporters, never freed (stop_exporter), kept reachable from here so that a leak
// checker (ASan's, in scripts/test.sh) sees them kept on purpose rather than lost.
std::atomic<Exporter*> g_stopped{nullptr};
std::atomic<uint64_t> g_exported{0}, g_dropped_full{0}, g_dropped_failed{0};
std::atomic<bool> g_warned{false};

void Exporter::dropped(std::size_t n) {
  g_dropped_failed += n;
}

void Exporter::send(const std::vector<SpanData>& batch) {
  OutboundRequest request;
  request.method = "POST";
  request.url = options.endpoint + "/v1/traces";
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = otlp_json(batch, options);
  request.timeout = options.timeout;
  std::string failure;
  try {
    const auto response = http_call(request);
    if (response.status >= 200 && response.status < 300) {
      g_exported += batch.size();
      g_warned = false;
      failing = false;
      return;
    }
    failure = "collector answered " + std::to_string(response.status);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  g_dropped_failed += batch.size();
  failing = true;
  // One line per outage, not one per batch.
  if (!g_warned.exchange(true))
    log::warn("trace export failed; spans are dropped until the collector answers",
              {{"error", failure}, {"spans", static_cast<int64_t>(batch.size())}});
}

boost::json::object attribute_json(const Attribute& a) {
  boost::json::object value;
  if (a.is_int)
    value["intValue"] = std::to_string(a.number);  // int64 is a string in OTLP JSON
  else
    value["stringValue"] = a.text;
  return {{"key", a.key}, {"value", std::move(value)}};
}

}  // namespace

std::string otlp_json(const std::vector<SpanData>& spans, const ExporterOptions& options) {
  boost::json::array resource_attributes{
      attribute_json({"service.name", options.service_name}),
      attribute_json({"service.instance.id", options.service_instance}),
      attribute_json({"service.version", options.service_version}),
  };
  boost::json::array out_spans;
  out_spans.reserve(spans.size());
  for (const auto& s : spans) {
    boost::json::object span{
        {"traceId", std::string(view(s.trace_id))},
        {"spanId", std::string(view(s.span_id))},
        {"name", s.name},
        {"kind", static_cast<int>(s.kind)},
        {"startTimeUnixNano", std::to_string(s.start_ns)},
        {"endTimeUnixNano", std::to_string(s.end_ns)},
    };
    if (s.parent) span["parentSpanId"] = std::string(view(*s.parent));
    if (!s.tracestate.empty()) span["traceState"] = s.tracestate;
    boost::json::array attributes;
    for (const auto& a : s.attributes) attributes.push_back(attribute_json(a));
    span["attributes"] = std::move(attributes);
    // STATUS_CODE_ERROR = 2; unset otherwise.
    span["status"] = s.error ? boost::json::object{{"code", 2}} : boost::json::object{};
    out_spans.push_back(std::move(span));
  }
  boost::json::object body{
      {"resourceSpans",
       boost::json::array{boost::json::object{
           {"resource", boost::json::object{{"attributes", std::move(resource_attributes)}}},
           {"scopeSpans", boost::json::array{boost::json::object{
                              {"scope", boost::json::object{{"name", "o4o"},
                                                            {"version", options.service_version}}},
                              {"spans", std::move(out_spans)}}}}}}}};
  return boost::json::serialize(body);
}

void submit(SpanData span, bool sampled) {
  Exporter* e = g_exporter.load(std::memory_order_acquire);
  if (!e || !sampled) return;
  {
    std::lock_guard lock(e->mutex);
    if (e->stopping) return;
    if (e->queue.size() >= e->options.queue_limit) {
      ++g_dropped_full;
      return;
    }
    e->queue.push_back(std::move(span));
    if (e->queue.size() < e->options.batch_size) return;
  }
  e->cv.notify_one();
}

bool exporting() {
  return g_exporter.load(std::memory_order_relaxed) != nullptr;
}

void start_exporter(ExporterOptions options) {
  if (options.endpoint.empty() || g_exporter.load()) return;
  while (!options.endpoint.empty() && options.endpoint.back() == '/') options.endpoint.pop_back();
  auto* e = new Exporter();
  e->options = std::move(options);
  e->thread = std::thread([e] { e->run(); });
  g_exporter.store(e, std::memory_order_release);
}

void stop_exporter() {
  Exporter* e = g_exporter.exchange(nullptr);
  if (!e) return;
  {
    std::lock_guard lock(e->mutex);
    e->stopping = true;
  }
  e->cv.notify_one();
  e->thread.join();
  // Not deleted: a thread may still be in submit() with the pointer it loaded before the exchange
  // (it finds `stopping` and returns). One small object, once, at exit.
  e->stopped_before = g_stopped.exchange(e);
}

std::string render_metrics() {
  return fmt::format(
      "# HELP o4o_trace_spans_total Spans finished with O4O_OTLP_ENDPOINT set, by what became of "
      "them.\n"
      "# TYPE o4o_trace_spans_total counter\n"
      "o4o_trace_spans_total{{outcome=\"exported\"}} {}\n"
      "o4o_trace_spans_total{{outcome=\"dropped_queue_full\"}} {}\n"
      "o4o_trace_spans_total{{outcome=\"dropped_export_failed\"}} {}\n",
      g_exported.load(), g_dropped_full.load(), g_dropped_failed.load());
}

}  // namespace o4o::core::trace
