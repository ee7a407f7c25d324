#pragma once
#include <boost/json/value.hpp>
#include <exception>
#include <string_view>

#include "core/http.hpp"

namespace o4o::core {

// {"success": true, "data": data, "timestamp": ...}
Response ok(boost::json::value data, int status = 200);
Response created(boost::json::value data);
// ok() around data already serialized (a cached answer, core/read_cache.hpp): the same envelope,
// with the timestamp of now.
Response ok_serialized(std::string_view data_json);

// The one place that maps an exception to the error envelope: ApiError as given, database
// unavailability as 503, an unhandled constraint violation as 409 CONFLICT, anything else as a
// logged 500 that leaks nothing.
Response render_error(std::exception_ptr error, std::string_view request_id);

// Same, for a status and code chosen by the server itself (404/405 of the router, 413, ...).
Response error_response(int status, std::string_view code, std::string_view message);

}  // namespace o4o::core
