#pragma once
// Prometheus counters and a latency histogram per route pattern (not raw path, so that ids do not
// explode the label space).
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace o4o::core {

class Metrics {
 public:
  // method and route must outlive the Metrics object (route patterns, literals).
  void observe(std::string_view method, std::string_view route, int status, double seconds);
  void add_open_streams(int64_t delta);
  // Text that render() appends, made at each scrape (gauges read from their owners: the
  // database pool, the worker queues, the process). Add before serving.
  void add_source(std::function<std::string()> source);
  // Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  // 20 ms is the orders' p99 target (bench/RESULTS.md), so an alert can be written against it.
  static constexpr std::array<double, 13> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  // Keys are views of strings that live as long as the program (route patterns held by the
  // router, method names and fixed labels), so counting a request allocates nothing.
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string_view, std::string_view, int>, uint64_t> requests_;
  std::map<std::pair<std::string_view, std::string_view>, Histogram> durations_;
  int64_t open_streams_ = 0;
  std::vector<std::function<std::string()>> sources_;
};

// Counters kept by background work that has no Metrics object at hand (payments, mail), rendered with
// the rest by Metrics::render.
namespace metrics {
// o4o_payments_total{provider, outcome} += 1
void count_payment(std::string_view provider, std::string_view outcome);
// o4o_mcp_tool_calls_total{tool, outcome} += 1 (outcome: ok, or the error code in lower case)
void count_mcp_tool_call(std::string_view tool, std::string_view outcome);
// o4o_mail_total{outcome} += 1 (sent, retry: the SMTP server did not take it and it is tried
// again later, failed: given up)
void count_mail(std::string_view outcome);
std::string render_counters();
}  // namespace metrics

}  // namespace o4o::core
