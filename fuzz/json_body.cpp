// libFuzzer target for the JSON body reader (src/core/json_body.cpp). Any body sent as
// application/json is read or refused with an ApiError (400 INVALID_JSON / VALIDATION_ERROR) and
// nothing else; the getters on whatever parsed record problems instead of throwing, and a string
// they hand back is valid UTF-8 within the asked length, trimmed.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/errors.hpp"
#include "core/json_body.hpp"
#include "core/text.hpp"

using namespace o4o::core;

namespace {

bool is_space(char c) {
  return std::string_view(kAsciiSpace).find(c) != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Request req;
  req.method = Method::post;
  req.headers.push_back({"Content-Type", "application/json"});
  req.body.assign(reinterpret_cast<const char*>(data), size);
  try {
    auto body = JsonBody::parse(req);
    for (const char* f : {"title", "content", "price", "startsAt", "id", "url", "on", "a", ""}) {
      if (auto s = body.string(f, Need::optional, 1, 20)) {
        if (!is_valid_utf8(*s) || utf8_length(*s) < 1 || utf8_length(*s) > 20) std::abort();
        if (is_space(s->front()) || is_space(s->back())) std::abort();
      }
      if (auto n = body.integer(f, Need::optional, -5, 1000)) {
        if (*n < -5 || *n > 1000) std::abort();
      }
      body.boolean(f, Need::optional);
      body.timestamp(f, Need::optional);
      body.id(f, Need::optional);
      body.url(f, Need::optional, 200);
      body.one_of(f, Need::optional, {"a", "b"});
    }
    try {
      body.finish();
    } catch (const ApiError& e) {
      if (e.status() != 400 || body.ok()) std::abort();
    }
  } catch (const ApiError& e) {
    if (e.status() != 400) std::abort();
  }
  return 0;
}
