#pragma once
// Routes are plain data: a method, a pattern with ":name" parameters, where the handler runs, and
// the handler. The router finds the route, or tells 404 from 405 (with the allowed methods).
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
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

struct Route {
  Method method;
  std::string pattern;  // "/api/v1/forum/posts/:id/comments/:commentId"
  Handler handler;
  Exec exec = Exec::db;
  Access access = Access::anyone;  // checked by the dispatcher before the handler runs
  // Set for a route whose body is a file upload (multipart/form-data streamed to disk).
  std::shared_ptr<const UploadSpec> upload;
};

// A row of a service's route table: the literal path, who may call it, and a member function of
// the service's handler object H. Services register their routes as one such table (see
// docs/ARCHITECTURE.md).
template <class H>
struct RouteOf {
  Method method;
  std::string_view pattern;
  Access access;
  Response (H::*handler)(Request&);
  Exec exec = Exec::db;
  std::shared_ptr<const UploadSpec> upload = nullptr;  // see Route::upload
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method
  bool path_known = false;       // some route has this path (then it is 405, not 404)
  std::string allow;             // "GET, PUT" when path_known and route is null
};

class Router {
 public:
  // Throws std::logic_error on a duplicate (method, pattern), and for a route on the IO threads
  // whose access rule needs the database.
  void add(Route route);
  // Adds a service's route table, each handler called on `handlers` (which the routes keep alive).
  template <class H>
  void add_table(std::shared_ptr<H> handlers, std::initializer_list<RouteOf<H>> table) {
    for (const auto& row : table) {
      add({row.method, std::string(row.pattern),
           [handlers, fn = row.handler](Request& req) { return ((*handlers).*fn)(req); }, row.exec,
           row.access, row.upload});
    }
  }
  // Fills req.params on a match.
  RouteMatch match(Method method, std::string_view path,
                   std::vector<std::pair<std::string, std::string>>& params) const;
  // The route registered with exactly this method and pattern ("/api/v1/forum/posts/:id"), or
  // null: for entry points that adapt a route (MCP tools) and apply its access rule themselves.
  const Route* find(Method method, std::string_view pattern) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // ":name" for parameters
  };
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace o4o::core
