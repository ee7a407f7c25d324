// The media service: image and video uploads, their variants, and the files under /media.
#include <iostream>

#include "app/service_registry.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "services/media/demo.hpp"
#include "services/media/image.hpp"
#include "services/media/routes.hpp"

namespace o4o::services::media {

void attach(core::AppContext&) {}

void register_routes(core::Router& router, core::AppContext& ctx) {
  init_image_library();  // blocks every loader but the allowed ones before any request
  auto module = std::make_shared<MediaModule>(ctx);
  module->store.sweep_stale_uploads();
  add_routes(router, ctx, module);
}

// The demo catalogue's and campaigns' pictures, drawn here: the demo never fetches anything from
// another host. Their names are fixed (core/demo_media.hpp), so other services' seed data can
// point at them whatever order the seeds run in.
void seed(core::AppContext& ctx, const accounts::DemoAccounts& demo) {
  init_image_library();
  MediaStore store(ctx.config.media_dir);
  MediaService service(ctx.db, ctx.clock, ctx.config, store);
  int made = 0;
  for (const auto& d : demo_pictures()) {
    if (service.store_demo_webp(demo.admin_id, d.stem, [&] {
          return demo_image_webp(960, 640, d.from, d.to);
        }))
      ++made;
  }
  if (made) std::cout << "media: " << made << " demo pictures in " << store.dir() << "\n";
}

}  // namespace o4o::services::media
