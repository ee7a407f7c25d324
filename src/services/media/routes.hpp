#pragma once
#include <memory>

#include "core/app_context.hpp"
#include "core/router.hpp"
#include "services/media/service.hpp"
#include "services/media/store.hpp"

namespace o4o::services::media {

// What the routes share: the media directory and the service on it.
struct MediaModule {
  explicit MediaModule(core::AppContext& ctx)
      : store(ctx.config.media_dir), service(ctx.db, ctx.clock, ctx.config, store) {}
  MediaStore store;
  MediaService service;
};

void add_routes(core::Router& router, core::AppContext& ctx,
                const std::shared_ptr<MediaModule>& module);

}  // namespace o4o::services::media
