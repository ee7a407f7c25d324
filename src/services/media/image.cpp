#include "services/media/image.hpp"

#include <vips/vips.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
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

// A copy without metadata: EXIF (GPS among it), XMP, IPTC, ICC, comments. webpsave's `strip`
// alone leaves the EXIF chunk in place in libvips 8.14, so the fields go before saving.
Image without_metadata(VipsImage* in) {
  VipsImage* copy = nullptr;
  if (vips_copy(in, &copy, nullptr)) return Image();
  Image out(copy);
  gchar** fields = vips_image_get_fields(out.get());
  for (gchar** f = fields; f && *f; ++f) {
    std::string_view name(*f);
    for (std::string_view prefix : {"exif-", "xmp-", "iptc-", "ipct-", "icc-", "gif-comment",
                                    "png-comment", "heif-", "orientation", "jpeg-"})
      if (name.substr(0, prefix.size()) == prefix) {
        vips_image_remove(out.get(), *f);
        break;
      }
  }
  g_strfreev(fields);
  return out;
}

// libvips 8.14's webpsave writes an EXIF chunk (resolution at least) whatever `strip` says, so the
// saved file is rewritten without its EXIF and XMP chunks and with the VP8X flags that announce
// them cleared. Streams chunk by chunk; false when the file is not the WebP we expect.
bool strip_webp_chunks(const std::string& path) {
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (!in) return false;
  const std::string tmp = path + ".strip";
  std::FILE* out = std::fopen(tmp.c_str(), "wb");
  bool ok = out != nullptr;
  unsigned char head[12];
  ok = ok && std::fread(head, 1, 12, in) == 12 && std::memcmp(head, "RIFF", 4) == 0 &&
       std::memcmp(head + 8, "WEBP", 4) == 0 && std::fwrite(head, 1, 12, out) == 12;
  std::uint32_t body = 4;  // "WEBP"
  long vp8x_flags_at = -1;
  std::vector<char> buf(64 * 1024);
  while (ok) {
    unsigned char ch[8];
    std::size_t got = std::fread(ch, 1, 8, in);
    if (got == 0) break;
    if (got != 8) {
      ok = false;
      break;
    }
    const std::uint32_t size = ch[4] | (ch[5] << 8) | (ch[6] << 16) | (std::uint32_t(ch[7]) << 24);
    const std::uint32_t padded = size + (size & 1);
    const bool drop = std::memcmp(ch, "EXIF", 4) == 0 || std::memcmp(ch, "XMP ", 4) == 0;
    if (!drop) {
      if (std::memcmp(ch, "VP8X", 4) == 0) vp8x_flags_at = std::ftell(out) + 8;
      ok = std::fwrite(ch, 1, 8, out) == 8;
      body += 8 + padded;
    }
    for (std::uint32_t left = padded; ok && left > 0;) {
      const std::size_t n = std::min<std::size_t>(left, buf.size());
      ok = std::fread(buf.data(), 1, n, in) == n && (drop || std::fwrite(buf.data(), 1, n, out) == n);
      left -= static_cast<std::uint32_t>(n);
    }
  }
  if (ok) {
    unsigned char size_le[4] = {static_cast<unsigned char>(body), static_cast<unsigned char>(body >> 8),
                                static_cast<unsigned char>(body >> 16),
                                static_cast<unsigned char>(body >> 24)};
    ok = std::fseek(out, 4, SEEK_SET) == 0 && std::fwrite(size_le, 1, 4, out) == 4;
    if (ok && vp8x_flags_at >= 0) {
      unsigned char flags = 0;
      ok = std::fseek(out, vp8x_flags_at, SEEK_SET) == 0;
      std::FILE* again = std::fopen(tmp.c_str(), "rb");
      ok = ok && again && std::fseek(again, vp8x_flags_at, SEEK_SET) == 0 &&
           std::fread(&flags, 1, 1, again) == 1;
      if (again) std::fclose(again);
      flags &= static_cast<unsigned char>(~0x0C);  // EXIF (0x08) and XMP (0x04)
      ok = ok && std::fseek(out, vp8x_flags_at, SEEK_SET) == 0 && std::fwrite(&flags, 1, 1, out) == 1;
    }
  }
  std::fclose(in);
  if (out && std::fclose(out) != 0) ok = false;
  if (ok) ok = std::rename(tmp.c_str(), path.c_str()) == 0;
  if (!ok) std::remove(tmp.c_str());
  return ok;
}

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
    Image thumb(raw);
    // No EXIF, XMP, ICC or comments in what we serve.
    Image out = without_metadata(thumb.get());
    if (!out || vips_webpsave(out.get(), v.path.c_str(), "Q", 82, "strip", TRUE, "effort", 3, nullptr))
      reject("The image is damaged or cannot be read");
    if (!strip_webp_chunks(v.path)) throw std::runtime_error("could not rewrite a WebP");
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
