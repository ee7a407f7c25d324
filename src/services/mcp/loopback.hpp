#pragma once
// Tools reach the platform through its own REST routes, in process: the same router, the same
// dispatcher (which applies each route's access rule before the handler), the same validation,
// idempotency and error envelopes as an HTTP client gets. No tool has SQL or a business rule of
// its own.
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/app_context.hpp"
#include "core/dispatch.hpp"
#include "core/http.hpp"
#include "core/metrics.hpp"
#include "core/router.hpp"
#include "core/static_files.hpp"

namespace o4o::services::mcp {

struct RestCall {
  core::Method method = core::Method::get;
  std::string path;  // decoded, e.g. /api/v1/ecommerce/products/<id>
  std::vector<std::pair<std::string, std::string>> query;
  std::optional<boost::json::value> body;  // sent as application/json
  std::string idempotency_key;             // empty: none
};

struct RestAnswer {
  int status = 0;
  boost::json::value data;  // the envelope's data on 2xx
  std::string code;         // the envelope's error code otherwise
  std::string message;
  boost::json::value details;
  bool ok() const { return status >= 200 && status < 300; }
};

class Loopback {
 public:
  Loopback(core::AppContext& ctx, const core::Router& router);

  // Runs the route as `outer` (the /mcp request) would have: its Authorization header, client
  // address and request id. Waits (on this worker thread) when the route asks to be run again,
  // as a parallel Idempotency-Key duplicate does.
  RestAnswer call(const core::Request& outer, const RestCall& call) const;

 private:
  const core::Router& router_;
  core::StaticFiles no_files_;
  core::Metrics own_metrics_;  // the dispatcher's, never rendered: the /mcp request is counted
  std::unique_ptr<core::Dispatcher> dispatcher_;
};

}  // namespace o4o::services::mcp
