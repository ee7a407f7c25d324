#include "core/server.hpp"

#include <fmt/format.h>

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/resource.h>

#include <unistd.h>
#include <algorithm>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <deque>
#include <limits>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/event_stream.hpp"
#include "core/held_wakes.hpp"
#include "core/http_read.hpp"
#include "core/http_write.hpp"
#include "core/logging.hpp"
#include "core/upload.hpp"
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
constexpr std::uint64_t kMaxDrainBytes = 16 * 1024 * 1024;  // read-and-discard after a 413
constexpr int kMaxConnections = 20000;
// Descriptors kept free below RLIMIT_NOFILE for the database, files and logs, so that a flood of
// connections is refused at accept instead of failing everything else with EMFILE.
constexpr rlim_t kFdHeadroom = 128;

// Raises the soft descriptor limit to the hard one and returns how many connections fit below
// it with the headroom kept free.
int connection_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return kMaxConnections;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  if (lim.rlim_cur == RLIM_INFINITY) return kMaxConnections;
  const rlim_t usable =
      lim.rlim_cur > 2 * kFdHeadroom ? lim.rlim_cur - kFdHeadroom : lim.rlim_cur / 2;
  return static_cast<int>(std::min<rlim_t>(usable, kMaxConnections));
}

using SteadyClock = std::chrono::steady_clock;
// How often an IO thread looks for connections past their deadline: a timeout fires up to this
// much late.
constexpr auto kDeadlineTick = std::chrono::milliseconds(200);

// Shared between a connection's coroutine, its IO thread's deadline check and stop(); touched
// only on the connection's executor.
struct Conn {
  explicit Conn(net::any_io_executor ex) : executor(std::move(ex)) {}
  net::any_io_executor executor;
  tcp::socket* socket = nullptr;
  // When the I/O under way must have ended: past it, the deadline check cancels the socket's
  // operations (they end with operation_aborted, as at stop) until a new one is set.
  // SteadyClock::time_point::max(): none.
  SteadyClock::time_point deadline = SteadyClock::time_point::max();
  bool idle = true;            // waiting for the next request's first bytes
  bool woken = false;          // a stream has something to send
  std::function<void()> wake;  // set while an event stream is open
};

// The connections of one IO thread and the one timer that enforces their deadlines. A timer per
// read and write (what beast::tcp_stream arms) costs a timer-queue insertion, a cancellation and
// a completion per operation; here an operation's deadline is one store, checked every
// kDeadlineTick. Touched only on its IO thread.
struct Deadlines {
  explicit Deadlines(net::io_context& ioc) : timer(ioc) {}
  net::steady_timer timer;
  // Weak: a connection leaves by ending, whenever its coroutine's frame goes (at stop, the loops'
  // teardown destroys frames after this list is gone).
  std::list<std::weak_ptr<Conn>> conns;
  bool ticking = false;

  void add(std::weak_ptr<Conn> c) {
    conns.push_back(std::move(c));
    if (!ticking) tick();
  }

  void tick() {
    ticking = true;
    timer.expires_after(kDeadlineTick);
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec) {
        ticking = false;
        return;
      }
      const auto now = SteadyClock::now();
      // Cancelled again every tick until the connection sets a new deadline: a composed
      // operation (Beast's body read) between two reads has nothing pending to cancel, and its
      // next read must not outlive the deadline either.
      for (auto it = conns.begin(); it != conns.end();) {
        auto c = it->lock();
        if (!c) {
          it = conns.erase(it);
          continue;
        }
        ++it;
        if (c->deadline > now || c->socket == nullptr) continue;
        boost::system::error_code ignored;
        c->socket->cancel(ignored);
      }
      // An idle thread does not wake up for nothing; the next connection starts it again.
      if (conns.empty())
        ticking = false;
      else
        tick();
    });
  }
};

// A body read that failed because the client went quiet, hung up or we are stopping: nothing to
// answer. Any other failure is a malformed request, which gets a 400 before the close.
bool peer_went_away(const beast::error_code& ec) {
  return ec == beast::error::timeout || ec == net::error::operation_aborted ||
         ec == http::error::partial_message || ec == net::error::eof ||
         ec == net::error::connection_reset;
}

// Answers given on another thread (a grouped write's, by the committer after its commit) for the
// connections of one IO thread. The committer answers a whole batch in a row; a post to the IO
// thread's loop for each answer cost the committer, the one thread every write waits for, a
// lock of that loop's queue and a wake-up of the thread (epoll_ctl, futex), which then took
// the CPU from it, per answer. Here an answer is appended to a list, and only the one that finds
// the list empty posts the handler that runs them all.
class Inbox {
 public:
  explicit Inbox(net::io_context& ioc) : ioc_(ioc) {}
  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;

  net::io_context& context() const { return ioc_; }

  // The first answer since the IO thread last took them posts the handler that takes them; when
  // the giving thread holds its wake-ups (HeldWakes: the committer, while it answers a batch),
  // that post waits until it has given them all.
  void deliver(std::function<void()> f) {
    bool first = false;
    {
      std::lock_guard lock(mutex_);
      first = items_.empty();
      items_.push_back(std::move(f));
    }
    if (first) HeldWakes::wake([this] { net::post(ioc_, [this] { run(); }); });
  }

 private:
  void run() {
    {
      std::lock_guard lock(mutex_);
      running_.swap(items_);
    }
    for (auto& f : running_) f();
    running_.clear();  // capacity kept for the next round
  }

  net::io_context& ioc_;
  std::mutex mutex_;
  std::vector<std::function<void()>> items_;    // under mutex_
  std::vector<std::function<void()>> running_;  // the IO thread's
};
}  // namespace

struct Server::Impl {
  Impl(const Config& c, Dispatcher& d, Metrics& m)
      : config(c),
        dispatcher(d),
        metrics(m),
        db_pool(c.db_workers, c.worker_spin_us),
        cpu_pool(c.cpu_workers, 0),
        max_connections(connection_limit()) {
    for (int i = 0; i < c.io_threads; ++i) {
      iocs.push_back(std::make_unique<net::io_context>(1));
      deadlines.push_back(std::make_unique<Deadlines>(*iocs.back()));
      inboxes.push_back(std::make_unique<Inbox>(*iocs.back()));
    }
    acceptor.emplace(*iocs[0]);
    m.add_source([this] {
      return fmt::format(
          "# HELP o4o_worker_queue_depth Handlers waiting for a worker thread, by pool.\n"
          "# TYPE o4o_worker_queue_depth gauge\n"
          "o4o_worker_queue_depth{{pool=\"db\"}} {}\no4o_worker_queue_depth{{pool=\"cpu\"}} {}\n",
          db_pool.queue_depth(), cpu_pool.queue_depth());
    });
  }

  const Config& config;
  Dispatcher& dispatcher;
  Metrics& metrics;
  std::vector<std::unique_ptr<net::io_context>> iocs;
  std::vector<std::unique_ptr<Deadlines>> deadlines;  // one per IO thread, as iocs
  std::vector<std::unique_ptr<Inbox>> inboxes;        // one per IO thread, as iocs
  std::optional<tcp::acceptor> acceptor;
  WorkerPool db_pool;
  WorkerPool cpu_pool;
  std::atomic<bool> stopping{false};
  std::function<void()> grace_ending;  // Server::on_grace_ending
  std::atomic<int> connections{0};
  std::size_t next_ioc = 0;
  std::mutex conns_mutex;
  std::list<std::weak_ptr<Conn>> conns;
  int bound_port = 0;
  const int max_connections;
  // Open connections per client address (socket peer), for O4O_MAX_CONNECTIONS_PER_IP.
  std::mutex per_address_mutex;
  std::unordered_map<std::string, int> per_address;

  struct Session;
  net::awaitable<void> accept_loop();
  // Counts the connection against its address; false when the address is at its limit.
  bool admit(const std::string& address);
  void leave(const std::string& address);
  net::awaitable<void> session(tcp::socket socket, std::string address, Deadlines& deadlines);
  net::awaitable<Response> execute(const Route& route, Request& req);
  // The inbox of the IO thread whose loop runs `ex`; null for another executor.
  Inbox* inbox_of(const net::any_io_executor& ex);
  void begin_stop();
};

net::awaitable<void> Server::Impl::accept_loop() {
  for (;;) {
    const std::size_t thread = next_ioc++ % iocs.size();
    auto& ioc = *iocs[thread];
    auto [ec, socket] = co_await acceptor->async_accept(ioc, use_tuple);
    if (stopping) co_return;
    if (ec) {
      // Out of descriptors and similar: back off briefly rather than spin.
      net::steady_timer t(co_await net::this_coro::executor, std::chrono::milliseconds(50));
      co_await t.async_wait(use_tuple);
      continue;
    }
    boost::system::error_code ignored;
    if (connections.load() >= max_connections) {
      socket.close(ignored);
      continue;
    }
    std::string address;
    {
      boost::system::error_code pec;
      auto peer = socket.remote_endpoint(pec).address();
      if (peer.is_v6() && peer.to_v6().is_v4_mapped())
        peer = net::ip::make_address_v4(net::ip::v4_mapped, peer.to_v6());
      if (!pec && !dispatcher.trusted(peer.to_string())) address = peer.to_string();
    }
    if (!admit(address)) {
      socket.close(ignored);  // one address cannot take every slot
      continue;
    }
    socket.set_option(tcp::no_delay(true), ignored);
    auto ex = socket.get_executor();
    ++connections;  // here, so that the next accept sees it
    net::co_spawn(ex, session(std::move(socket), std::move(address), *deadlines[thread]),
                  net::detached);
  }
}

// Runs fn on a worker and resumes the awaiting coroutine on its own executor with the result.
// An answer given later (Response::later: a grouped write waiting for its commit) is waited for
// from here, so that the coroutine resumes once, with the final answer: handing the Later back
// to the IO thread first cost every such request one more wake-up of it.
// A later answer goes through the connection's IO thread's inbox (see Inbox).
template <class Token>
auto run_on(WorkerPool& pool, Inbox* inbox, std::function<Response()> fn, Token&& token) {
  return net::async_initiate<Token, void(Response)>(
      [&pool, inbox](auto handler, std::function<Response()> fn) {
        auto work = net::make_work_guard(net::get_associated_executor(handler));
        pool.post(
            [handler = std::move(handler), fn = std::move(fn), work = std::move(work),
             inbox]() mutable {
              Response r = fn();
              if (r.later) {
                using Handler = decltype(handler);
                auto h = std::make_shared<Handler>(std::move(handler));
                auto later = std::move(r.later);
                later->when_given([h, work = std::move(work), inbox](Response given) mutable {
                  if (inbox) {
                    inbox->deliver(
                        [h, work = std::move(work), given = std::move(given)]() mutable {
                          std::move (*h)(std::move(given));
                        });
                    return;
                  }
                  auto ex = work.get_executor();
                  net::post(ex, [h, given = std::move(given)]() mutable {
                    std::move (*h)(std::move(given));
                  });
                });
                return;
              }
              auto ex = work.get_executor();
              net::post(ex, [handler = std::move(handler), r = std::move(r)]() mutable {
                std::move(handler)(std::move(r));
              });
            });
      },
      token, std::move(fn));
}

Inbox* Server::Impl::inbox_of(const net::any_io_executor& ex) {
  const auto* context = &net::query(ex, net::execution::context);
  for (auto& inbox : inboxes)
    if (static_cast<const net::execution_context*>(&inbox->context()) == context) return inbox.get();
  return nullptr;
}

net::awaitable<Response> Server::Impl::execute(const Route& route, Request& req) {
  if (route.exec == Exec::io) co_return dispatcher.run(route, req);
  auto& pool = route.exec == Exec::cpu ? cpu_pool : db_pool;
  Inbox* inbox = inbox_of(co_await net::this_coro::executor);
  for (;;) {
    Response r = co_await run_on(
        pool, inbox, [this, &route, &req] { return dispatcher.run(route, req); },
        net::use_awaitable);
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

namespace {
// The client's address as the socket sees it (an IPv4-mapped IPv6 address as IPv4); empty when
// the socket is already gone.
std::string peer_address(const tcp::socket& socket) {
  boost::system::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (ec) return {};
  auto a = ep.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    a = net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6());
  return a.to_string();
}
}  // namespace

// One connection, in parts: reading a request, refusing one, dispatching it, writing the answer
// (or an event stream), and the lingering close; run() is the keep-alive loop over them.
struct Server::Impl::Session {
  // A request whose header and body have arrived.
  struct Incoming {
    http::request<http::string_body> message;
    std::chrono::steady_clock::time_point start;  // when its header had arrived
    std::shared_ptr<UploadedFile> upload;         // an upload route's file (body left empty)
  };

  using Parser = http::request_parser<http::string_body>;

  Session(Impl& s, tcp::socket sock, std::shared_ptr<Conn> c)
      : server(s), conn(std::move(c)), peer(peer_address(sock)), socket(std::move(sock)) {
    conn->socket = &socket;
    // Answers are written at once when the socket takes them (send_now); a full send buffer
    // says so instead of blocking the thread.
    boost::system::error_code ignored;
    socket.non_blocking(true, ignored);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  // However run() ends: nothing may reach for the socket once it is gone.
  ~Session() { conn->socket = nullptr; }

  Impl& server;
  std::shared_ptr<Conn> conn;
  std::string peer;
  tcp::socket socket;
  beast::flat_buffer buffer;
  // The request being read: here rather than in a coroutine frame, so that a request costs no
  // frame allocation (frames over 1 KiB bypass Asio's recycling and go to malloc every time).
  std::optional<Parser> parser;
  std::string head_out;       // the answer's status line and header, rendered by send_now; reused
  int buffered_in_a_row = 0;  // requests taken from the buffer without a read (see run())

  // Every read and write has a deadline (Deadlines): set before the operation, for all of it.
  void deadline_in(SteadyClock::duration d) { conn->deadline = SteadyClock::now() + d; }
  void no_deadline() { conn->deadline = SteadyClock::time_point::max(); }

  net::awaitable<void> run();
  // Reads until `parser` has the next request's whole header (the bytes already buffered first:
  // a pipelined request needs no read), as Beast's async_read_header does. The keep-alive wait
  // and a slow header share kHeaderTimeout.
  net::awaitable<boost::system::error_code> read_header();
  // What follows a header that is not a plain request without a body: the refusals (413, 431,
  // 400), 100-continue, the body, an upload. Nullopt when the connection is over.
  net::awaitable<std::optional<Incoming>> read_rest(boost::system::error_code hec);
  net::awaitable<std::optional<Incoming>> read_upload(Parser& header_parser, const UploadSpec& spec,
                                                      SteadyClock::time_point start);
  net::awaitable<void> refuse(Response r, std::uint64_t drain, const http::request_header<>& head);
  net::awaitable<void> discard(std::uint64_t most, std::chrono::seconds limit);
  // The answer given on this thread (an error, a file, an IO route, a cached read's hit), else
  // null with `route` set for the worker pool. Not a coroutine: most answers need no frame.
  std::optional<Response> dispatch(Request& req, std::string_view& pattern, const Route*& route);
  // Writes the answer when http_write renders it, in one gathered write if the socket takes it
  // whole (the common case: no suspension, no timer); `sent` says how much went. Nullopt when
  // Beast must render it (write_response).
  struct Sent {
    boost::system::error_code ec;
    std::size_t bytes = 0;
    bool all = false;
  };
  std::optional<Sent> send_now(const Response& r, bool keep_alive, bool head);
  // The rest of what send_now began.
  net::awaitable<boost::system::error_code> send_rest(const Response& r, bool head,
                                                      std::size_t sent);
  net::awaitable<boost::system::error_code> write_response(Response& r, bool keep_alive, bool head);
  net::awaitable<boost::system::error_code> write_file(const FileBody& file);
  net::awaitable<void> stream_events(const Response& opened);
  net::awaitable<bool> write_chunks(std::deque<std::string> chunks);
  Request request_of(const http::request_header<>& head) const;
  void close();
};

bool Server::Impl::admit(const std::string& address) {
  if (address.empty()) return true;  // a trusted proxy, or a peer that is already gone
  std::lock_guard lock(per_address_mutex);
  auto& open = per_address[address];
  if (open >= config.max_connections_per_ip) {
    if (open == 0) per_address.erase(address);
    return false;
  }
  ++open;
  return true;
}

void Server::Impl::leave(const std::string& address) {
  if (address.empty()) return;
  std::lock_guard lock(per_address_mutex);
  auto it = per_address.find(address);
  if (it != per_address.end() && --it->second <= 0) per_address.erase(it);
}

net::awaitable<void> Server::Impl::session(tcp::socket socket, std::string address,
                                           Deadlines& deadlines) {
  auto conn = std::make_shared<Conn>(socket.get_executor());
  {
    std::lock_guard lock(conns_mutex);
    conns.push_back(conn);
  }
  {
    Session s(*this, std::move(socket), conn);
    deadlines.add(conn);
    co_await s.run();
  }
  leave(address);
  --connections;
}

net::awaitable<void> Server::Impl::Session::run() {
  for (;;) {
    conn->idle = true;
    if (server.stopping) break;
    parser.emplace();
    parser->header_limit(http_read::kHeaderLimit);
    // No body limit while the header is read: an upload route has its own, larger one. Every
    // other request gets config.body_limit_bytes (read_rest), before a byte of its body is read.
    parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    const auto hec = co_await read_header();
    conn->idle = false;
    // A plain request without a body (every GET and HEAD) is whole with its header; anything
    // else takes read_rest's way.
    std::optional<Incoming> incoming;
    http::request<http::string_body>* msg = nullptr;
    SteadyClock::time_point start;
    if (!hec && parser->is_done() && !http_read::body_end_unknowable(*parser) &&
        parser->get()[http::field::expect].empty() && parser->get().method() != http::verb::post &&
        parser->get().method() != http::verb::put) {
      msg = &parser->get();
      start = SteadyClock::now();
    } else {
      incoming = co_await read_rest(hec);
      if (!incoming) break;  // closed, timed out or refused
      msg = &incoming->message;
      start = incoming->start;
    }
    const bool head_request = msg->method() == http::verb::head;
    Request req = request_of(*msg);
    req.body = std::move(msg->body());
    if (incoming) req.upload = std::move(incoming->upload);
    const bool keep_alive = msg->keep_alive() && !server.stopping;

    std::string_view pattern;
    const Route* route = nullptr;
    // The answer stays where it was made: a default Response first would allocate its content
    // type only to drop it.
    auto answer = dispatch(req, pattern, route);
    if (!answer) answer.emplace(co_await server.execute(*route, req));
    Response& res = *answer;
    req.upload.reset();  // an upload the handler did not keep is gone before the client hears
    const double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
    server.dispatcher.finish(req, res, pattern, seconds);

    if (res.stream) {
      co_await stream_events(res);
      break;
    }
    const bool keep = keep_alive && !res.close && !server.stopping;
    boost::system::error_code wec;
    if (auto sent = send_now(res, keep, head_request)) {
      wec = sent->ec;
      if (!wec && !sent->all) wec = co_await send_rest(res, head_request, sent->bytes);
    } else {
      wec = co_await write_response(res, keep, head_request);
    }
    if (wec || !keep) break;
  }
  close();
}

net::awaitable<boost::system::error_code> Server::Impl::Session::read_header() {
  auto& p = *parser;
  boost::system::error_code ec;
  bool reading = false;
  for (;;) {
    if (buffer.size() > 0) {
      buffer.consume(p.put(buffer.data(), ec));
      if (ec != http::error::need_more) break;  // the whole header, or an error
      ec = {};
    }
    const auto size = beast::read_size(buffer, 65536);
    if (size == 0) {
      ec = http::error::buffer_overflow;
      break;
    }
    if (!reading) {
      reading = true;
      deadline_in(kHeaderTimeout);
    }
    auto [rec, n] = co_await socket.async_read_some(buffer.prepare(size), use_tuple);
    buffer.commit(n);
    if (rec == net::error::eof) {
      // A header cut short is a malformed request (put_eof says partial_message); nothing at all
      // is the client ending the connection.
      if (p.got_some())
        p.put_eof(ec);
      else
        ec = http::error::end_of_stream;
      break;
    }
    if (rec) {
      ec = rec;
      break;
    }
  }
  if (reading) {
    no_deadline();
    buffered_in_a_row = 0;
  } else if (++buffered_in_a_row >= 16) {
    // A client that pipelines many requests at once would otherwise keep this thread to itself
    // (its answers go out at once, its requests are already here): let the others in.
    buffered_in_a_row = 0;
    co_await net::post(socket.get_executor(), net::use_awaitable);
  }
  co_return ec;
}

// What follows the header of anything but a plain request without a body, with every bound: body
// size and time. Nullopt when the connection is over: the client closed or went quiet, or the
// request was refused here (413, 431, 400), answered and the connection closed.
net::awaitable<std::optional<Server::Impl::Session::Incoming>> Server::Impl::Session::read_rest(
    boost::system::error_code hec) {
  const auto& config = server.config;
  auto& p = *parser;
  // The rest of an announced body that is still on its way; kMaxDrainBytes when unknown.
  const auto body_left = [&]() -> std::uint64_t {
    auto len = p.content_length();
    if (!len) return kMaxDrainBytes;
    return *len > buffer.size() ? *len - buffer.size() : 0;
  };
  const auto too_large = [] {
    return error_response(413, "PAYLOAD_TOO_LARGE", "Request body is too large");
  };
  if (hec == http::error::body_limit) {  // the announced Content-Length is over the limit
    co_await refuse(too_large(), body_left(), p.get());
    co_return std::nullopt;
  }
  if (hec) {
    if (hec == http::error::end_of_stream || hec == net::error::operation_aborted ||
        hec == net::error::eof || hec == net::error::connection_reset)
      co_return std::nullopt;
    const bool headers_too_large = hec == http::error::header_limit;
    co_await refuse(error_response(headers_too_large ? 431 : 400,
                                   headers_too_large ? "HEADERS_TOO_LARGE" : "BAD_REQUEST",
                                   "Malformed HTTP request"),
                    0, p.get());
    co_return std::nullopt;
  }
  const auto start = SteadyClock::now();
  auto& head = p.get();

  if (http_read::body_end_unknowable(p)) {
    co_await refuse(error_response(400, "BAD_REQUEST", "Unsupported Transfer-Encoding"), 0, head);
    co_return std::nullopt;
  }
  if (auto spec = server.dispatcher.upload_route(http_read::to_method(head.method()), head.target()))
    co_return co_await read_upload(p, *spec, start);
  p.body_limit(config.body_limit_bytes);
  if (auto len = p.content_length(); len && *len > config.body_limit_bytes) {
    co_await refuse(too_large(), body_left(), head);
    co_return std::nullopt;
  }
  if (auto expect = head[http::field::expect]; !expect.empty()) {
    if (beast::iequals(expect, "100-continue")) {
      static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
      deadline_in(kWriteTimeout);
      auto [cec, cn] = co_await net::async_write(socket, net::buffer(cont), use_tuple);
      if (cec) co_return std::nullopt;
    }
  }
  if (!p.is_done()) {
    deadline_in(kBodyTimeout);
    auto [bec, bn] = co_await http::async_read(socket, buffer, p, use_tuple);
    if (bec == http::error::body_limit) {
      co_await refuse(too_large(), kMaxDrainBytes, p.get());
      co_return std::nullopt;
    }
    if (bec) {
      if (!peer_went_away(bec))
        co_await refuse(error_response(400, "BAD_REQUEST", "Malformed HTTP request"), 0, p.get());
      co_return std::nullopt;
    }
  }
  co_return Incoming{p.release(), start};
}

// The body of an upload route: multipart/form-data streamed through MultipartUpload into a
// temporary file, 64 KiB at a time, so the request never holds the file in memory. The file's
// limit is enforced as its bytes arrive (413 and a bounded drain, like any body over the limit);
// a body that is not the form the route needs is refused before it is read.
net::awaitable<std::optional<Server::Impl::Session::Incoming>> Server::Impl::Session::read_upload(
    Parser& header_parser, const UploadSpec& spec, SteadyClock::time_point start) {
  constexpr std::uint64_t kFormOverhead = 64 * 1024;  // part headers, boundaries, small fields
  const auto& head = header_parser.get();
  const auto body_left = [&]() -> std::uint64_t {
    auto len = header_parser.content_length();
    if (!len) return kMaxDrainBytes;
    return *len > buffer.size() ? *len - buffer.size() : 0;
  };
  const auto refused = [&](ApiError e) {
    return render_error(std::make_exception_ptr(std::move(e)), "");
  };
  // Nobody without a token uploads: say so before a byte of the body is read.
  if (head[http::field::authorization].empty()) {
    co_await refuse(refused(err::unauthorized()), body_left(), head);
    co_return std::nullopt;
  }
  auto boundary = multipart::boundary_of(head[http::field::content_type]);
  if (!boundary) {
    co_await refuse(refused(ApiError(415, "UNSUPPORTED_MEDIA_TYPE",
                                     "The body must be multipart/form-data with a boundary")),
                    body_left(), head);
    co_return std::nullopt;
  }
  const std::uint64_t most = spec.most;
  const auto too_large = [] {
    return error_response(413, "PAYLOAD_TOO_LARGE", "Request body is too large");
  };
  if (auto len = header_parser.content_length(); len && *len > most + kFormOverhead) {
    co_await refuse(too_large(), body_left(), head);
    co_return std::nullopt;
  }
  if (auto expect = head[http::field::expect]; beast::iequals(expect, "100-continue")) {
    static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
    deadline_in(kWriteTimeout);
    auto [cec, cn] = co_await net::async_write(socket, net::buffer(cont), use_tuple);
    if (cec) co_return std::nullopt;
  }
  http::request_parser<http::buffer_body> body_parser(std::move(header_parser));
  body_parser.body_limit(most + kFormOverhead);
  MultipartUpload sink(*boundary, spec.temp_dir, spec.limit);
  std::vector<char> chunk(64 * 1024);
  while (!body_parser.is_done()) {
    body_parser.get().body().data = chunk.data();
    body_parser.get().body().size = chunk.size();
    deadline_in(kBodyTimeout);
    auto [bec, bn] = co_await http::async_read(socket, buffer, body_parser, use_tuple);
    if (bec == http::error::need_buffer) bec = {};
    if (bec == http::error::body_limit) {
      co_await refuse(too_large(), kMaxDrainBytes, body_parser.get());
      co_return std::nullopt;
    }
    if (bec) {
      if (!peer_went_away(bec))
        co_await refuse(error_response(400, "BAD_REQUEST", "Malformed HTTP request"), 0,
                        body_parser.get());
      co_return std::nullopt;
    }
    const std::size_t got = chunk.size() - body_parser.get().body().size;
    if (got == 0 || sink.write(std::string_view(chunk.data(), got))) continue;
    sink.discard();  // the partial file goes now, not after the drain
    if (sink.too_large()) {
      co_await refuse(too_large(), kMaxDrainBytes, body_parser.get());
    } else if (sink.failed()) {
      log::error("an upload could not be written to disk", {{"dir", spec.temp_dir}});
      co_await refuse(error_response(503, "SERVICE_UNAVAILABLE", "The upload could not be stored"),
                      kMaxDrainBytes, body_parser.get());
    } else {
      co_await refuse(refused(err::validation("file", sink.error())), kMaxDrainBytes,
                      body_parser.get());
    }
    co_return std::nullopt;
  }
  auto file = sink.finish();
  if (!file) {
    // Built before the co_await: GCC 12 destroys a conditional's temporary in a co_await
    // expression twice.
    Response no = sink.failed()
                      ? error_response(503, "SERVICE_UNAVAILABLE", "The upload could not be stored")
                      : refused(err::validation("file", sink.error()));
    co_await refuse(std::move(no), 0, body_parser.get());
    co_return std::nullopt;
  }
  http::request<http::string_body> message{std::move(body_parser.release().base())};
  co_return Incoming{std::move(message), start, std::move(file)};
}

// A request's method, target and headers as far as they arrived, with its request id and client
// address: the same for a request that is answered and one that is refused.
Request Server::Impl::Session::request_of(const http::request_header<>& head) const {
  Request req;
  http_read::copy_head(head, req);
  req.request_id = Dispatcher::request_id(req.header("x-request-id"));
  req.client_ip = server.dispatcher.client_ip(peer, req.header("x-forwarded-for"));
  return req;
}

// Tells the client no and closes; reads and discards a bounded amount of what it is still sending
// first, so that it sees the answer instead of a reset. Like every answer it carries X-Request-Id
// (the client's own when it arrived) and is counted and logged. `drain` is how much to read and
// discard at most: the rest of an announced body, or kMaxDrainBytes when its length is unknown
// (0: none).
net::awaitable<void> Server::Impl::Session::refuse(Response r, std::uint64_t drain,
                                                   const http::request_header<>& head) {
  server.dispatcher.finish(request_of(head), r, "<refused>", 0.0);
  r.set_header("Connection", "close");
  auto ec = co_await write_response(r, false, false);
  if (!ec && drain > 0) co_await discard(std::min(drain, kMaxDrainBytes), std::chrono::seconds(5));
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  // A lingering close: what the client still has in flight is read and dropped until it closes
  // too (it has the answer and our end), so closing the socket cannot reset the connection under
  // an answer the client has not read yet.
  if (!ec) co_await discard(kMaxDrainBytes, std::chrono::seconds(1));
}

// Reads and drops up to `most` bytes, for at most `limit`; stops early when the client closes.
net::awaitable<void> Server::Impl::Session::discard(std::uint64_t most,
                                                    std::chrono::seconds limit) {
  std::array<char, 16384> sink;
  deadline_in(limit);
  for (std::uint64_t n = 0; n < most;) {
    auto [rec, got] = co_await socket.async_read_some(net::buffer(sink), use_tuple);
    if (rec) break;
    n += got;
  }
}

// Routes the request and answers it on this thread when it can (refusals, files, Exec::io routes,
// a cached read's hit); else leaves `route` for the worker pool (Impl::execute). `pattern` is set
// to the route's pattern, the metrics label.
std::optional<Response> Server::Impl::Session::dispatch(Request& req, std::string_view& pattern,
                                                        const Route*& route) {
  pattern = "<bad-target>";
  if (auto bad = http_read::split_target(req)) return bad;
  auto plan = server.dispatcher.plan(req);
  pattern = plan.pattern;
  if (plan.immediate) return std::move(plan.immediate);
  // A cached read's hit is answered here, on this IO thread: no worker, no database.
  if (plan.route->cached) {
    if (auto hit = server.dispatcher.answer_from_cache(*plan.route, req)) return hit;
  }
  if (plan.route->exec == Exec::io) return server.dispatcher.run(*plan.route, req);
  route = plan.route;
  return std::nullopt;
}

std::optional<Server::Impl::Session::Sent> Server::Impl::Session::send_now(const Response& r,
                                                                           bool keep_alive,
                                                                           bool head) {
  if (r.file) return std::nullopt;
  head_out.clear();
  if (!http_write::render_head(head_out, r, keep_alive)) return std::nullopt;
  const std::array<net::const_buffer, 2> parts{net::buffer(head_out),
                                               net::buffer(head ? std::string_view() : r.body)};
  const std::size_t total = net::buffer_size(parts);
  Sent sent;
  // The socket is non-blocking: what its send buffer has no room for is left to send_rest.
  sent.bytes = socket.write_some(parts, sent.ec);
  if (sent.ec == net::error::would_block || sent.ec == net::error::try_again) sent.ec = {};
  sent.all = !sent.ec && sent.bytes == total;
  return sent;
}

net::awaitable<boost::system::error_code> Server::Impl::Session::send_rest(const Response& r,
                                                                           bool head,
                                                                           std::size_t sent) {
  const std::array<net::const_buffer, 2> parts{net::buffer(head_out),
                                               net::buffer(head ? std::string_view() : r.body)};
  beast::buffers_suffix<std::array<net::const_buffer, 2>> rest(parts);
  rest.consume(sent);
  deadline_in(kWriteTimeout);
  auto [ec, n] = co_await net::async_write(socket, rest, use_tuple);
  co_return ec;
}

net::awaitable<boost::system::error_code> Server::Impl::Session::write_response(Response& r,
                                                                                bool keep_alive,
                                                                                bool head) {
  if (r.file) {
    // A file body: the header with its length, then the file in pieces (core/http.hpp FileBody).
    http::response<http::empty_body> res{static_cast<http::status>(r.status), 11};
    res.set(http::field::server, "o4o");
    res.set(http::field::content_type, r.content_type);
    for (auto& h : r.headers) res.set(h.name, h.value);
    res.keep_alive(keep_alive);
    res.content_length(r.file->length);
    http::response_serializer<http::empty_body> sr{res};
    deadline_in(kWriteTimeout);
    auto [ec, n] = co_await http::async_write_header(socket, sr, use_tuple);
    if (ec || head) co_return ec;
    co_return co_await write_file(*r.file);
  }
  auto res = http_write::beast_message(r, keep_alive, head);
  deadline_in(kWriteTimeout);
  auto [ec, n] = co_await http::async_write(socket, res, use_tuple);
  co_return ec;
}

// Sends `file.length` bytes of the file from `file.offset`, 64 KiB at a time, each write with its
// own deadline. Reads come from the page cache in the common case; a file that shrank under us
// ends the connection (its length was promised).
net::awaitable<boost::system::error_code> Server::Impl::Session::write_file(const FileBody& file) {
  std::vector<char> chunk(64 * 1024);
  std::uint64_t at = file.offset, left = file.length;
  while (left > 0) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
    auto got = ::pread(file.file->fd, chunk.data(), want, static_cast<off_t>(at));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) co_return net::error::make_error_code(net::error::eof);
    deadline_in(kWriteTimeout);
    auto [ec, n] = co_await net::async_write(
        socket, net::buffer(chunk.data(), static_cast<std::size_t>(got)), use_tuple);
    if (ec) co_return ec;
    at += static_cast<std::uint64_t>(got);
    left -= static_cast<std::uint64_t>(got);
  }
  co_return boost::system::error_code{};
}

void Server::Impl::Session::close() {
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
  conn->socket = nullptr;
}

// Writes each queued event as one chunk; false when the client is gone.
net::awaitable<bool> Server::Impl::Session::write_chunks(std::deque<std::string> chunks) {
  for (auto& chunk : chunks) {
    deadline_in(kWriteTimeout);
    auto [wec, wn] =
        co_await net::async_write(socket, http::make_chunk(net::buffer(chunk)), use_tuple);
    if (wec) co_return false;
  }
  co_return true;
}

net::awaitable<void> Server::Impl::Session::stream_events(const Response& opened) {
  const auto events = opened.stream;
  auto ex = co_await net::this_coro::executor;
  auto timer = std::make_shared<net::steady_timer>(ex);
  // The waker may run on any thread; it hops to this connection's executor, where the flag and
  // the timer are only ever touched.
  std::weak_ptr<net::steady_timer> weak_timer = timer;
  auto conn_flag = &conn->woken;
  auto alive = std::make_shared<bool>(true);
  std::weak_ptr<bool> weak_alive = alive;
  auto wake = [ex, weak_timer, conn_flag, weak_alive] {
    net::post(ex, [weak_timer, conn_flag, weak_alive] {
      if (!weak_alive.lock()) return;
      *conn_flag = true;
      if (auto t = weak_timer.lock()) t->cancel();
    });
  };
  conn->wake = wake;
  events->attach(wake);
  server.metrics.add_open_streams(1);

  http::response<http::empty_body> res{http::status::ok, 11};
  res.set(http::field::server, "o4o");
  res.set(http::field::content_type, "text/event-stream; charset=utf-8");
  res.set(http::field::cache_control, "no-cache");
  res.set("X-Accel-Buffering", "no");
  for (const auto& h : opened.headers) res.set(h.name, h.value);  // X-Request-Id among them
  res.chunked(true);
  http::response_serializer<http::empty_body> sr{res};
  deadline_in(kWriteTimeout);
  auto [hec, hn] = co_await http::async_write_header(socket, sr, use_tuple);
  bool ok = !hec;
  std::array<char, 512> sink;
  while (ok) {
    ok = co_await write_chunks(events->take());
    if (!ok || server.stopping) break;
    if (events->closed()) {
      ok = co_await write_chunks(events->take());  // what close() left behind
      break;
    }
    if (conn->woken) {
      conn->woken = false;
      continue;
    }
    no_deadline();
    timer->expires_after(std::chrono::hours(1));
    // Wait for something to send, or for the client to go away (a read that ends).
    auto which = co_await (timer->async_wait(use_tuple) ||
                           socket.async_read_some(net::buffer(sink), use_tuple));
    if (which.index() == 1) {
      auto [rec, rn] = std::get<1>(which);
      if (rec) break;  // client closed
    }
    conn->woken = false;
  }
  if (ok) {
    deadline_in(std::chrono::seconds(5));
    co_await net::async_write(socket, http::make_chunk_last(), use_tuple);
  }
  conn->wake = nullptr;
  events->ended();
  server.metrics.add_open_streams(-1);
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
      } else if (c->idle && c->socket) {
        boost::system::error_code ignored;
        c->socket->cancel(ignored);  // waiting for a next request: none comes
      }
    });
  }
  // Wait for the connections to finish, bounded by the grace period, then stop every loop. Near
  // its end (2 s before, or half-way through a shorter one) whatever still holds a worker is told
  // to end (on_grace_ending), so that its request is answered before the loops stop.
  const auto grace = std::chrono::seconds(config.shutdown_grace_seconds);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  const auto hurry_at =
      deadline - std::min<std::chrono::steady_clock::duration>(std::chrono::seconds(2), grace / 2);
  std::thread([this, deadline, hurry_at] {
    bool hurried = false;
    while (connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      if (!hurried && grace_ending && std::chrono::steady_clock::now() >= hurry_at) {
        hurried = true;
        log::warn("shutdown: ending what still runs", {{"connections", connections.load()}});
        grace_ending();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
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

void Server::on_grace_ending(std::function<void()> hurry) {
  impl_->grace_ending = std::move(hurry);
}

}  // namespace o4o::core
