#include "services/media/routes.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "core/auth.hpp"
#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/upload.hpp"
#include "services/media/serve.hpp"

namespace o4o::services::media {

namespace json = boost::json;
using core::Method;
using core::Request;
using core::Response;

namespace {

json::object media_json(const MediaObject& m) {
  const auto files = MediaStore::files_of(m);
  json::object out{{"id", m.id},
                   {"url", MediaStore::url_of(files[0])},
                   {"kind", m.kind},
                   {"contentType", m.content_type},
                   {"size", m.size},
                   {"width", m.width ? json::value(*m.width) : json::value(nullptr)},
                   {"height", m.height ? json::value(*m.height) : json::value(nullptr)}};
  if (m.kind == "image")
    out["variants"] = json::object{{"thumb", MediaStore::url_of(files[2])},
                                   {"medium", MediaStore::url_of(files[1])}};
  else
    out["variants"] = nullptr;
  return out;
}

class Handlers {
 public:
  explicit Handlers(std::shared_ptr<MediaModule> module)
      : module_(std::move(module)), service_(module_->service) {}

  // The body was streamed to a temporary file by the session (core/upload.hpp).
  Response upload(Request& req) {
    const auto& user = req.user();
    if (!req.upload) throw core::err::validation("file", "A multipart/form-data body is required");
    if (req.reruns == 0) service_.count_upload(user.id);
    // At most O4O_IMAGE_DECODES images decode at once; the others wait holding no worker.
    const bool decode = service_.needs_decode(*req.upload);
    auto slot = decode ? service_.try_decode_slot() : std::nullopt;
    if (decode && !slot) {
      Response wait;
      wait.run_again_after = std::chrono::milliseconds(20);
      return wait;
    }
    return core::created(media_json(service_.store_upload(user, *req.upload)));
  }

  Response get(Request& req) {
    return core::ok(media_json(service_.get(req.user(), std::string(req.param("id")))));
  }

  Response remove(Request& req) {
    service_.remove(req.user(), std::string(req.param("id")));
    return core::ok(nullptr);
  }

  Response file(Request& req) { return serve_media_file(module_->store, req); }

 private:
  std::shared_ptr<MediaModule> module_;
  MediaService& service_;
};

}  // namespace

void add_routes(core::Router& router, core::AppContext& ctx,
                const std::shared_ptr<MediaModule>& module) {
  using core::Access;
  using core::Exec;
  using H = Handlers;
  auto spec = std::make_shared<core::UploadSpec>();
  spec->temp_dir = module->store.upload_dir();
  spec->most = std::max(ctx.config.upload_limit_bytes, ctx.config.video_upload_limit_bytes);
  spec->limit = [module](std::string_view head) { return module->service.limit_for(head); };
  // Decoding runs on the CPU pool, never on an IO thread. Opening a file and reading its size
  // does not wait on the database, and the files are public (their names are unguessable).
  router.add_table<H>(
      std::make_shared<H>(module),
      {
          {Method::post, "/api/v1/media", Access::user, &H::upload, Exec::cpu, spec},
          {Method::get, "/api/v1/media/:id", Access::user, &H::get},
          {Method::del, "/api/v1/media/:id", Access::user, &H::remove},
          {Method::get, "/media/:name", Access::anyone, &H::file, Exec::io},
      });
}

}  // namespace o4o::services::media
