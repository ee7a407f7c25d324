#pragma once
// The demo data's pictures. The media service draws them when it seeds (nothing is fetched from
// another host); other services' seed data point at them by these fixed names, whatever order the
// seeds run in.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace o4o::core {

struct DemoPicture {
  std::string_view word;  // what it stands for: "coffee", "lanterns"
  std::uint32_t from;     // left colour, 0xRRGGBB
  std::uint32_t to;       // right colour
};

inline constexpr std::array<DemoPicture, 15> kDemoPictures = {{
    {"greentea", 0x3a6b35, 0xc5e0a5}, {"jam", 0x8e1b2e, 0xf29ca3},
    {"coffee", 0x3b2416, 0xc69c6d},   {"ecobag", 0x7d6b4f, 0xe8dcc4},
    {"bamboo", 0x4f7942, 0xd9e4b5},   {"candle", 0x6b4f8e, 0xe3d5f2},
    {"earbuds", 0x22313f, 0x9fb4c7},  {"charger", 0x1f2933, 0x7b8794},
    {"lamp", 0x8a6d1f, 0xf7e08c},     {"calligraphy", 0x2b2b2b, 0xd8d2c2},
    {"cookbook", 0xa0522d, 0xf4c89a}, {"scarf", 0x9b2335, 0xe7b7a1},
    {"lanterns", 0x1d3557, 0xf1c453}, {"repair", 0x2a6f97, 0xa9d6e5},
    {"photobook", 0x5c4033, 0xd6c7a1},
}};

// The 32-hex stem of a demo picture's files, the same in every database and directory.
std::string demo_media_stem(std::string_view word);
// Its full-size URL, "/media/<stem>.webp".
inline std::string demo_media_url(std::string_view word) {
  return "/media/" + demo_media_stem(word) + ".webp";
}

}  // namespace o4o::core
