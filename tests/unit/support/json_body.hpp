#pragma once
// A request body as the routes hand it to the request readers, from JSON text.
#include <boost/json/parse.hpp>

#include "core/json_body.hpp"

namespace o4o::unit_test {

// The JSON object `json` as a request body (the text must be an object).
inline core::JsonBody body(const char* json) {
  return core::JsonBody(boost::json::parse(json).as_object());
}

}  // namespace o4o::unit_test
