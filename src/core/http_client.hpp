#pragma once
// Calls to other servers (payment providers, the sim provider's webhooks): one blocking HTTP
// request with a hard deadline, made through libcurl. Callers run it on a worker thread, never on
// an IO thread and never while holding a database transaction.
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/http.hpp"

namespace o4o::core {

struct OutboundRequest {
  std::string method = "GET";  // GET | POST | PUT | DELETE
  std::string url;
  std::vector<Header> headers;  // "Content-Type" is the caller's to set
  std::string body;
  std::chrono::milliseconds timeout{10'000};  // connect + transfer, all included
};

struct OutboundResponse {
  int status = 0;
  std::string body;
  std::vector<Header> headers;  // names lowercased
};

// The other side did not answer in time, or could not be reached: whether it acted is unknown.
struct OutboundUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Sends the request and returns whatever status the server answered; throws OutboundUnavailable
// on a timeout, a refused or reset connection, or a TLS failure.
OutboundResponse http_call(const OutboundRequest& request);

}  // namespace o4o::core
