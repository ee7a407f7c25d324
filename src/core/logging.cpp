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

bool info_on() { return logger().should_log(spdlog::level::info); }

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

namespace {
int hex_value(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

// A query parameter's name as the server reads it: percent-decoded, '+' as a space, ASCII
// lower-cased (for the comparison only).
std::string decoded_lower_name(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char ch = name[i];
    if (ch == '%' && i + 2 < name.size() && hex_value(name[i + 1]) >= 0 &&
        hex_value(name[i + 2]) >= 0) {
      ch = static_cast<char>(hex_value(name[i + 1]) * 16 + hex_value(name[i + 2]));
      i += 2;
    } else if (ch == '+') {
      ch = ' ';
    }
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    out.push_back(ch);
  }
  return out;
}
}  // namespace

std::string redact_target(std::string_view target) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, q + 1));
  std::string_view rest = target.substr(q + 1);
  // Every parameter named token, in any case or percent-encoding (?%74oken=, ?TOKEN=), has its
  // value replaced; the rest is kept as sent.
  bool first = true;
  while (true) {
    const auto amp = rest.find('&');
    const std::string_view param = rest.substr(0, amp);
    if (!first) out.push_back('&');
    first = false;
    const auto eq = param.find('=');
    if (eq != std::string_view::npos && decoded_lower_name(param.substr(0, eq)) == "token") {
      out.append(param.substr(0, eq + 1)).append("REDACTED");
    } else {
      out.append(param);
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace o4o::core::log
