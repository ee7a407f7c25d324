// libFuzzer target for a raw HTTP request through the dispatcher, without a socket: the bytes go
// to Beast's request parser with the server's limits and rules (core/http_read.hpp: header size,
// Transfer-Encoding, body limit), the head becomes a Request, the target is split, and
// core::Dispatcher plans it (routing, 404/405, query text checks, static files) and runs the
// handler of a route table shaped like the services' (JSON bodies read by core::JsonBody, pages,
// path parameters), then finishes it. Keep-alive requests after the first are read too (up to 4).
//
// Every answer is one the contract allows for bad input: never a 5xx; an /api answer, and any
// refusal, is the JSON envelope ({"success":true,"data":...} or {"success":false,"error":{code,
// message}}); a 405 names the allowed methods; every answer has an X-Request-Id; a matched
// route's path parameters are non-empty segments.
#include <unistd.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/dispatch.hpp"
#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/http_read.hpp"
#include "core/ids.hpp"
#include "core/json_body.hpp"
#include "core/metrics.hpp"
#include "core/pagination.hpp"
#include "core/router.hpp"
#include "core/static_files.hpp"

using namespace o4o::core;
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

constexpr std::size_t kBodyLimit = 2048;  // small, so that the fuzzer meets the 413 path

// Handlers in the services' manner: read the body or the query, refuse bad input with an ApiError.
Response list_posts(Request& req) {
  auto page = parse_page(req);
  auto q = query_text(req, "q", 200);
  json::array items;
  if (q) items.push_back(json::object{{"title", *q}});
  return ok(page_json(std::move(items), page, q ? 1 : 0));
}
Response create_post(Request& req) {
  auto body = JsonBody::parse(req);
  auto title = body.string("title", Need::required, 1, 200);
  auto content = body.string("content", Need::required, 1, 20000, false);
  auto category = body.one_of("category", Need::optional, {"general", "qna", "notice"});
  body.finish();
  return created(json::object{
      {"title", *title}, {"content", *content}, {"category", category.value_or("general")}});
}
Response get_post(Request& req) {
  if (!is_uuid(req.param("id"))) throw err::not_found("No such post");
  return ok(json::object{{"id", req.param("id")}});
}
Response edit_comment(Request& req) {
  auto body = JsonBody::parse(req);
  auto content = body.string("content", Need::required, 1, 5000);
  body.finish();
  if (!is_uuid(req.param("id")) || !is_uuid(req.param("commentId"))) throw err::not_found();
  return ok(json::object{{"content", *content}});
}
Response place_order(Request& req) {
  auto body = JsonBody::parse(req);
  const auto* items = body.get("items");
  if (items == nullptr || !items->is_array() || items->as_array().empty()) {
    body.fail("items", "must be a non-empty array");
  } else {
    for (std::size_t i = 0; i < items->as_array().size() && i < 50; ++i) {
      auto line = nested(items->as_array()[i], "items[" + std::to_string(i) + "]", body);
      line.id("productId", Need::required);
      line.integer("quantity", Need::required, 1, 1000);
    }
  }
  body.finish();
  return created(json::object{{"status", "pending"}});
}
Response webhook(Request& req) {
  if (req.param("provider") != "sim" && req.param("provider") != "toss") throw err::not_found();
  if (!req.header("O4O-Signature")) throw err::validation("signature", "is required");
  return ok(nullptr);
}
Response health(Request&) {
  return ok(json::object{{"status", "ok"}});
}

struct App {
  Config config;
  Router router;
  std::unique_ptr<StaticFiles> files;
  Metrics metrics;
  ManualClock clock;
  std::unique_ptr<Dispatcher> dispatcher;

  App() {
    config.rate_limit_rps = 0;  // a limiter would carry state from one input to the next
    config.password_hash_per_min = 0;
    config.access_log = false;
    config.body_limit_bytes = kBodyLimit;
    config.trusted_proxies = {"127.0.0.1"};
    router.add({Method::get, "/healthz", health, Exec::io});
    router.add({Method::get, "/api/v1/forum/posts", list_posts});
    router.add({Method::post, "/api/v1/forum/posts", create_post});
    router.add({Method::get, "/api/v1/forum/posts/:id", get_post});
    router.add({Method::put, "/api/v1/forum/posts/:id/comments/:commentId", edit_comment});
    router.add({Method::post, "/api/v1/ecommerce/orders", place_order});
    router.add({Method::post, "/api/v1/payments/webhooks/:provider", webhook});
    // A web root of the app's shape, for the static-file path of GETs outside /api.
    const auto root =
        std::filesystem::temp_directory_path() / ("o4o-fuzz-http-" + std::to_string(::getpid()));
    std::filesystem::create_directories(root / "assets");
    std::ofstream(root / "index.html") << "<!doctype html><title>o4o</title><div id=root></div>";
    std::ofstream(root / "assets" / "app.js") << "console.log('o4o')";
    files = std::make_unique<StaticFiles>(root.string());
    dispatcher = std::make_unique<Dispatcher>(config, router, *files, metrics, clock);
  }
};

App& app() {
  static App a;
  return a;
}

bool is_api(std::string_view path) {
  return path == "/api" || path.starts_with("/api/");
}

void check_envelope(const Response& res) {
  boost::system::error_code ec;
  auto doc = json::parse(res.body, ec);
  if (ec || !doc.is_object()) std::abort();
  const auto* success = doc.as_object().if_contains("success");
  if (!success || !success->is_bool()) std::abort();
  if (success->as_bool() != (res.status < 400)) std::abort();
  if (!success->as_bool()) {
    const auto* error = doc.as_object().if_contains("error");
    if (!error || !error->is_object()) std::abort();
    const auto* code = error->as_object().if_contains("code");
    const auto* message = error->as_object().if_contains("message");
    if (!code || !code->is_string() || code->as_string().empty() || !message ||
        !message->is_string())
      std::abort();
  } else if (!doc.as_object().contains("data")) {
    std::abort();
  }
}

bool has_header(const Response& res, std::string_view name) {
  for (const auto& h : res.headers)
    if (h.name == name && !h.value.empty()) return true;
  return false;
}

// What every answer must be; `envelope`: it must be the JSON envelope.
void check(const Request& req, Response& res, std::string_view pattern, bool envelope) {
  app().dispatcher->finish(req, res, pattern, 0.0);
  // O4O_FUZZ_VERBOSE=1 with an input file as the argument shows what each request got.
  static const bool verbose = std::getenv("O4O_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "%s %s -> %d %s\n", std::string(method_name(req.method)).c_str(),
                 req.target.c_str(), res.status, std::string(pattern).c_str());
  if (res.status < 200 || res.status >= 500) std::abort();
  if (!has_header(res, "X-Request-Id")) std::abort();
  if (res.status == 405 && !has_header(res, "Allow")) std::abort();
  if (envelope && res.status != 304) check_envelope(res);
}

// A refusal before the request was planned, answered as the session answers it.
void refuse(const http::request_header<>& head, int status, std::string_view code) {
  Request req;
  http_read::copy_head(head, req);
  req.request_id = Dispatcher::request_id(req.header("x-request-id"));
  Response res = error_response(status, code, "Malformed HTTP request");
  check(req, res, "<refused>", true);
}

// Feeds the parser what it asks for from `input` until `done`; true when it got there. Like
// Beast's read loop over a socket: the end of the bytes is the client's end of the stream.
template <class Parser, class Done>
bool feed(Parser& parser, std::string_view& input, Done done, boost::beast::error_code& ec) {
  while (!done()) {
    if (input.empty()) {
      parser.put_eof(ec);
      if (!ec && !done()) ec = http::error::partial_message;
      return !ec;
    }
    const std::size_t used = parser.put(boost::asio::buffer(input.data(), input.size()), ec);
    input.remove_prefix(used);
    if (ec == http::error::need_more) {
      ec = {};
      if (used == 0 && input.empty()) continue;
      if (used == 0) {
        // Beast wants more than is here at once: the rest of the input is all there is.
        parser.put_eof(ec);
        if (!ec) ec = http::error::partial_message;
        return false;
      }
      continue;
    }
    if (ec) return false;
  }
  return true;
}

// One request off the front of `input`; false when the connection is over.
bool one_request(std::string_view& input) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(http_read::kHeaderLimit);
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  boost::beast::error_code ec;
  const bool nothing_sent = input.empty();
  if (!feed(
          parser, input, [&] { return parser.is_header_done(); }, ec)) {
    if (nothing_sent || ec == http::error::end_of_stream) return false;  // closed between requests
    if (ec == http::error::partial_message) return false;                // the client went away
    const bool too_large = ec == http::error::header_limit;
    refuse(parser.get(), too_large ? 431 : 400, too_large ? "HEADERS_TOO_LARGE" : "BAD_REQUEST");
    return false;
  }
  const auto& head = parser.get();
  if (http_read::body_end_unknowable(parser)) {
    refuse(head, 400, "BAD_REQUEST");
    return false;
  }
  parser.body_limit(kBodyLimit);
  if (auto len = parser.content_length(); len && *len > kBodyLimit) {
    refuse(head, 413, "PAYLOAD_TOO_LARGE");
    return false;
  }
  if (!feed(
          parser, input, [&] { return parser.is_done(); }, ec)) {
    if (ec == http::error::body_limit)
      refuse(parser.get(), 413, "PAYLOAD_TOO_LARGE");
    else if (ec != http::error::partial_message)
      refuse(parser.get(), 400, "BAD_REQUEST");
    return false;
  }
  auto msg = parser.release();
  Request req;
  http_read::copy_head(msg, req);
  req.body = std::move(msg.body());
  req.request_id = Dispatcher::request_id(req.header("x-request-id"));
  req.client_ip = app().dispatcher->client_ip("127.0.0.1", req.header("x-forwarded-for"));
  if (auto bad = http_read::split_target(req)) {
    check(req, *bad, "<bad-target>", true);
    return msg.keep_alive();
  }
  auto plan = app().dispatcher->plan(req);
  Response res =
      plan.immediate ? std::move(*plan.immediate) : app().dispatcher->run(*plan.route, req);
  if (plan.route) {
    for (const auto& [name, value] : req.params)
      if (name.empty() || value.empty() || value.find('/') != std::string::npos) std::abort();
  }
  // Static files answer HTML and assets; /api and the routes answer the envelope.
  check(req, res, plan.pattern, is_api(req.path) || plan.route != nullptr);
  return msg.keep_alive();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (int i = 0; i < 4 && !input.empty(); ++i)
    if (!one_request(input)) break;
  return 0;
}
