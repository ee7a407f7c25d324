#pragma once
// Structured JSON lines through spdlog: one object per line with time, level, message and fields.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace o4o::core::log {

void init(const std::string& level);  // trace|debug|info|warn|error
// Whether info lines are written at the level set: a caller with many fields to gather (the
// access log, once per request) asks first rather than build a line that is dropped.
bool info_on();
void info(std::string_view message, boost::json::object fields = {});
void warn(std::string_view message, boost::json::object fields = {});
void error(std::string_view message, boost::json::object fields = {});
void debug(std::string_view message, boost::json::object fields = {});
// Replaces the value of token=... query parameters so that device tokens never reach a log.
std::string redact_target(std::string_view target);

}  // namespace o4o::core::log
