#pragma once
// Image work through libvips: only the JPEG, PNG, WebP, GIF and HEIF/AVIF loaders can run (every
// other one, SVG, PDF and ImageMagick among them, is blocked at start), the header is checked
// before anything is decoded, pixels are read sequentially with fail-on errors, orientation is
// applied and every piece of metadata dropped, and the result is written as WebP.
#include <cstdint>
#include <string>
#include <vector>

#include "services/media/sniff.hpp"

namespace o4o::services::media {

// Starts libvips once per process and blocks every loader but the allowed ones. Idempotent;
// every function below calls it first, so no image is ever opened with a loader unblocked.
void init_image_library();

struct ImageLimits {
  std::uint64_t max_pixels = 40'000'000;  // width x height (x frames), from the header
  int max_side = 16383;                   // WebP's limit: larger images are scaled to fit
};

struct Variant {
  std::string path;  // where to write the WebP
  int box = 0;       // longest side at most this (0: the full size, within max_side)
};

struct ImageResult {
  int width = 0;  // of the full-size WebP, orientation applied
  int height = 0;
};

// Why an image was refused: `unsupported` (not an allowed format: 415), else damaged, truncated
// or too large (400). The message is safe for the client.
struct ImageRejected {
  bool unsupported = false;
  std::string message;
};

// Decodes the image file (already sniffed as `kind`) and writes each variant. Throws
// ImageRejected; the caller removes what was written when it does.
ImageResult process_image(const std::string& path, Kind kind, const std::vector<Variant>& variants,
                          const ImageLimits& limits);

// A small demo picture (a two-colour gradient with a circle) as WebP bytes, for seed data.
std::string demo_image_webp(int width, int height, std::uint32_t rgb_from, std::uint32_t rgb_to);

}  // namespace o4o::services::media
