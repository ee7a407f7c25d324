#include "core/demo_media.hpp"

#include "core/ids.hpp"

namespace o4o::core {

std::string demo_media_stem(std::string_view word) {
  return sha256_hex("o4o demo picture: " + std::string(word)).substr(0, 32);
}

}  // namespace o4o::core
