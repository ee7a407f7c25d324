#pragma once
// The core::ApiError a call throws: its HTTP status (what most service tests assert) or the whole
// error (code, Retry-After).
#include <functional>

#include "core/errors.hpp"

namespace o4o::unit_test {

// The ApiError f throws; status 0 and an empty code when it returns normally.
inline core::ApiError error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::ApiError& e) {
    return e;
  }
  return core::ApiError(0, "", "");
}

// The status f throws as a core::ApiError; 0 when it returns normally.
inline int status_of(const std::function<void()>& f) { return error_of(f).status(); }

}  // namespace o4o::unit_test
