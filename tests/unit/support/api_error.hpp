#pragma once
// The HTTP status of the core::ApiError a call throws: what most service tests assert.
#include <functional>

#include "core/errors.hpp"

namespace o4o::unit_test {

// The status f throws as a core::ApiError; 0 when it returns normally.
inline int status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::ApiError& e) {
    return e.status();
  }
  return 0;
}

}  // namespace o4o::unit_test
