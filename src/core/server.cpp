#include "core/server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <atomic>
#include <chrono>
#include <list>
#include <mutex>
#include <thread>

#include "core/envelope.hpp"
#include "core/event_stream.hpp"
#include "core/logging.hpp"
#include "core/worker_pool.hpp"

namespace o4o::core {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using namespace net::experimental::awaitable_operators;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

namespace {
constexpr auto kHeaderTimeout = std::chrono::seconds(30);  // idle keep-alive and slow headers
constexpr auto kBodyTimeout = std::chrono::seconds(30);
constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::uint64_t kMaxDrainBytes = 16 * 1024 * 1024;  // read-and-discard after a 413
constexpr int kMaxConnections = 20000;

Method to_method(http::verb v) {
  switch (v) {
    case http::verb::get:
      return Method::get;
    case http::verb::head:
      return Method::head;
    case http::verb::post:
      return Method::post;
    case http::verb::put:
      return Method::put;
    case http::verb::patch:
      return Method::patch;
    case http::verb::delete_:
      return Method::del;
    case http::verb::options:
      return Method::options;
    default:
      return Method::other;
  }
}

// Shared between a connection's coroutine and stop(); touched only on the connection's executor.
struct Conn {
  explicit Conn(net::any_io_executor ex) : executor(std::move(ex)) {}
  net::any_io_executor executor;
  beast::tcp_stream* stream = nullptr;
  bool idle = true;            // waiting for the next request's first bytes
  bool woken = false;          // a stream has something to send
  std::function<void()> wake;  // set while an event stream is open
};
}  // namespace

struct Server::Impl {
  Impl(const Config& c, Dispatcher& d, Metrics& m)
      : config(c),
        dispatcher(d),
        metrics(m),
        db_pool(c.db_workers, c.worker_spin_us),
        cpu_pool(c.cpu_workers, 0) {
    for (int i = 0; i < c.io_threads; ++i) iocs.push_back(std::make_unique<net::io_context>(1));
    acceptor.emplace(*iocs[0]);
  }

  const Config& config;
  Dispatcher& dispatcher;
  Metrics& metrics;
  std::vector<std::unique_ptr<net::io_context>> iocs;
  std::optional<tcp::acceptor> acceptor;
  WorkerPool db_pool;
  WorkerPool cpu_pool;
  std::atomic<bool> stopping{false};
  std::atomic<int> connections{0};
  std::size_t next_ioc = 0;
  std::mutex conns_mutex;
  std::list<std::weak_ptr<Conn>> conns;
  int bound_port = 0;

  net::awaitable<void> accept_loop();
  net::awaitable<void> session(tcp::socket socket);
  net::awaitable<void> stream_events(beast::tcp_stream& stream, Conn& conn, const Response& opened);
  net::awaitable<Response> execute(const Route& route, Request& req);
  void begin_stop();
};

net::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    auto& ioc = *iocs[next_ioc++ % iocs.size()];
    auto [ec, socket] = co_await acceptor->async_accept(ioc, use_tuple);
    if (stopping) co_return;
    if (ec) {
      // Out of descriptors and similar: back off briefly rather than spin.
      net::steady_timer t(co_await net::this_coro::executor, std::chrono::milliseconds(50));
      co_await t.async_wait(use_tuple);
      continue;
    }
    if (connections.load() >= kMaxConnections) {
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto ex = socket.get_executor();
    net::co_spawn(ex, session(std::move(socket)), net::detached);
  }
}

// Runs fn on a worker and resumes the awaiting coroutine on its own executor with the result.
template <class Token>
auto run_on(WorkerPool& pool, std::function<Response()> fn, Token&& token) {
  return net::async_initiate<Token, void(Response)>(
      [&pool](auto handler, std::function<Response()> fn) {
        auto work = net::make_work_guard(net::get_associated_executor(handler));
        pool.post(
            [handler = std::move(handler), fn = std::move(fn), work = std::move(work)]() mutable {
              Response r = fn();
              auto ex = work.get_executor();
              net::post(ex, [handler = std::move(handler), r = std::move(r)]() mutable {
                std::move(handler)(std::move(r));
              });
            });
      },
      token, std::move(fn));
}

net::awaitable<Response> Server::Impl::execute(const Route& route, Request& req) {
  if (route.exec == Exec::io) co_return dispatcher.run(route, req);
  auto& pool = route.exec == Exec::cpu ? cpu_pool : db_pool;
  for (;;) {
    Response r = co_await run_on(
        pool, [this, &route, &req] { return dispatcher.run(route, req); }, net::use_awaitable);
    if (!r.run_again_after) co_return r;
    // The wait is a timer on this connection's loop, so a waiting request holds no worker: two
    // waiting duplicates must not stall a server whose pool has two workers.
    if (stopping)
      co_return error_response(503, "SERVICE_UNAVAILABLE", "The server is stopping; retry");
    net::steady_timer wait(co_await net::this_coro::executor, *r.run_again_after);
    co_await wait.async_wait(use_tuple);
    ++req.reruns;
  }
}

net::awaitable<void> Server::Impl::session(tcp::socket socket) {
  ++connections;
  auto conn = std::make_shared<Conn>(socket.get_executor());
  {
    std::lock_guard lock(conns_mutex);
    conns.push_back(conn);
  }
  std::string peer;
  {
    boost::system::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    if (!ec) {
      auto a = ep.address();
      if (a.is_v6() && a.to_v6().is_v4_mapped())
        a = net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6());
      peer = a.to_string();
    }
  }
  beast::tcp_stream stream(std::move(socket));
  conn->stream = &stream;
  beast::flat_buffer buffer;

  auto write_response = [&](Response& r, bool keep_alive,
                            bool head) -> net::awaitable<boost::system::error_code> {
    http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
    res.set(http::field::server, "o4o");
    if (r.status != 304 && r.status != 204) res.set(http::field::content_type, r.content_type);
    for (auto& h : r.headers) res.set(h.name, h.value);
    res.keep_alive(keep_alive);
    if (head) {
      res.content_length(r.body.size());
    } else {
      res.body() = std::move(r.body);
      res.prepare_payload();
    }
    stream.expires_after(kWriteTimeout);
    auto [ec, n] = co_await http::async_write(stream, res, use_tuple);
    co_return ec;
  };

  // A request's method, target and headers as far as they arrived, with its request id and
  // client address: the same for a request that is answered and one that is refused.
  auto request_of = [&](const http::request_header<>& head) {
    Request req;
    req.method = to_method(head.method());
    req.target = std::string(head.target());
    req.headers.reserve(16);
    for (const auto& f : head)
      req.headers.push_back({std::string(f.name_string()), std::string(f.value())});
    req.request_id = Dispatcher::request_id(req.header("x-request-id"));
    req.client_ip = dispatcher.client_ip(peer, req.header("x-forwarded-for"));
    return req;
  };

  // Tells the client no and closes; reads and discards a bounded amount of what it is still
  // sending first, so that it sees the answer instead of a reset. Like every answer it carries
  // X-Request-Id (the client's own when it arrived) and is counted and logged.
  // `drain` is how much to read and discard at most: the rest of an announced body, or
  // kMaxDrainBytes when its length is unknown (0: none).
  auto refuse = [&](Response r, std::uint64_t drain,
                    const http::request_header<>& head) -> net::awaitable<void> {
    dispatcher.finish(request_of(head), r, "<refused>", 0.0);
    r.set_header("Connection", "close");
    auto ec = co_await write_response(r, false, false);
    std::array<char, 16384> sink;
    const auto discard = [&](std::uint64_t most,
                             std::chrono::seconds limit) -> net::awaitable<void> {
      stream.expires_after(limit);
      for (std::uint64_t n = 0; n < most;) {
        auto [rec, got] = co_await stream.async_read_some(net::buffer(sink), use_tuple);
        if (rec) break;
        n += got;
      }
    };
    if (!ec && drain > 0)
      co_await discard(std::min(drain, kMaxDrainBytes), std::chrono::seconds(5));
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    // A lingering close: what the client still has in flight is read and dropped until it closes
    // too (it has the answer and our end), so closing the socket cannot reset the connection
    // under an answer the client has not read yet.
    if (!ec) co_await discard(kMaxDrainBytes, std::chrono::seconds(1));
  };

  for (;;) {
    conn->idle = true;
    if (stopping) break;
    http::request_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(config.body_limit_bytes);
    stream.expires_after(kHeaderTimeout);
    auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
    conn->idle = false;
    // The rest of an announced body that is still on its way; kMaxDrainBytes when unknown.
    const auto body_left = [&]() -> std::uint64_t {
      auto len = parser.content_length();
      if (!len) return kMaxDrainBytes;
      return *len > buffer.size() ? *len - buffer.size() : 0;
    };
    if (hec == http::error::body_limit) {  // the announced Content-Length is over the limit
      co_await refuse(error_response(413, "PAYLOAD_TOO_LARGE", "Request body is too large"),
                      body_left(), parser.get());
      break;
    }
    if (hec) {
      if (hec == http::error::end_of_stream || hec == net::error::operation_aborted ||
          hec == beast::error::timeout || hec == net::error::eof ||
          hec == net::error::connection_reset)
        break;
      co_await refuse(
          error_response(hec == http::error::header_limit ? 431 : 400,
                         hec == http::error::header_limit ? "HEADERS_TOO_LARGE" : "BAD_REQUEST",
                         "Malformed HTTP request"),
          0, parser.get());
      break;
    }
    const auto start = std::chrono::steady_clock::now();
    auto& head = parser.get();
    const bool head_request = head.method() == http::verb::head;

    if (auto len = parser.content_length(); len && *len > config.body_limit_bytes) {
      co_await refuse(error_response(413, "PAYLOAD_TOO_LARGE", "Request body is too large"),
                      body_left(), head);
      break;
    }
    if (auto expect = head[http::field::expect]; !expect.empty()) {
      if (beast::iequals(expect, "100-continue")) {
        static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
        stream.expires_after(kWriteTimeout);
        auto [cec, cn] = co_await net::async_write(stream, net::buffer(cont), use_tuple);
        if (cec) break;
      }
    }
    if (!parser.is_done()) {
      stream.expires_after(kBodyTimeout);
      auto [bec, bn] = co_await http::async_read(stream, buffer, parser, use_tuple);
      if (bec == http::error::body_limit) {
        co_await refuse(error_response(413, "PAYLOAD_TOO_LARGE", "Request body is too large"),
                        kMaxDrainBytes, parser.get());
        break;
      }
      if (bec) {
        if (bec != beast::error::timeout && bec != net::error::operation_aborted &&
            bec != http::error::partial_message && bec != net::error::eof &&
            bec != net::error::connection_reset)
          co_await refuse(error_response(400, "BAD_REQUEST", "Malformed HTTP request"), 0,
                          parser.get());
        break;
      }
    }
    auto msg = parser.release();

    Request req = request_of(msg);
    req.body = std::move(msg.body());

    const bool keep_alive = msg.keep_alive() && !stopping;
    Response res;
    std::string_view pattern = "<bad-target>";
    auto url = boost::urls::parse_origin_form(req.target);
    if (!url) {
      res = error_response(400, "BAD_REQUEST", "Malformed request target");
    } else {
      req.path = url->path();
      for (auto p : url->params()) req.query.emplace_back(p.key, p.has_value ? p.value : "");
      auto plan = dispatcher.plan(req);
      pattern = plan.pattern;
      if (plan.immediate)
        res = std::move(*plan.immediate);
      else if (plan.route->exec == Exec::io)
        res = dispatcher.run(*plan.route, req);  // no coroutine frame for the cheap routes
      else
        res = co_await execute(*plan.route, req);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    dispatcher.finish(req, res, pattern, seconds);

    if (res.stream) {
      co_await stream_events(stream, *conn, res);
      break;
    }
    const bool keep = keep_alive && !res.close && !stopping;
    auto wec = co_await write_response(res, keep, head_request);
    if (wec || !keep) break;
  }

  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.socket().close(ignored);
  conn->stream = nullptr;
  --connections;
}

net::awaitable<void> Server::Impl::stream_events(beast::tcp_stream& stream, Conn& conn,
                                                 const Response& opened) {
  const auto events = opened.stream;
  auto ex = co_await net::this_coro::executor;
  auto timer = std::make_shared<net::steady_timer>(ex);
  // The waker may run on any thread; it hops to this connection's executor, where the flag and
  // the timer are only ever touched.
  std::weak_ptr<net::steady_timer> weak_timer = timer;
  auto conn_flag = &conn.woken;
  auto alive = std::make_shared<bool>(true);
  std::weak_ptr<bool> weak_alive = alive;
  auto wake = [ex, weak_timer, conn_flag, weak_alive] {
    net::post(ex, [weak_timer, conn_flag, weak_alive] {
      if (!weak_alive.lock()) return;
      *conn_flag = true;
      if (auto t = weak_timer.lock()) t->cancel();
    });
  };
  conn.wake = wake;
  events->attach(wake);
  metrics.add_open_streams(1);

  http::response<http::empty_body> res{http::status::ok, 11};
  res.set(http::field::server, "o4o");
  res.set(http::field::content_type, "text/event-stream; charset=utf-8");
  res.set(http::field::cache_control, "no-cache");
  res.set("X-Accel-Buffering", "no");
  for (const auto& h : opened.headers) res.set(h.name, h.value);  // X-Request-Id among them
  res.chunked(true);
  http::response_serializer<http::empty_body> sr{res};
  stream.expires_after(kWriteTimeout);
  auto [hec, hn] = co_await http::async_write_header(stream, sr, use_tuple);
  bool ok = !hec;
  std::array<char, 512> sink;
  while (ok) {
    for (auto& chunk : events->take()) {
      stream.expires_after(kWriteTimeout);
      auto [wec, wn] =
          co_await net::async_write(stream, http::make_chunk(net::buffer(chunk)), use_tuple);
      if (wec) {
        ok = false;
        break;
      }
    }
    if (!ok || stopping) break;
    if (events->closed()) {
      // Flush what close() left behind, then end.
      for (auto& chunk : events->take()) {
        stream.expires_after(kWriteTimeout);
        auto [wec, wn] =
            co_await net::async_write(stream, http::make_chunk(net::buffer(chunk)), use_tuple);
        if (wec) break;
      }
      break;
    }
    if (conn.woken) {
      conn.woken = false;
      continue;
    }
    stream.expires_never();
    timer->expires_after(std::chrono::hours(1));
    // Wait for something to send, or for the client to go away (a read that ends).
    auto which = co_await (timer->async_wait(use_tuple) ||
                           stream.socket().async_read_some(net::buffer(sink), use_tuple));
    if (which.index() == 1) {
      auto [rec, rn] = std::get<1>(which);
      if (rec) break;  // client closed
    }
    conn.woken = false;
  }
  if (ok) {
    stream.expires_after(std::chrono::seconds(5));
    co_await net::async_write(stream, http::make_chunk_last(), use_tuple);
  }
  conn.wake = nullptr;
  events->ended();
  metrics.add_open_streams(-1);
}

void Server::Impl::begin_stop() {
  if (stopping.exchange(true)) return;
  net::post(*iocs[0], [this] {
    boost::system::error_code ignored;
    acceptor->close(ignored);
  });
  std::vector<std::shared_ptr<Conn>> live;
  {
    std::lock_guard lock(conns_mutex);
    for (auto it = conns.begin(); it != conns.end();) {
      if (auto c = it->lock()) {
        live.push_back(c);
        ++it;
      } else {
        it = conns.erase(it);
      }
    }
  }
  for (auto& c : live) {
    net::post(c->executor, [c] {
      if (c->wake) {
        c->wake();  // an event stream: end it
      } else if (c->idle && c->stream) {
        beast::get_lowest_layer(*c->stream).cancel();  // waiting for a next request: none comes
      }
    });
  }
  // Wait for the connections to finish, bounded by the grace period, then stop every loop.
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(config.shutdown_grace_seconds);
  std::thread([this, deadline] {
    while (connections.load() > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (connections.load() > 0)
      log::warn("stopping with connections still open", {{"connections", connections.load()}});
    for (auto& ioc : iocs) ioc->stop();
  }).detach();
}

Server::Server(const Config& config, Dispatcher& dispatcher, Metrics& metrics)
    : impl_(std::make_unique<Impl>(config, dispatcher, metrics)) {}

Server::~Server() {
  impl_->db_pool.stop();
  impl_->cpu_pool.stop();
}

void Server::listen() {
  auto& a = *impl_->acceptor;
  boost::system::error_code ec;
  auto address = net::ip::make_address(impl_->config.host, ec);
  if (ec) throw std::runtime_error("invalid host " + impl_->config.host);
  tcp::endpoint ep(address, static_cast<unsigned short>(impl_->config.port));
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (ec == net::error::address_in_use)
    throw std::runtime_error("port " + std::to_string(impl_->config.port) + " on " +
                             impl_->config.host + " is already in use");
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + impl_->config.host + ":" +
                             std::to_string(impl_->config.port) + ": " + ec.message());
  impl_->bound_port = a.local_endpoint().port();
}

int Server::port() const {
  return impl_->bound_port;
}

void Server::run() {
  auto& impl = *impl_;
  net::signal_set signals(*impl.iocs[0], SIGINT, SIGTERM);
  signals.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) stop();
  });
  net::co_spawn(*impl.iocs[0], impl.accept_loop(), net::detached);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < impl.iocs.size(); ++i) {
    auto* ioc = impl.iocs[i].get();
    auto guard = std::make_shared<net::executor_work_guard<net::io_context::executor_type>>(
        ioc->get_executor());
    threads.emplace_back([ioc, guard] { ioc->run(); });
  }
  {
    auto guard = net::make_work_guard(*impl.iocs[0]);
    impl.iocs[0]->run();
  }
  for (auto& t : threads) t.join();
}

void Server::stop() {
  impl_->begin_stop();
}

}  // namespace o4o::core
