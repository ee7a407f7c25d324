#pragma once
// Plain request/response values: routes and services see these, never Beast or Asio types.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/caller.hpp"
#include "core/trace.hpp"

namespace o4o::db {
class Session;
}

namespace o4o::core {

enum class Method { get, head, post, put, patch, del, options, other };

std::string_view method_name(Method m);

struct Header {
  std::string name;
  std::string value;
};

class EventStream;
struct UploadedFile;

// A file the session sends as (part of) a response body, read in pieces as the socket takes
// them, so that a large video is never held in memory. Closed when the last owner lets go.
struct OpenFile {
  explicit OpenFile(int descriptor) : fd(descriptor) {}
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  ~OpenFile();
  int fd;
};
struct FileBody {
  std::shared_ptr<OpenFile> file;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// A route that takes a file upload: the session streams its multipart/form-data body to a
// temporary file in `temp_dir` (never into Request::body) and refuses it with 413, reading and
// discarding a bounded rest, once the file passes `limit(head)` bytes; `limit` is asked once the
// file's first bytes are known.
struct UploadSpec {
  std::string temp_dir;
  std::uint64_t most = 0;  // the largest file any upload may bring (what limit() can answer)
  std::function<std::uint64_t(std::string_view head)> limit;
};
class Later;

struct Request {
  Method method = Method::get;
  std::string target;  // as received: path and query, still encoded
  std::string path;    // percent-decoded path, no query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::vector<Header> headers;
  std::string body;
  std::string client_ip;  // socket peer, or the X-Forwarded-For hop of a trusted proxy
  std::string request_id;
  std::vector<std::pair<std::string, std::string>> params;  // path parameters, e.g. {"id", "..."}
  // How often the session has already run this request's handler again (run_again_after).
  int reruns = 0;
  // Who is calling: set by the dispatcher from the route's access rule (core/access.hpp) before
  // the handler runs.
  Caller caller;

  // The caller's account; set for every route whose rule is user, creator or admin (401 where
  // there is none).
  const AuthUser& user() const;
  // W3C trace context: this request's span (set by Dispatcher::plan) and the caller's span, when
  // a valid traceparent named one.
  trace::Context trace;
  std::optional<trace::SpanId> trace_parent;
  // The file of an upload route's multipart body (see UploadSpec); null elsewhere.
  std::shared_ptr<UploadedFile> upload;
  // With read replicas: who the request is and what its reads must see (db/session.hpp), set by
  // the dispatcher; the database finds it in scope while the handler runs.
  std::shared_ptr<db::Session> db_session;

  // Case-insensitive; the first occurrence.
  std::optional<std::string_view> header(std::string_view name) const;
  // The first occurrence of a query parameter.
  std::optional<std::string_view> query_param(std::string_view name) const;
  // A path parameter named in the route pattern (":id"); empty when absent.
  std::string_view param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<Header> headers;
  // Set by handlers that answer text/event-stream: the session writes the headers, then
  // forwards whatever is sent on the stream until either side closes it.
  std::shared_ptr<EventStream> stream;
  bool close = false;  // ask the session to close the connection after this response
  // Set by a handler that must wait for another request (a parallel Idempotency-Key duplicate
  // waits for the first): the session runs the handler again after this delay and holds no
  // worker thread meanwhile. Honoured for routes that run on a worker pool.
  std::optional<std::chrono::milliseconds> run_again_after;
  // Sent after the headers instead of `body` (Content-Length is its length).
  std::optional<FileBody> file;
  // Set by a handler whose answer comes after it returns (a write waiting for its group commit):
  // the session waits for the answer given to it, holding no worker meanwhile; that answer may
  // itself ask to run again. Honoured for routes that run on a worker pool.
  std::shared_ptr<Later> later;

  Response& set_header(std::string name, std::string value);
};

// An answer given later, from any thread, once.
class Later {
 public:
  void give(Response r);
  // The session's: f gets the answer, at once when it has already been given (on this thread),
  // else on the thread that gives it.
  void when_given(std::function<void(Response)> f);
  // Blocks this thread until the answer is given: for in-process callers of a handler that have a
  // thread to spare (the session never does this).
  Response wait();

 private:
  std::mutex mutex_;
  std::optional<Response> answer_;
  std::function<void(Response)> waiter_;
};

}  // namespace o4o::core
