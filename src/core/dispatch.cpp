#include "core/dispatch.hpp"

#include <boost/url/parse.hpp>

#include <atomic>
#include <boost/json.hpp>
#include <random>

#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"
#include "core/text.hpp"

namespace o4o::core {

namespace ip = boost::asio::ip;

Dispatcher::Dispatcher(const Config& config, const Router& router, const StaticFiles& files,
                       Metrics& metrics, const Clock& clock)
    : config_(config),
      router_(router),
      files_(files),
      metrics_(metrics),
      clock_(clock),
      limiter_(config.rate_limit_rps) {
  for (const auto& p : config.trusted_proxies) {
    boost::system::error_code ec;
    if (p.find('/') == std::string::npos) {
      auto a = ip::make_address(p, ec);
      if (!ec) trusted_addresses_.push_back(a);
    } else if (p.find(':') == std::string::npos) {
      auto n = ip::make_network_v4(p, ec);
      if (!ec) trusted_v4_.push_back(n);
    } else {
      auto n = ip::make_network_v6(p, ec);
      if (!ec) trusted_v6_.push_back(n);
    }
  }
}

bool Dispatcher::trusted(const std::string& peer) const {
  if (trusted_addresses_.empty() && trusted_v4_.empty() && trusted_v6_.empty()) return false;
  boost::system::error_code ec;
  auto a = ip::make_address(peer, ec);
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = ip::make_address_v4(ip::v4_mapped, a.to_v6());
  for (const auto& t : trusted_addresses_)
    if (t == a) return true;
  if (a.is_v4()) {
    for (const auto& n : trusted_v4_) {
      auto hosts = n.canonical();
      if ((a.to_v4().to_uint() & hosts.netmask().to_uint()) == hosts.network().to_uint())
        return true;
    }
  } else {
    for (const auto& n : trusted_v6_) {
      ip::network_v6 single(a.to_v6(), 128);
      if (single.is_subnet_of(n) || single == n) return true;
    }
  }
  return false;
}

std::string Dispatcher::client_ip(const std::string& peer,
                                  std::optional<std::string_view> forwarded) const {
  if (!forwarded || !trusted(peer)) return peer;
  std::string_view list = *forwarded;
  auto comma = list.find_last_of(',');
  const std::string_view last =
      trim(comma == std::string_view::npos ? list : list.substr(comma + 1), " \t");
  boost::system::error_code ec;
  auto a = ip::make_address(std::string(last), ec);
  return ec ? peer : a.to_string();
}

std::string Dispatcher::request_id(std::optional<std::string_view> sent) {
  if (sent && !sent->empty() && sent->size() <= 128) {
    bool sane = true;
    for (char c : *sent)
      sane = sane && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
                      c == '-' || c == ':');
    if (sane) return std::string(*sent);
  }
  // Not a secret: a per-thread generator is enough and costs no system call.
  thread_local std::mt19937_64 gen{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::string id(24, '0');
  uint64_t a = gen(), b = gen();
  for (int i = 0; i < 16; ++i) id[i] = digits[(a >> (i * 4)) & 0xf];
  for (int i = 0; i < 8; ++i) id[16 + i] = digits[(b >> (i * 4)) & 0xf];
  return id;
}

namespace {
bool is_api_path(std::string_view p) {
  return p == "/api" || p.rfind("/api/", 0) == 0;
}
}  // namespace

std::shared_ptr<const UploadSpec> Dispatcher::upload_route(Method method,
                                                          std::string_view target) const {
  if (method != Method::post && method != Method::put) return nullptr;
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return nullptr;
  std::vector<std::pair<std::string, std::string>> params;
  auto m = router_.match(method, url->path(), params);
  return m.route ? m.route->upload : nullptr;
}

Dispatcher::Plan Dispatcher::plan(Request& req) {
  Plan plan;
  if (limiter_.enabled()) {
    if (int wait = limiter_.take(req.client_ip, clock_.now_ms()); wait > 0) {
      plan.pattern = "<rate-limited>";
      plan.immediate =
          render_error(std::make_exception_ptr(err::rate_limited(wait)), req.request_id);
      return plan;
    }
  }
  RouteMatch m = router_.match(req.method, req.path, req.params);
  if (m.route) {
    plan.route = m.route;
    plan.pattern = m.route->pattern;
    return plan;
  }
  if (m.path_known) {
    plan.immediate =
        error_response(405, "METHOD_NOT_ALLOWED", "Method not allowed; allowed: " + m.allow);
    plan.immediate->set_header("Allow", m.allow);
    return plan;
  }
  if (!is_api_path(req.path) && (req.method == Method::get || req.method == Method::head)) {
    plan.pattern = "<static>";
    plan.immediate = files_.serve(req);
    return plan;
  }
  plan.immediate = error_response(404, "NOT_FOUND", "No such route");
  return plan;
}

Response Dispatcher::run(const Route& route, Request& req) const noexcept {
  try {
    return route.handler(req);
  } catch (...) {
    try {
      return render_error(std::current_exception(), req.request_id);
    } catch (...) {
      Response r;
      r.status = 500;
      r.body =
          R"({"success":false,"error":{"code":"INTERNAL_ERROR","message":"Internal server error"}})";
      return r;
    }
  }
}

void Dispatcher::finish(const Request& req, Response& res, std::string_view pattern,
                        double seconds) const {
  res.set_header("X-Request-Id", req.request_id);
  metrics_.observe(method_name(req.method), pattern, res.status, seconds);
  if (config_.access_log)
    log::info("request", {{"requestId", req.request_id},
                          {"method", method_name(req.method)},
                          {"path", log::redact_target(req.target)},
                          {"route", pattern},
                          {"status", res.status},
                          {"durationUs", static_cast<int64_t>(seconds * 1e6)},
                          {"client", req.client_ip}});
}

}  // namespace o4o::core
