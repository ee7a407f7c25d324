#pragma once
// Routes are plain data: a method, a pattern with ":name" parameters, where the handler runs, and
// the handler. The router finds the route, or tells 404 from 405 (with the allowed methods).
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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
  // Set for a route whose body is a file upload (multipart/form-data streamed to disk).
  std::shared_ptr<const UploadSpec> upload;
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method
  bool path_known = false;       // some route has this path (then it is 405, not 404)
  std::string allow;             // "GET, PUT" when path_known and route is null
};

class Router {
 public:
  // Throws std::logic_error on a duplicate (method, pattern).
  void add(Route route);
  // Fills req.params on a match.
  RouteMatch match(Method method, std::string_view path,
                   std::vector<std::pair<std::string, std::string>>& params) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // ":name" for parameters
  };
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace o4o::core
