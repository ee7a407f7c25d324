#pragma once
// Typed errors with a client-safe message. Services throw these; one function (render_error in
// envelope.hpp) turns any exception into the contract's error envelope.
#include <boost/json/value.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/http.hpp"

namespace o4o::core {

class ApiError : public std::exception {
 public:
  ApiError(int status, std::string code, std::string message,
           boost::json::value details = nullptr);
  const char* what() const noexcept override { return message_.c_str(); }

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  const boost::json::value& details() const { return details_; }
  const std::vector<Header>& headers() const { return headers_; }
  ApiError& with_header(std::string name, std::string value);

 private:
  int status_;
  std::string code_;
  std::string message_;
  boost::json::value details_;
  std::vector<Header> headers_;
};

namespace err {
ApiError invalid_json(std::string message = "Request body is not valid JSON");
// One field: details = [{"field": field, "message": message}].
ApiError validation(std::string field, std::string message);
// details must be an array of {field, message} objects.
ApiError validation(boost::json::array details, std::string message = "Validation failed");
ApiError unauthorized(std::string message = "Authentication required");
ApiError forbidden(std::string message = "You are not allowed to do this");
ApiError not_found(std::string message = "Not found");
// 409 with a specific code: EMAIL_TAKEN, OUT_OF_STOCK, FUNDING_CLOSED, REWARD_UNAVAILABLE,
// INVALID_TRANSITION, IDEMPOTENCY_CONFLICT, CONFLICT.
ApiError conflict(std::string code, std::string message, boost::json::value details = nullptr);
ApiError rate_limited(int retry_after_seconds);
ApiError unavailable(std::string message = "Service temporarily unavailable");
ApiError unsupported_media_type();
}  // namespace err

}  // namespace o4o::core
