#include "core/http.hpp"

#include <future>

#include <strings.h>
#include <unistd.h>

#include "core/errors.hpp"

namespace o4o::core {

std::string_view method_name(Method m) {
  switch (m) {
    case Method::get:
      return "GET";
    case Method::head:
      return "HEAD";
    case Method::post:
      return "POST";
    case Method::put:
      return "PUT";
    case Method::patch:
      return "PATCH";
    case Method::del:
      return "DELETE";
    case Method::options:
      return "OPTIONS";
    case Method::other:
      break;
  }
  return "OTHER";
}

namespace {
bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return std::string_view(h.value);
  return std::nullopt;
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

OpenFile::~OpenFile() {
  if (fd >= 0) ::close(fd);
}

Response& Response::set_header(std::string name, std::string value) {
  for (auto& h : headers) {
    if (iequals(h.name, name)) {
      h.value = std::move(value);
      return *this;
    }
  }
  headers.push_back({std::move(name), std::move(value)});
  return *this;
}

const AuthUser& Request::user() const {
  if (!caller.user) throw err::unauthorized();
  return *caller.user;
}

void Later::give(Response r) {
  std::function<void(Response)> waiter;
  {
    std::lock_guard lock(mutex_);
    if (!waiter_) {
      answer_.emplace(std::move(r));
      return;
    }
    waiter = std::move(waiter_);
  }
  waiter(std::move(r));
}

Response Later::wait() {
  std::promise<Response> promise;
  auto answer = promise.get_future();
  when_given([&promise](Response r) { promise.set_value(std::move(r)); });
  return answer.get();
}

void Later::when_given(std::function<void(Response)> f) {
  std::optional<Response> ready;
  {
    std::lock_guard lock(mutex_);
    if (!answer_) {
      waiter_ = std::move(f);
      return;
    }
    ready = std::move(answer_);
  }
  f(std::move(*ready));
}

}  // namespace o4o::core
