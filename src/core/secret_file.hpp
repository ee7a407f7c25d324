#pragma once
#include <string>

namespace o4o::core {

// A random secret kept in `data_dir/name`: read when it is there, else generated (64 hex
// characters) and written race-free, so that two processes starting at once share one.
std::string load_or_create_secret(const std::string& data_dir, const std::string& name);

}  // namespace o4o::core
