#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1 and a random port for tests of outbound calls: each request
// is recorded and answered by the test's function (or answered late, or never). A connection
// carries one request, or with keep_alive as many as the client sends until the reply says close.
// One IO thread runs it; destroying the server stops it.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace o4o::unit_test {

class LoopbackServer {
 public:
  struct Received {
    std::string method;
    std::string target;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    // Case-insensitive; the first occurrence.
    std::optional<std::string> header(std::string_view name) const {
      for (const auto& [n, v] : headers)
        if (boost::beast::iequals(n, name)) return v;
      return std::nullopt;
    }
  };
  struct Reply {
    int status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds delay{0};  // answer this late
    bool never_answer = false;           // read the request, then keep the connection silent
    bool close = false;                  // keep_alive: answer "keep-alive", then close anyway
  };
  using Handler = std::function<Reply(const Received&)>;

  explicit LoopbackServer(Handler handler, bool keep_alive = false)
      : handler_(std::move(handler)),
        keep_alive_(keep_alive),
        acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    boost::asio::co_spawn(ioc_, accept_loop(), boost::asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~LoopbackServer() {
    ioc_.stop();
    thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  std::string url(std::string_view path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
  }
  std::vector<Received> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }
  int connections() const {
    std::lock_guard lock(mutex_);
    return connections_;
  }

  // A loopback port nothing listens on (bound, then released): connecting to it is refused.
  static unsigned short closed_port() {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const auto port = a.local_endpoint().port();
    a.close();
    return port;
  }

 private:
  using tcp = boost::asio::ip::tcp;

  boost::asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] =
          co_await acceptor_.async_accept(boost::asio::as_tuple(boost::asio::use_awaitable));
      if (ec) co_return;
      boost::asio::co_spawn(ioc_, session(std::move(socket)), boost::asio::detached);
    }
  }

  boost::asio::awaitable<void> session(tcp::socket socket) {
    namespace http = boost::beast::http;
    const auto tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
    {
      std::lock_guard lock(mutex_);
      ++connections_;
    }
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      auto [read_ec, n] = co_await http::async_read(socket, buffer, req, tuple);
      if (read_ec) co_return;
      Received r;
      r.method = std::string(req.method_string());
      r.target = std::string(req.target());
      r.body = req.body();
      for (const auto& f : req) r.headers.emplace_back(f.name_string(), f.value());
      {
        std::lock_guard lock(mutex_);
        received_.push_back(r);
      }
      Reply reply = handler_(r);
      boost::asio::steady_timer timer(ioc_);
      if (reply.never_answer) {
        timer.expires_after(std::chrono::hours(1));
        co_await timer.async_wait(tuple);
        co_return;
      }
      if (reply.delay.count() > 0) {
        timer.expires_after(reply.delay);
        co_await timer.async_wait(tuple);
      }
      http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
      for (const auto& [name, value] : reply.headers) res.set(name, value);
      res.body() = std::move(reply.body);
      res.keep_alive(keep_alive_);
      res.prepare_payload();
      auto [write_ec, written] = co_await http::async_write(socket, res, tuple);
      if (write_ec || !keep_alive_ || reply.close) break;
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    socket.close(ignored);
  }

  Handler handler_;
  bool keep_alive_;
  boost::asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<Received> received_;
  int connections_ = 0;
};

}  // namespace o4o::unit_test
