#include "app/ops_routes.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "core/embedded_data.hpp"
#include "core/envelope.hpp"

namespace o4o::app {

using core::Exec;
using core::Method;
using core::Request;
using core::Response;

void register_ops_routes(core::Router& router, core::AppContext& ctx, core::Metrics& metrics,
                         std::vector<std::string> mounted_services) {
  router.add({Method::get, "/healthz", [](Request&) {
                Response r;
                r.body = R"({"status":"ok"})";
                return r;
              },
              Exec::io});

  // Ready means the primary answers. Read replicas are listed with their state; one that lags or
  // fails only means its reads go to the primary, so it never makes the instance unready.
  router.add({Method::get, "/readyz", [&ctx](Request&) {
                Response r;
                const bool up = ctx.db.ping();
                r.status = up ? 200 : 503;
                boost::json::object body{{"status", up ? "ready" : "unavailable"}};
                if (!up) body["database"] = "down";
                const auto replicas = ctx.db.replica_stats().replicas;
                if (!replicas.empty()) {
                  boost::json::array list;
                  for (const auto& rep : replicas) {
                    list.push_back(boost::json::object{
                        {"replica", rep.index},
                        {"host", rep.host},
                        {"state", rep.state},
                        {"lagMs", rep.lag_ms ? boost::json::value(*rep.lag_ms)
                                             : boost::json::value(nullptr)}});
                  }
                  body["replicas"] = std::move(list);
                }
                r.body = boost::json::serialize(body);
                return r;
              },
              Exec::db});

  router.add({Method::get, "/metrics", [&metrics](Request&) {
                Response r;
                r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                r.body = metrics.render();
                return r;
              },
              Exec::io});

  boost::json::array services;
  for (const auto& s : mounted_services) services.push_back(boost::json::string(s));
  // A detail that is not configured is null: the web app leaves its line out.
  const auto text_or_null = [](const std::string& s) {
    return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
  };
  const auto& b = ctx.config.business;
  auto config_json = std::make_shared<boost::json::object>(boost::json::object{
      {"currency", ctx.config.currency},
      {"fractionDigits", ctx.config.fraction_digits},
      {"services", std::move(services)},
      {"timeZone", text_or_null(ctx.config.time_zone)},
      {"business", boost::json::object{{"name", text_or_null(b.name)},
                                       {"representative", text_or_null(b.representative)},
                                       {"registrationNumber", text_or_null(b.registration_number)},
                                       {"mailOrderNumber", text_or_null(b.mail_order_number)},
                                       {"address", text_or_null(b.address)},
                                       {"phone", text_or_null(b.phone)},
                                       {"email", text_or_null(b.email)}}}});
  // Which provider takes payments, for the web app's checkout (clientKey: Toss's widget); absent
  // when this process does not serve payments.
  if (std::find(mounted_services.begin(), mounted_services.end(), "payments") !=
      mounted_services.end()) {
    (*config_json)["payments"] = boost::json::object{
        {"provider", ctx.config.payment_provider},
        {"clientKey", ctx.config.payment_provider == "toss"
                          ? boost::json::value(ctx.config.toss_client_key)
                          : boost::json::value(nullptr)}};
  }
  router.add({Method::get, "/api/v1/config",
              [config_json](Request&) { return core::ok(*config_json); }, Exec::io});

  router.add({Method::get, "/api/v1/openapi.json", [](Request&) {
                Response r;
                r.body = std::string(core::embedded_data("openapi.json"));
                r.set_header("Cache-Control", "public, max-age=300");
                return r;
              },
              Exec::io});
}

}  // namespace o4o::app
