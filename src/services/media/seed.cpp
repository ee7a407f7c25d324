// The media demo data for `o4o seed`.
#include <iostream>

#include "accounts/accounts.hpp"
#include "core/app_context.hpp"
#include "services/media/demo.hpp"
#include "services/media/image.hpp"
#include "services/media/service.hpp"
#include "services/media/store.hpp"

namespace o4o::services::media {

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
