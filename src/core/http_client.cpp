#include "core/http_client.hpp"

#include "core/text.hpp"
#include "core/trace.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace o4o::core {

namespace {

// A response bigger than this is not one a provider sends; the call is given up as unknown.
constexpr size_t kMaxResponseBytes = 4 * 1024 * 1024;

// curl_global_init is not safe to race with itself or with easy handles being made, so it runs
// once, before the first call, through a function-local static (initialised exactly once).
void ensure_curl_global() {
  struct Global {
    Global() {
      if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        throw std::runtime_error("libcurl could not be initialised");
    }
    ~Global() { curl_global_cleanup(); }
  };
  static const Global global;
}

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

// One handle per thread, reset before each call: libcurl keeps its connections (and TLS sessions)
// with the handle, so calls to the same provider from a worker skip the TCP and TLS handshakes.
// A kept connection the other side has closed meanwhile is noticed by libcurl, which then connects
// anew; a request it sends again that way carries the caller's idempotency key like any retry.
CURL* thread_handle() {
  thread_local EasyHandle handle;
  if (!handle) handle.reset(curl_easy_init());
  if (!handle) throw std::runtime_error("libcurl could not make a handle");
  curl_easy_reset(handle.get());
  return handle.get();
}

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

void append_header(HeaderList& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (!grown) throw std::bad_alloc();
  (void)list.release();  // curl_slist_append returned the same list, now one longer
  list.reset(grown);
}

struct Collected {
  OutboundResponse response;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* c = static_cast<Collected*>(user);
  const size_t n = size * count;
  if (c->response.body.size() + n > kMaxResponseBytes) {
    c->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  c->response.body.append(data, n);
  return n;
}

// Around a header's name and value: optional white space (RFC 9110 OWS) and the line's CRLF.
constexpr std::string_view kHeaderSpace = " \t\r\n";

// Called once per header line, the status line included. An interim response (100 Continue)
// has its own status line: the headers of the final response replace what came before.
size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* c = static_cast<Collected*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    c->response.headers.clear();
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;
  std::string name(trim(line.substr(0, colon), kHeaderSpace));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  std::string value(trim(line.substr(colon + 1), kHeaderSpace));
  c->response.headers.push_back({std::move(name), std::move(value)});
  return n;
}

// "POST api.example.com" for messages and logs: never the path, the query or any user info,
// which may hold a payment key or credentials.
std::string describe(const OutboundRequest& r) {
  auto parsed = boost::urls::parse_uri(r.url);
  std::string host = parsed ? std::string(parsed->host()) : std::string("(bad URL)");
  return r.method + " " + host;
}

void check(CURLcode code) {
  if (code != CURLE_OK)
    throw std::runtime_error(std::string("libcurl option refused: ") + curl_easy_strerror(code));
}

}  // namespace

namespace {
OutboundResponse http_call_untraced(const OutboundRequest& request, const std::string& what,
                                    const trace::Span& span) {
  if (!request.url.starts_with("http://") && !request.url.starts_with("https://"))
    throw std::invalid_argument("outbound call " + what + ": only http and https URLs");

  CURL* c = thread_handle();
  // Between calls the handle keeps no pointer to this call's buffers, headers or callbacks' data.
  struct ResetOnExit {
    CURL* c;
    ~ResetOnExit() { curl_easy_reset(c); }
  } reset_on_exit{c};
  Collected collected;

  check(curl_easy_setopt(c, CURLOPT_URL, request.url.c_str()));
  check(curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https"));
  check(curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L));
  // No signals: timeouts must not use SIGALRM in a multi-threaded server.
  check(curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L));
  const long timeout_ms = std::max<long>(1, static_cast<long>(request.timeout.count()));
  check(curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms));
  check(curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms));
  check(curl_easy_setopt(c, CURLOPT_USERAGENT, "o4o"));
  check(curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body));
  check(curl_easy_setopt(c, CURLOPT_WRITEDATA, &collected));
  check(curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &on_header));
  check(curl_easy_setopt(c, CURLOPT_HEADERDATA, &collected));

  const std::string& m = request.method;
  if (m == "GET") {
    check(curl_easy_setopt(c, CURLOPT_HTTPGET, 1L));
  } else if (m == "POST" || m == "PUT" || m == "DELETE") {
    if (m == "POST") {
      check(curl_easy_setopt(c, CURLOPT_POST, 1L));
    } else {
      check(curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, m.c_str()));
    }
    if (m != "DELETE" || !request.body.empty()) {
      check(curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(request.body.size())));
      check(curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str()));
    }
  } else {
    throw std::invalid_argument("outbound call: unsupported method " + m);
  }

  HeaderList headers;
  bool sets_traceparent = false;
  for (const auto& hd : request.headers) {
    sets_traceparent = sets_traceparent || boost::iequals(hd.name, "traceparent");
    if (hd.name.find_first_of(":\r\n") != std::string::npos ||
        hd.value.find_first_of("\r\n") != std::string::npos)
      throw std::invalid_argument("outbound call " + what + ": bad header " + hd.name);
    append_header(headers, hd.name + ": " + hd.value);
  }
  if (span.active() && !sets_traceparent) {
    append_header(headers, "traceparent: " + span.traceparent());
    if (!span.tracestate().empty()) append_header(headers, "tracestate: " + span.tracestate());
  }
  // No "Expect: 100-continue" round trip before larger bodies: one request, one answer.
  append_header(headers, "Expect:");
  check(curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get()));

  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    if (collected.too_large)
      throw OutboundUnavailable("outbound call " + what + ": answer larger than " +
                                std::to_string(kMaxResponseBytes) + " bytes");
    if (rc == CURLE_OPERATION_TIMEDOUT)
      throw OutboundUnavailable("outbound call " + what + ": no answer within " +
                                std::to_string(timeout_ms) + " ms");
    // curl_easy_strerror names the kind of failure only (refused, TLS, reset), never the URL.
    throw OutboundUnavailable("outbound call " + what + ": " + curl_easy_strerror(rc));
  }
  long status = 0;
  check(curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status));
  collected.response.status = static_cast<int>(status);
  return std::move(collected.response);
}
}  // namespace

OutboundResponse http_call(const OutboundRequest& request) {
  ensure_curl_global();
  const std::string what = describe(request);
  // A client span inside the request's; the called server continues it (traceparent).
  trace::Span span("HTTP " + what, trace::Kind::client);
  span.attribute("http.request.method", request.method);
  try {
    auto response = http_call_untraced(request, what, span);
    span.attribute("http.response.status_code", static_cast<int64_t>(response.status));
    if (response.status >= 500) span.set_error();
    return response;
  } catch (...) {
    span.set_error();
    throw;
  }
}

}  // namespace o4o::core
