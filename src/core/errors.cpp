#include "core/errors.hpp"

#include <boost/json.hpp>

namespace o4o::core {

ApiError::ApiError(int status, std::string code, std::string message, boost::json::value details)
    : status_(status), code_(std::move(code)), message_(std::move(message)),
      details_(std::move(details)) {}

ApiError& ApiError::with_header(std::string name, std::string value) {
  headers_.push_back({std::move(name), std::move(value)});
  return *this;
}

namespace err {

ApiError invalid_json(std::string message) {
  return ApiError(400, "INVALID_JSON", std::move(message));
}

ApiError validation(std::string field, std::string message) {
  boost::json::array details;
  details.push_back(boost::json::object{{"field", field}, {"message", message}});
  return ApiError(400, "VALIDATION_ERROR", std::move(message), std::move(details));
}

ApiError validation(boost::json::array details, std::string message) {
  // A single problem is the most useful headline; several get the generic one.
  if (details.size() == 1 && details[0].is_object()) {
    if (auto* m = details[0].as_object().if_contains("message"); m && m->is_string())
      message = std::string(m->as_string());
  }
  return ApiError(400, "VALIDATION_ERROR", std::move(message), std::move(details));
}

ApiError unauthorized(std::string message) {
  return ApiError(401, "UNAUTHORIZED", std::move(message));
}

ApiError forbidden(std::string message) { return ApiError(403, "FORBIDDEN", std::move(message)); }

ApiError not_found(std::string message) { return ApiError(404, "NOT_FOUND", std::move(message)); }

ApiError conflict(std::string code, std::string message, boost::json::value details) {
  return ApiError(409, std::move(code), std::move(message), std::move(details));
}

ApiError rate_limited(int retry_after_seconds) {
  if (retry_after_seconds < 1) retry_after_seconds = 1;
  return ApiError(429, "RATE_LIMITED", "Too many requests; try again later")
      .with_header("Retry-After", std::to_string(retry_after_seconds));
}

ApiError unavailable(std::string message) {
  return ApiError(503, "SERVICE_UNAVAILABLE", std::move(message));
}

ApiError unsupported_media_type() {
  return ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "Request body must be application/json");
}

}  // namespace err
}  // namespace o4o::core
