#pragma once
#include <string_view>

namespace o4o::core {
// The text of src/core/data/<name>, compiled into the binary; empty when there is no such file.
std::string_view embedded_data(std::string_view name);
}  // namespace o4o::core
