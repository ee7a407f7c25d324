#include "core/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/time_format.hpp"
#include "core/trace.hpp"

namespace o4o::core::log {

namespace {
std::shared_ptr<spdlog::logger> make_logger() {
  // stderr, unbuffered per line: the access log must survive a crash next to the error that
  // caused it. Each message is already a full JSON object, so the pattern adds nothing.
  auto logger = spdlog::stderr_logger_mt("o4o");
  logger->set_pattern("%v");
  return logger;
}

spdlog::logger& logger() {
  static std::shared_ptr<spdlog::logger> l = make_logger();
  return *l;
}

void write(spdlog::level::level_enum level, std::string_view level_name, std::string_view message,
           boost::json::object fields) {
  if (!logger().should_log(level)) return;
  boost::json::object line;
  line["time"] = format_timestamp(SystemClock().now_ms());
  line["level"] = level_name;
  line["msg"] = message;
  // Every line written while a request is worked on names its trace and current span.
  if (const auto* t = trace::current()) {
    line["trace_id"] = std::string_view(t->trace_id.data(), t->trace_id.size());
    line["span_id"] = std::string_view(t->span_id.data(), t->span_id.size());
  }
  for (auto& [k, v] : fields) line[k] = std::move(v);
  logger().log(level, boost::json::serialize(line));
}
}  // namespace

void init(const std::string& level) {
  logger().set_level(spdlog::level::from_str(level == "warn" ? "warning" : level));
}

void info(std::string_view m, boost::json::object f) {
  write(spdlog::level::info, "info", m, std::move(f));
}
void warn(std::string_view m, boost::json::object f) {
  write(spdlog::level::warn, "warn", m, std::move(f));
}
void error(std::string_view m, boost::json::object f) {
  write(spdlog::level::err, "error", m, std::move(f));
}
void debug(std::string_view m, boost::json::object f) {
  write(spdlog::level::debug, "debug", m, std::move(f));
}

std::string redact_target(std::string_view target) {
  std::string out(target);
  auto q = out.find('?');
  if (q == std::string::npos) return out;
  std::size_t pos = q;
  while ((pos = out.find("token=", pos)) != std::string::npos) {
    bool at_param_start = pos > 0 && (out[pos - 1] == '?' || out[pos - 1] == '&');
    std::size_t value = pos + 6;
    if (!at_param_start) {
      pos = value;
      continue;
    }
    auto end = out.find('&', value);
    if (end == std::string::npos) end = out.size();
    out.replace(value, end - value, "REDACTED");
    pos = value + 8;
  }
  return out;
}

}  // namespace o4o::core::log
