#include "core/metrics.hpp"

#include <fmt/format.h>

namespace o4o::core {

namespace {
// Label values are route patterns and methods we chose, but escape anyway.
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
}  // namespace

void Metrics::observe(std::string_view method, std::string_view route, int status,
                      double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  auto& h = durations_[{method, route}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::add_open_streams(int64_t delta) {
  std::lock_guard lock(mutex_);
  open_streams_ += delta;
}

void Metrics::add_source(std::function<std::string()> source) {
  std::lock_guard lock(mutex_);
  sources_.push_back(std::move(source));
}

std::string Metrics::render() const {
  std::string out;
  std::vector<std::function<std::string()>> sources;
  {
    std::lock_guard lock(mutex_);
    sources = sources_;
  }
  // Outside the lock: a source may take its own (the pool's) and must not hold up requests.
  for (const auto& source : sources) out += source();
  std::lock_guard lock(mutex_);
  out += "# HELP http_requests_total HTTP requests answered, by method, route pattern and status.\n";
  out += "# TYPE http_requests_total counter\n";
  for (const auto& [k, n] : requests_) {
    const auto& [m, r, s] = k;
    out += fmt::format("http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                       label(m), label(r), s, n);
  }
  out += "# HELP http_request_duration_seconds Time from a full request to its answer.\n";
  out += "# TYPE http_request_duration_seconds histogram\n";
  for (const auto& [k, h] : durations_) {
    const auto labels = fmt::format("method=\"{}\",route=\"{}\"", label(k.first), label(k.second));
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
      out += fmt::format("http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                         kBuckets[i], h.buckets[i]);
    out += fmt::format("http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels,
                       h.count);
    out += fmt::format("http_request_duration_seconds_sum{{{}}} {}\n", labels, h.sum);
    out += fmt::format("http_request_duration_seconds_count{{{}}} {}\n", labels, h.count);
  }
  out += "# HELP o4o_open_streams Server-sent event streams open now.\n";
  out += "# TYPE o4o_open_streams gauge\n";
  out += fmt::format("o4o_open_streams {}\n", open_streams_);
  out += metrics::render_counters();
  return out;
}

namespace metrics {
namespace {
std::mutex counters_mutex;
std::map<std::pair<std::string, std::string>, uint64_t> payment_counts;
std::map<std::pair<std::string, std::string>, uint64_t> mcp_tool_counts;
// Every outcome from the start, so that rate() and alerts see 0 rather than no series.
std::map<std::string, uint64_t, std::less<>> mail_counts{{"failed", 0}, {"retry", 0}, {"sent", 0}};
}  // namespace

void count_mail(std::string_view outcome) {
  std::lock_guard lock(counters_mutex);
  auto it = mail_counts.find(outcome);
  if (it == mail_counts.end()) it = mail_counts.emplace(std::string(outcome), 0).first;
  ++it->second;
}

void count_mcp_tool_call(std::string_view tool, std::string_view outcome) {
  std::lock_guard lock(counters_mutex);
  ++mcp_tool_counts[{std::string(tool), std::string(outcome)}];
}

void count_payment(std::string_view provider, std::string_view outcome) {
  std::lock_guard lock(counters_mutex);
  ++payment_counts[{std::string(provider), std::string(outcome)}];
}

std::string render_counters() {
  std::lock_guard lock(counters_mutex);
  std::string out;
  out += "# HELP o4o_payments_total Payment events, by provider and outcome.\n";
  out += "# TYPE o4o_payments_total counter\n";
  for (const auto& [k, n] : payment_counts)
    out += fmt::format("o4o_payments_total{{provider=\"{}\",outcome=\"{}\"}} {}\n", k.first,
                       k.second, n);
  out += "# HELP o4o_mail_total Mails handed to the SMTP server by this instance's outbox sender, by outcome.\n";
  out += "# TYPE o4o_mail_total counter\n";
  for (const auto& [outcome, n] : mail_counts)
    out += fmt::format("o4o_mail_total{{outcome=\"{}\"}} {}\n", outcome, n);
  out += "# HELP o4o_mcp_tool_calls_total MCP tool calls, by tool and outcome.\n";
  out += "# TYPE o4o_mcp_tool_calls_total counter\n";
  for (const auto& [k, n] : mcp_tool_counts)
    out += fmt::format("o4o_mcp_tool_calls_total{{tool=\"{}\",outcome=\"{}\"}} {}\n", k.first,
                       k.second, n);
  return out;
}
}  // namespace metrics

}  // namespace o4o::core
