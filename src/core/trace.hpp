#pragma once
// W3C Trace Context (traceparent / tracestate) and spans exported as OTLP/HTTP JSON.
//
// Each request continues the trace its valid `traceparent` names, or starts a new one; its span
// is the parent of the spans made while it runs (database transactions, outbound HTTP calls). The
// thread that works on a request holds its context (a Scope), so every log line written there
// carries trace_id and span_id, and outbound calls pass the context on.
//
// With O4O_OTLP_ENDPOINT set, finished spans go into a bounded queue that a background thread
// sends in batches to <endpoint>/v1/traces. A full queue or a collector that does not answer
// costs the spans only (counted on /metrics), never a request's time.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace o4o::core::trace {

using TraceId = std::array<char, 32>;  // lowercase hex
using SpanId = std::array<char, 16>;   // lowercase hex

struct Context {
  TraceId trace_id{};
  SpanId span_id{};  // the current span
  bool sampled = true;
  std::string tracestate;  // passed on as received (bounded)
};

// The parent a valid traceparent names: its trace, its span (our parent), its flags. nullopt for
// anything the spec says to ignore (bad length or characters, version ff, all-zero ids, ...).
struct Parent {
  TraceId trace_id{};
  SpanId span_id{};
  bool sampled = false;
};
std::optional<Parent> parse_traceparent(std::string_view header);
// A tracestate worth passing on: at most 512 characters and 32 members, else dropped (empty).
std::string sanitize_tracestate(std::string_view header);
std::string format_traceparent(const TraceId& trace, const SpanId& span, bool sampled);

TraceId new_trace_id();
SpanId new_span_id();

enum class Kind { internal = 1, server = 2, client = 3, producer = 4, consumer = 5 };

struct Attribute {
  std::string key;
  std::string text;    // used when !is_int
  int64_t number = 0;  // used when is_int
  bool is_int = false;
};

// A finished span, as exported.
struct SpanData {
  TraceId trace_id{};
  SpanId span_id{};
  std::optional<SpanId> parent;
  std::string name;
  Kind kind = Kind::internal;
  uint64_t start_ns = 0;  // Unix epoch
  uint64_t end_ns = 0;
  bool error = false;
  std::string tracestate;
  std::vector<Attribute> attributes;
};

uint64_t now_ns();

// The context of the work on this thread now; nullptr outside a request.
const Context* current();
// traceparent naming the current span, to be carried by work that runs later elsewhere (a mail
// in the outbox); empty outside a request.
std::string current_traceparent();
// The context to continue a traceparent (and tracestate) received or stored: that trace, with
// the span it names as the parent of the spans made under it. nullopt when it is not valid.
std::optional<Context> continue_from(std::string_view traceparent, std::string_view tracestate = {});

// Makes `context` the thread's current one until destroyed (then restores the previous).
class Scope {
 public:
  explicit Scope(const Context& context);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  const Context* previous_;
};

// A child of the thread's current span (no-op outside a request): it becomes the current span
// until it ends, so log lines and calls made meanwhile name it. Ends when destroyed.
class Span {
 public:
  Span(std::string name, Kind kind = Kind::internal);
  ~Span();
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;

  bool active() const { return active_; }
  void set_error() { data_.error = true; }
  void attribute(std::string key, std::string value);
  void attribute(std::string key, int64_t value);
  // traceparent naming this span, for an outbound call; empty when not active.
  std::string traceparent() const;
  const std::string& tracestate() const { return data_.tracestate; }

 private:
  bool active_ = false;
  SpanData data_;
  Context context_;
  const Context* previous_ = nullptr;
};

// Hands a finished span to the exporter (dropped when none runs or it is not sampled).
void submit(SpanData span, bool sampled);

// Starts the exporter thread when endpoint is not empty. service_instance names this process
// (host:port). Safe to call once; stop() sends what is queued (bounded by the call timeout).
struct ExporterOptions {
  std::string endpoint;  // base URL; spans go to <endpoint>/v1/traces
  std::string service_name = "o4o";
  std::string service_instance;
  std::string service_version;
  std::size_t queue_limit = 4096;
  std::size_t batch_size = 512;
  std::chrono::milliseconds interval{1000};
  std::chrono::milliseconds timeout{2000};
};
void start_exporter(ExporterOptions options);
void stop_exporter();
bool exporting();

// o4o_trace_spans_total{outcome="exported|dropped_queue_full|dropped_export_failed"}.
std::string render_metrics();

// One OTLP/HTTP JSON body (ExportTraceServiceRequest) for these spans.
std::string otlp_json(const std::vector<SpanData>& spans, const ExporterOptions& options);

}  // namespace o4o::core::trace
