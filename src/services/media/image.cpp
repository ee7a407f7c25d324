#include "services/media/image.hpp"

#include <vips/vips.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>

namespace o4o::services::media {

namespace {

// The loader classes libvips may pick for each kind (after the rest are blocked).
bool loader_allowed(std::string_view loader, Kind kind) {
  switch (kind) {
    case Kind::jpeg: return loader == "VipsForeignLoadJpegFile";
    case Kind::png: return loader == "VipsForeignLoadPngFile" || loader == "VipsForeignLoadSpngFile";
    case Kind::webp: return loader == "VipsForeignLoadWebpFile";
    case Kind::gif: return loader == "VipsForeignLoadNsgifFile" || loader == "VipsForeignLoadGifFile";
    case Kind::heif:
    case Kind::avif: return loader == "VipsForeignLoadHeifFile";
    default: return false;
  }
}

struct Unref {
  void operator()(VipsImage* i) const {
    if (i) g_object_unref(i);
  }
};
using Image = std::unique_ptr<VipsImage, Unref>;

[[noreturn]] void reject(std::string message, bool unsupported = false) {
  vips_error_clear();
  throw ImageRejected{unsupported, std::move(message)};
}

}  // namespace

void init_image_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("o4o")) throw std::runtime_error("libvips failed to start");
    // Nothing marked untrusted (magick, PDF, SVG, matrix, ...) may run at all, and of the loaders
    // only the five allowed formats stay; savers are ours to call.
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (const char* allowed : {"VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadSpng",
                                "VipsForeignLoadWebp", "VipsForeignLoadNsgif", "VipsForeignLoadGif",
                                "VipsForeignLoadHeif"})
      vips_operation_block_set(allowed, FALSE);
    // One thread per decode (the CPU pool gives the parallelism), no cache of decoded images.
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
  });
}

ImageResult process_image(const std::string& path, Kind kind, const std::vector<Variant>& variants,
                          const ImageLimits& limits) {
  init_image_library();
  if (!is_image(kind)) reject("Unsupported file type", true);
  // The loader is picked from the bytes; it must be the one for what we sniffed.
  const char* loader = vips_foreign_find_load(path.c_str());
  if (!loader || !loader_allowed(loader, kind)) reject("Unsupported image type", true);

  // The header only: nothing is decoded by opening.
  Image head(vips_image_new_from_file(path.c_str(), "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                      VIPS_FAIL_ON_ERROR, nullptr));
  if (!head) reject("The image is damaged or cannot be read");
  const std::uint64_t w = static_cast<std::uint64_t>(vips_image_get_width(head.get()));
  const std::uint64_t h = static_cast<std::uint64_t>(vips_image_get_height(head.get()));
  std::uint64_t pages = 1;
  if (vips_image_get_typeof(head.get(), "n-pages")) {
    int n = 1;
    if (!vips_image_get_int(head.get(), "n-pages", &n) && n > 1) pages = static_cast<std::uint64_t>(n);
  }
  if (w == 0 || h == 0 || w * h > limits.max_pixels || w * h * pages > 4 * limits.max_pixels)
    reject("The image is larger than 40 megapixels");
  head.reset();

  ImageResult result;
  for (const auto& v : variants) {
    const int box = v.box > 0 ? v.box : limits.max_side;
    VipsImage* raw = nullptr;
    // Shrink-on-load where the format has it, sequential, orientation applied, only making
    // smaller; decoding errors and truncation stop it.
    if (vips_thumbnail(path.c_str(), &raw, box, "height", box, "size", VIPS_SIZE_DOWN, "fail_on",
                       VIPS_FAIL_ON_ERROR, nullptr))
      reject("The image is damaged or cannot be read");
    Image out(raw);
    // strip: no EXIF, XMP, ICC or comments in what we serve.
    if (vips_webpsave(out.get(), v.path.c_str(), "Q", 82, "strip", TRUE, "effort", 3, nullptr))
      reject("The image is damaged or cannot be read");
    if (v.box == 0) {
      result.width = vips_image_get_width(out.get());
      result.height = vips_image_get_height(out.get());
    }
  }
  return result;
}

std::string demo_image_webp(int width, int height, std::uint32_t from, std::uint32_t to) {
  init_image_library();
  // A left-to-right blend between the two colours, with a light circle in the middle.
  const auto c = [](std::uint32_t rgb, int shift) { return double((rgb >> shift) & 0xFF); };
  double a[3] = {c(from, 16), c(from, 8), c(from, 0)};
  double d[3] = {c(to, 16) - a[0], c(to, 8) - a[1], c(to, 0) - a[2]};
  double white[3] = {250, 250, 245};
  VipsImage *xyz = nullptr, *x = nullptr, *frac = nullptr, *rgb = nullptr, *u = nullptr,
            *m = nullptr;
  std::string bytes;
  if (!vips_xyz(&xyz, width, height, nullptr) && !vips_extract_band(xyz, &x, 0, nullptr) &&
      !vips_linear1(x, &frac, 1.0 / std::max(1, width - 1), 0.0, nullptr) &&
      !vips_linear(frac, &rgb, d, a, 3, nullptr) &&
      !vips_cast(rgb, &u, VIPS_FORMAT_UCHAR, nullptr) && (m = vips_image_copy_memory(u)) &&
      !vips_draw_circle(m, white, 3, width / 2, height / 2, std::min(width, height) / 4, "fill",
                        TRUE, nullptr)) {
    void* buf = nullptr;
    size_t len = 0;
    if (!vips_webpsave_buffer(m, &buf, &len, "Q", 80, "strip", TRUE, nullptr)) {
      bytes.assign(static_cast<const char*>(buf), len);
      g_free(buf);
    }
  }
  for (VipsImage* i : {xyz, x, frac, rgb, u, m})
    if (i) g_object_unref(i);
  vips_error_clear();
  if (bytes.empty()) throw std::runtime_error("could not make a demo image");
  return bytes;
}

}  // namespace o4o::services::media
