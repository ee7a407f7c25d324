#include "core/dispatch.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <random>

#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"
#include "core/text.hpp"
#include "db/session.hpp"

namespace o4o::core {

namespace ip = boost::asio::ip;

Dispatcher::Dispatcher(const Config& config, const Router& router, const StaticFiles& files,
                       Metrics& metrics, const Clock& clock, const Authenticator* auth,
                       ReadCache* cache)
    : config_(config),
      router_(router),
      files_(files),
      metrics_(metrics),
      clock_(clock),
      auth_(auth),
      cache_(cache),
      replicas_(!config.database_replica_urls.empty()),
      limiter_(config.rate_limit_rps),
      hash_limiter_(RateLimiter::per_minute(config.password_hash_per_min),
                    config.password_hash_per_min) {
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

// The header and cookie that carry a WAL position a client saw written (read-your-writes across
// instances: README "Read replicas").
constexpr std::string_view kReadAfterHeader = "O4O-Read-After";
constexpr std::string_view kReadAfterCookie = "o4o_read_after";

// The value of cookie `name` in a Cookie header ("a=1; b=2").
std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    std::string_view pair = trim(header.substr(0, semi), " \t");
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return std::nullopt;
}
}  // namespace

std::shared_ptr<db::Session> Dispatcher::db_session_of(const Request& req) {
  if (db::Session* outer = db::Session::current()) {
    if (auto shared = outer->weak_from_this().lock()) return shared;
  }
  auto s = std::make_shared<db::Session>();
  if (!req.client_ip.empty()) s->add_key("a:" + req.client_ip);
  if (const db::Lsn lsn = read_after(req); lsn != 0) s->need(lsn);
  return s;
}

db::Lsn Dispatcher::read_after(const Request& req) {
  db::Lsn seen = 0;
  if (auto h = req.header(kReadAfterHeader)) {
    if (auto lsn = db::parse_lsn(trim(*h, " \t"))) seen = *lsn;
  }
  if (auto c = req.header("cookie")) {
    if (auto v = cookie_value(*c, kReadAfterCookie)) {
      if (auto lsn = db::parse_lsn(*v)) seen = std::max(seen, *lsn);
    }
  }
  return seen;
}

void Dispatcher::add_user_key(Request& req) const {
  if (req.caller.user) return req.db_session->add_key("u:" + req.caller.user->id);
  // A public route does not look at credentials, but its reads are the caller's own all the same
  // (a creator opening the product just made): a valid token names the user for routing them.
  if (auth_ == nullptr) return;
  if (auto token = bearer_token(req); token && !token->empty()) {
    if (auto id = auth_->token_subject(*token)) req.db_session->add_key("u:" + *id);
  }
}

void Dispatcher::start_trace(Request& req) {
  // A valid traceparent is continued (its span is our parent); anything else starts a trace.
  const auto sent = req.header("traceparent");
  if (auto parent = sent ? trace::parse_traceparent(*sent) : std::nullopt) {
    req.trace.trace_id = parent->trace_id;
    req.trace.sampled = parent->sampled;
    req.trace_parent = parent->span_id;
    if (auto state = req.header("tracestate")) req.trace.tracestate = trace::sanitize_tracestate(*state);
  } else {
    req.trace.trace_id = trace::new_trace_id();
    req.trace.sampled = true;
  }
  req.trace.span_id = trace::new_span_id();
}

void Dispatcher::end_trace(const Request& req, const trace::Context& t, const Response& res,
                           std::string_view pattern, double seconds) const {
  if (!trace::exporting() || !t.sampled) return;
  trace::SpanData span;
  span.trace_id = t.trace_id;
  span.span_id = t.span_id;
  span.parent = req.trace_parent;
  span.name = std::string(method_name(req.method)) + " " + std::string(pattern);
  span.kind = trace::Kind::server;
  span.end_ns = trace::now_ns();
  span.start_ns = span.end_ns - static_cast<uint64_t>(seconds * 1e9);
  span.error = res.status >= 500;
  span.tracestate = t.tracestate;
  span.attributes = {{"http.request.method", std::string(method_name(req.method))},
                     {"http.route", std::string(pattern)},
                     {"http.response.status_code", {}, res.status, true},
                     {"client.address", req.client_ip},
                     {"o4o.request_id", req.request_id}};
  trace::submit(std::move(span), true);
}

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
  start_trace(req);
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
    // Query text is checked once here: no handler (or database) ever sees malformed UTF-8.
    for (const auto& [name, value] : req.query) {
      if (!is_valid_utf8(name) || !is_valid_utf8(value)) {
        plan.pattern = m.route->pattern;
        plan.immediate = render_error(
            std::make_exception_ptr(err::validation(is_valid_utf8(name) ? name : "query",
                                                    "must be valid UTF-8 text")),
            req.request_id);
        return plan;
      }
    }
    plan.pattern = m.route->pattern;
    // Hashing a password costs a core for a while: limited per address on its own (issue 19).
    // A route that hashes only for some requests says which; the others are not counted.
    if (m.route->exec == Exec::cpu && hash_limiter_.enabled() &&
        (m.route->hashes == nullptr || m.route->hashes(req))) {
      if (int wait = hash_limiter_.take(req.client_ip, clock_.now_ms()); wait > 0) {
        plan.immediate =
            render_error(std::make_exception_ptr(err::rate_limited(wait)), req.request_id);
        return plan;
      }
    }
    plan.route = m.route;
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
  // Log lines, transactions and outbound calls of the handler name the request's span. A request
  // made in process without a plan (MCP's calls of REST routes) stays in its caller's trace.
  std::optional<trace::Scope> in_request;
  if (req.trace.trace_id[0] != '\0') in_request.emplace(req.trace);
  // The database sends the handler's reads to a replica only when it has replayed what this
  // client wrote (db/replicas.hpp).
  std::optional<db::Session::Scope> reads;
  try {
    if (replicas_) {
      if (!req.db_session) req.db_session = db_session_of(req);
      reads.emplace(req.db_session.get());
    }
    if (route.access != Access::anyone) {
      if (auth_ == nullptr) throw std::logic_error("no authenticator for " + route.pattern);
      req.caller = authorize(*auth_, route.access, Credentials::of(req));
    }
    if (req.db_session) add_user_key(req);
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

std::optional<Response> Dispatcher::answer_from_cache(const Route& route,
                                                      const Request& req) const {
  if (!route.cached || cache_ == nullptr) return std::nullopt;
  // What the handler's cache read would refuse to answer from memory (ReadCache::get) is not
  // answered here either: the handler reads it.
  if (replicas_ && read_after(req) != 0) return std::nullopt;
  try {
    const auto read = route.cached(req);
    if (!read) return std::nullopt;
    const auto kept = cache_->find_hit(read->key, clock_.now_ms());
    if (!kept) return std::nullopt;
    return ok_serialized(read->data ? read->data(*kept) : *kept);
  } catch (...) {
    return std::nullopt;  // a query the handler refuses: its 400 comes from there
  }
}

void Dispatcher::finish(const Request& req, Response& res, std::string_view pattern,
                        double seconds) const {
  // An endpoint with a protocol of its own (/mcp) gets its errors in that protocol, refusals
  // made before routing (413 while reading, 429) included: here every answer passes once.
  if (res.status >= 400)
    if (const auto* format = router_.error_format(req.path.empty() ? req.target : req.path))
      (*format)(res);
  res.set_header("X-Request-Id", req.request_id);
  // Where this request's writes reached in the WAL: a client (or a browser, through the cookie)
  // that sends it back reads them on any instance, from the primary until a replica has them.
  if (const db::Lsn wrote = req.db_session ? req.db_session->written() : 0;
      wrote != 0 && wrote != ~db::Lsn{0}) {
    const std::string lsn = db::format_lsn(wrote);
    res.set_header(std::string(kReadAfterHeader), lsn);
    res.set_header("Set-Cookie", std::string(kReadAfterCookie) + "=" + lsn +
                                     "; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
  }
  metrics_.observe(method_name(req.method), pattern, res.status, seconds);
  // A request refused before it was planned (no handler ran) gets a trace of its own here.
  trace::Context refused;
  if (req.trace.trace_id[0] == '\0') {
    refused.trace_id = trace::new_trace_id();
    refused.span_id = trace::new_span_id();
  }
  const trace::Context& t = req.trace.trace_id[0] == '\0' ? refused : req.trace;
  end_trace(req, t, res, pattern, seconds);
  if (config_.access_log && log::info_on())
    log::info("request", {{"trace_id", std::string_view(t.trace_id.data(), t.trace_id.size())},
                          {"span_id", std::string_view(t.span_id.data(), t.span_id.size())},
                          {"requestId", req.request_id},
                          {"method", method_name(req.method)},
                          {"path", log::redact_target(req.target)},
                          {"route", pattern},
                          {"status", res.status},
                          {"durationUs", static_cast<int64_t>(seconds * 1e6)},
                          {"client", req.client_ip}});
}

}  // namespace o4o::core
