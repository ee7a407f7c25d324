// The media service: image and video uploads, their variants, and the files under /media.

#include "accounts/accounts.hpp"
#include "core/app_context.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "services/media/demo.hpp"
#include "services/media/image.hpp"
#include "services/media/routes.hpp"

namespace o4o::services::media {

void attach(core::AppContext&) {}

void register_routes(core::Router& router, core::AppContext& ctx) {
  // libvips starts with the first image (process_image calls init_image_library, which blocks
  // every loader but the allowed ones before that image is looked at): a server that has not
  // received an image yet stays small (its modules and caches cost about 10 MB of memory).
  auto module = std::make_shared<MediaModule>(ctx);
  module->store.sweep_stale_uploads();
  add_routes(router, ctx, module);
}

// seed(): seed.cpp.

}  // namespace o4o::services::media
