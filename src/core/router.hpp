#pragma once
// Routes are plain data: a method, a pattern with ":name" parameters, where the handler runs, and
// the handler. The router finds the route, or tells 404 from 405 (with the allowed methods).
#include <array>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/access.hpp"
#include "core/http.hpp"

namespace o4o::core {

// Where a handler runs. Never on the IO threads when it may touch the database.
enum class Exec {
  io,   // cheap, no blocking: health, metrics, config
  db,   // the default: database work on the worker pool
  cpu,  // password hashing: its own small pool, so a burst of logins cannot starve the rest
};

using Handler = std::function<Response(Request&)>;
// Whether one request of an Exec::cpu route will hash a password (and so counts toward
// O4O_PASSWORD_HASH_PER_MIN); asked on the IO thread before the handler runs, so it must be cheap
// and must never say no to a request that will hash.
using HashesPassword = bool (*)(const Request&);

// A read the read cache (core/read_cache.hpp) may answer on the IO thread, without the hop to a
// worker: what a route's cached-read function says of one request.
struct CachedRead {
  std::string key;  // the very key the handler's service reads the cache with
  // The answer's data from the kept text, when a per-viewer field is to be put back with its
  // anonymous reader's value (forum's likedByMe: false); null: the kept text as it is.
  std::string (*data)(const std::string& kept) = nullptr;
};
// From the request's path parameters and query to its cached read; nullopt when the request is
// not one memory may answer (a search, a later page, a signed-in viewer of a per-viewer field).
// It may throw on a bad query: the request then goes to the handler, which answers the 400.
using CachedReadOf = std::function<std::optional<CachedRead>(const Request&)>;
// The cached read of a key whose kept text is the answer's data as it is.
inline std::optional<CachedRead> as_is(std::optional<std::string> key) {
  if (!key) return std::nullopt;
  return CachedRead{std::move(*key), nullptr};
}

struct Route {
  Method method;
  std::string pattern;  // "/api/v1/forum/posts/:id/comments/:commentId"
  Handler handler;
  Exec exec = Exec::db;
  Access access = Access::anyone;  // checked by the dispatcher before the handler runs
  // Set for a route whose body is a file upload (multipart/form-data streamed to disk).
  std::shared_ptr<const UploadSpec> upload;
  // Set for a public read whose answer the read cache may hold: a hit is answered on the IO
  // thread exactly as the handler would answer it (Dispatcher::answer_from_cache); a miss, or a
  // request it does not name, runs the handler as usual.
  CachedReadOf cached;
  // Only on an Exec::cpu route that hashes for some requests and not others (PUT /users/:id: a
  // password change, not a language switch): the requests that count toward the password-hashing
  // limit. Null: every request of an Exec::cpu route counts, an ill-formed one included.
  HashesPassword hashes = nullptr;
};

// A row of a service's route table: the literal path, who may call it, and a member function of
// the service's handler object H. Services register their routes as one such table (see
// docs/ARCHITECTURE.md).
template <class H>
struct RouteOf {
  using HandlerFn = Response (H::*)(Request&);
  using CachedFn = std::optional<CachedRead> (H::*)(const Request&) const;
  RouteOf(Method m, std::string_view p, Access a, HandlerFn h, Exec e = Exec::db,
          std::shared_ptr<const UploadSpec> u = nullptr)
      : method(m), pattern(p), access(a), handler(h), exec(e), upload(std::move(u)) {}
  // A public read the read cache may answer on the IO thread (see Route::cached).
  RouteOf(Method m, std::string_view p, Access a, HandlerFn h, CachedFn c)
      : method(m), pattern(p), access(a), handler(h), cached(c) {}
  // A route on the CPU pool that hashes a password only for some requests (see Route::hashes).
  RouteOf(Method m, std::string_view p, Access a, HandlerFn h, Exec e, HashesPassword hp)
      : method(m), pattern(p), access(a), handler(h), exec(e), hashes(hp) {}

  Method method;
  std::string_view pattern;
  Access access;
  HandlerFn handler;
  Exec exec = Exec::db;
  std::shared_ptr<const UploadSpec> upload = nullptr;  // see Route::upload
  CachedFn cached = nullptr;                           // see Route::cached
  HashesPassword hashes = nullptr;                     // see Route::hashes
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method
  bool path_known = false;       // some route has this path (then it is 405, not 404)
  std::string allow;             // "GET, PUT" when path_known and route is null
};

class Router {
 public:
  // Throws std::logic_error on a duplicate (method, pattern), for a route on the IO threads
  // whose access rule needs the database, for a cached read that is not a public GET, and for a
  // password-hashing predicate on a route off the CPU pool.
  void add(Route route);
  // Adds a service's route table, each handler called on `handlers` (which the routes keep alive).
  template <class H>
  void add_table(std::shared_ptr<H> handlers, std::initializer_list<RouteOf<H>> table) {
    for (const auto& row : table) {
      CachedReadOf cached;
      if (row.cached)
        cached = [handlers, fn = row.cached](const Request& req) { return ((*handlers).*fn)(req); };
      add({row.method, std::string(row.pattern),
           [handlers, fn = row.handler](Request& req) { return ((*handlers).*fn)(req); }, row.exec,
           row.access, row.upload, std::move(cached), row.hashes});
    }
  }
  // Fills req.params on a match.
  RouteMatch match(Method method, std::string_view path,
                   std::vector<std::pair<std::string, std::string>>& params) const;
  // The route registered with exactly this method and pattern ("/api/v1/forum/posts/:id"), or
  // null: for entry points that adapt a route (MCP tools) and apply its access rule themselves.
  const Route* find(Method method, std::string_view pattern) const;
  const std::vector<Route>& routes() const { return routes_; }

  // An endpoint that speaks a protocol of its own (MCP's JSON-RPC) says how the error envelopes
  // the core answers on its path become that protocol's errors: the refusals made before its
  // handler runs (413, 429, ...) or when it throws. The dispatcher applies it to every answer on
  // exactly that path (Dispatcher::finish); it leaves other answers alone.
  using ErrorFormat = std::function<void(Response&)>;
  void set_error_format(std::string path, ErrorFormat format);
  // The format for a request path or target (a query is ignored); null when none.
  const ErrorFormat* error_format(std::string_view path) const;

 private:
  struct Compiled {
    std::vector<std::string> segments;  // ":name" for parameters
  };
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
  // Indices of the routes by their number of segments (at most 16), in the order added.
  std::array<std::vector<std::size_t>, 17> by_count_;
  std::vector<std::pair<std::string, ErrorFormat>> error_formats_;
};

}  // namespace o4o::core
