#include "services/mcp/loopback.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <thread>

namespace o4o::services::mcp {

namespace json = boost::json;

// The dispatcher is this service's own (no static files, metrics never rendered): only its run()
// is used, which is where the routes' access rules are applied once routes declare them (the
// route-table refactor gives Dispatcher an Authenticator: pass &ctx.auth here then, or every
// non-public route answers 500 — tests/mcp calls each tool as every role and would say so).
Loopback::Loopback(core::AppContext& ctx, const core::Router& router)
    : router_(router),
      no_files_(""),
      // The same access rules as over HTTP: the dispatcher checks each route's with ctx.auth.
      dispatcher_(std::make_unique<core::Dispatcher>(ctx.config, router, no_files_, own_metrics_,
                                                     ctx.clock, &ctx.auth)) {}

RestAnswer Loopback::call(const core::Request& outer, const RestCall& call) const {
  core::Request req;
  req.method = call.method;
  req.path = call.path;
  req.query = call.query;
  req.client_ip = outer.client_ip;
  req.request_id = outer.request_id;
  req.target = call.path;
  for (std::size_t i = 0; i < call.query.size(); ++i) {
    req.target += i == 0 ? '?' : '&';
    req.target += boost::urls::encode(call.query[i].first, boost::urls::unreserved_chars);
    req.target += '=';
    req.target += boost::urls::encode(call.query[i].second, boost::urls::unreserved_chars);
  }
  if (auto a = outer.header("Authorization")) req.headers.push_back({"Authorization", std::string(*a)});
  if (call.body) {
    req.body = json::serialize(*call.body);
    req.headers.push_back({"Content-Type", "application/json"});
  }
  if (!call.idempotency_key.empty())
    req.headers.push_back({"Idempotency-Key", call.idempotency_key});

  RestAnswer answer;
  core::RouteMatch m = router_.match(req.method, req.path, req.params);
  if (m.route == nullptr) {
    answer.status = 404;
    answer.code = "NOT_FOUND";
    answer.message = "Not found";
    return answer;
  }
  core::Response res = dispatcher_->run(*m.route, req);
  for (;;) {
    if (res.later) res = res.later->wait();  // a write answered after its group commit
    if (!res.run_again_after) break;
    // A duplicate waits for the first (core/idempotency.hpp).
    std::this_thread::sleep_for(*res.run_again_after);
    ++req.reruns;
    res = dispatcher_->run(*m.route, req);
  }
  answer.status = res.status;
  json::error_code ec;
  json::value env = json::parse(res.body, ec);
  if (ec || !env.is_object()) {
    answer.status = answer.ok() ? 500 : answer.status;
    answer.code = "INTERNAL_ERROR";
    answer.message = "Unexpected answer";
    return answer;
  }
  const auto& o = env.as_object();
  if (answer.ok()) {
    if (const auto* d = o.if_contains("data")) answer.data = *d;
    return answer;
  }
  if (const auto* e = o.if_contains("error"); e && e->is_object()) {
    const auto& eo = e->as_object();
    if (const auto* c = eo.if_contains("code"); c && c->is_string()) answer.code = c->as_string();
    if (const auto* t = eo.if_contains("message"); t && t->is_string())
      answer.message = t->as_string();
    if (const auto* d = eo.if_contains("details")) answer.details = *d;
  }
  return answer;
}

}  // namespace o4o::services::mcp
