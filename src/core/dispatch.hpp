#pragma once
// What happens to a request between the socket and the handler, free of any I/O: client address,
// request id, rate limit, routing (404/405), static files, error rendering, metrics, access log.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include "core/auth.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/http.hpp"
#include "core/metrics.hpp"
#include "core/rate_limit.hpp"
#include "core/read_cache.hpp"
#include "core/router.hpp"
#include "core/static_files.hpp"

namespace o4o::core {

class Dispatcher {
 public:
  // `auth` checks the routes' access rules; without it only public routes can run. `cache`: the
  // read cache that routes with a cached read (Route::cached) are answered from on a hit.
  Dispatcher(const Config& config, const Router& router, const StaticFiles& files, Metrics& metrics,
             const Clock& clock, const Authenticator* auth = nullptr, ReadCache* cache = nullptr);

  struct Plan {
    std::optional<Response> immediate;  // answered without a handler (404, 405, 429, files)
    const Route* route = nullptr;
    std::string_view pattern = "<unmatched>";  // metrics label
  };

  // The socket peer, or the last X-Forwarded-For hop when the peer is a trusted proxy.
  std::string client_ip(const std::string& peer, std::optional<std::string_view> forwarded) const;
  // The client's X-Request-Id when it is sane (1..128 of [A-Za-z0-9._:-]), else a fresh one.
  static std::string request_id(std::optional<std::string_view> sent);

  Plan plan(Request& req);
  // The upload spec of the route a request line names, for the session to stream its body to a
  // file; null for every other route. No side effects (plan() still runs for the request).
  std::shared_ptr<const UploadSpec> upload_route(Method method, std::string_view target) const;
  // Checks the route's access rule (filling req.caller), then runs the handler; every exception
  // becomes an error envelope here.
  Response run(const Route& route, Request& req) const noexcept;
  // On the IO thread, before the hop to a worker: the answer of a route with a cached read when
  // the read cache holds it — the handler's very answer (status, headers, body), with no worker
  // and no database. Nullopt (the handler runs, as without it) on a miss, for a request the
  // route's cached read does not name or whose query it refuses, and for a request that brings a
  // write position it must see (O4O-Read-After or its cookie, with read replicas).
  std::optional<Response> answer_from_cache(const Route& route, const Request& req) const;
  // Adds X-Request-Id, counts the request, ends its span, writes the access log line.
  void finish(const Request& req, Response& res, std::string_view pattern, double seconds) const;

  // True when the socket peer is one of O4O_TRUSTED_PROXIES (exempt from per-address limits).
  bool trusted(const std::string& peer) const;

 private:
  // With read replicas: the request's database session (its address, and what the client says
  // it saw written: O4O-Read-After or the cookie of that name), or the one of the request this
  // thread already serves (MCP's in-process calls).
  static std::shared_ptr<db::Session> db_session_of(const Request& req);
  // The write position the request says it has seen (O4O-Read-After, else the cookie), or 0.
  static db::Lsn read_after(const Request& req);
  // Adds the caller's user to the request's database session: the one the access rule found, or
  // on a public route the one a valid bearer token names.
  void add_user_key(Request& req) const;
  // W3C trace context: continues the request's valid traceparent or starts a trace.
  static void start_trace(Request& req);
  void end_trace(const Request& req, const trace::Context& t, const Response& res,
                 std::string_view pattern, double seconds) const;

  const Config& config_;
  const Router& router_;
  const StaticFiles& files_;
  Metrics& metrics_;
  const Clock& clock_;
  const Authenticator* auth_;
  ReadCache* cache_;
  const bool replicas_;  // read replicas configured: requests get a db::Session
  RateLimiter limiter_;
  RateLimiter hash_limiter_;  // routes that hash a password (Exec::cpu), O4O_PASSWORD_HASH_PER_MIN
  std::vector<boost::asio::ip::address> trusted_addresses_;
  std::vector<boost::asio::ip::network_v4> trusted_v4_;
  std::vector<boost::asio::ip::network_v6> trusted_v6_;
};

}  // namespace o4o::core
