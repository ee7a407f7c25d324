#include "core/envelope.hpp"

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"
#include "core/time_format.hpp"
#include "db/database.hpp"

namespace o4o::core {

namespace {
std::string now_text() { return format_timestamp(SystemClock().now_ms()); }

Response json_response(int status, const boost::json::object& body) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  return r;
}

Response from_api_error(const ApiError& e) {
  boost::json::object error{{"code", e.code()}, {"message", e.message()}};
  if (!e.details().is_null()) error["details"] = e.details();
  Response r = json_response(
      e.status(), {{"success", false}, {"error", std::move(error)}, {"timestamp", now_text()}});
  for (const auto& h : e.headers()) r.set_header(h.name, h.value);
  return r;
}
}  // namespace

Response ok(boost::json::value data, int status) {
  return json_response(status,
                       {{"success", true}, {"data", std::move(data)}, {"timestamp", now_text()}});
}

Response created(boost::json::value data) { return ok(std::move(data), 201); }

Response ok_serialized(std::string_view data_json) {
  const std::string now = now_text();
  Response r;
  r.body.reserve(data_json.size() + now.size() + 48);
  r.body += R"({"success":true,"data":)";
  r.body += data_json;
  r.body += R"(,"timestamp":")";
  r.body += now;  // digits, '-', ':', '.', 'T', 'Z': nothing to escape
  r.body += R"("})";
  return r;
}

Response error_response(int status, std::string_view code, std::string_view message) {
  return from_api_error(ApiError(status, std::string(code), std::string(message)));
}

Response render_error(std::exception_ptr error, std::string_view request_id) {
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    return from_api_error(e);
  } catch (const db::TimeoutError& e) {
    log::warn("statement past the query deadline", {{"requestId", request_id}, {"error", e.what()}});
    return from_api_error(err::unavailable("The request took too long; try again shortly")
                              .with_header("Retry-After", "1"));
  } catch (const db::UnavailableError& e) {
    log::warn("database unavailable", {{"requestId", request_id}, {"error", e.what()}});
    return from_api_error(err::unavailable("The database is not reachable; try again shortly"));
  } catch (const db::RetryableError& e) {
    log::warn("database contention persisted", {{"requestId", request_id}, {"error", e.what()}});
    return from_api_error(err::unavailable("The server is busy; try again shortly"));
  } catch (const db::ConstraintError& e) {
    // A constraint the service did not expect is still a state conflict, not a server bug.
    log::warn("constraint violation", {{"requestId", request_id}, {"error", e.what()}});
    return from_api_error(err::conflict("CONFLICT", "The request conflicts with the current state"));
  } catch (const std::exception& e) {
    log::error("unhandled error", {{"requestId", request_id}, {"error", e.what()}});
  } catch (...) {
    log::error("unhandled non-standard exception", {{"requestId", request_id}});
  }
  return from_api_error(ApiError(500, "INTERNAL_ERROR", "Internal server error"));
}

}  // namespace o4o::core
