#pragma once
// Assembling the few statements whose shape depends on the request (optional filters, IN lists)
// from named fragments. A fragment marks where its parameter goes with "$?".
#include <cstddef>
#include <string>
#include <string_view>

namespace o4o::services::ecommerce {

// Appends fragment with every "$?" replaced by the given text.
void append_fragment(std::string& sql, std::string_view fragment, std::string_view replacement);
// Appends fragment with every "$?" replaced by the placeholder $number.
void append_numbered(std::string& sql, std::string_view fragment, std::size_t number);
// "$first, $first+1, ..., $first+count-1".
std::string placeholder_list(std::size_t first, std::size_t count);

}  // namespace o4o::services::ecommerce
