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
  Handlers(core::AppContext& ctx, std::shared_ptr<MediaModule> module)
      : ctx_(ctx), module_(std::move(module)), service_(module_->service) {}

  // The body was streamed to a temporary file by the session (core/upload.hpp).
  Response upload(Request& req) {
    auto user = ctx_.auth.require_user(req);
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
    auto user = ctx_.auth.require_user(req);
    return core::ok(media_json(service_.get(user, std::string(req.param("id")))));
  }

  Response remove(Request& req) {
    auto user = ctx_.auth.require_user(req);
    service_.remove(user, std::string(req.param("id")));
    return core::ok(nullptr);
  }

  Response file(Request& req) { return serve_media_file(module_->store, req); }

 private:
  core::AppContext& ctx_;
  std::shared_ptr<MediaModule> module_;
  MediaService& service_;
};

}  // namespace

void add_routes(core::Router& router, core::AppContext& ctx,
                const std::shared_ptr<MediaModule>& module) {
  auto h = std::make_shared<Handlers>(ctx, module);
  const std::string base = "/api/v1/media";
  auto spec = std::make_shared<core::UploadSpec>();
  spec->temp_dir = module->store.upload_dir();
  spec->most = std::max(ctx.config.upload_limit_bytes, ctx.config.video_upload_limit_bytes);
  spec->limit = [module](std::string_view head) { return module->service.limit_for(head); };
  // Decoding runs on the CPU pool, never on an IO thread.
  router.add({Method::post, base, [h](Request& r) { return h->upload(r); }, core::Exec::cpu, spec});
  router.add({Method::get, base + "/:id", [h](Request& r) { return h->get(r); }});
  router.add({Method::del, base + "/:id", [h](Request& r) { return h->remove(r); }});
  // Opening a file and reading its size does not wait on the database.
  router.add({Method::get, "/media/:name", [h](Request& r) { return h->file(r); }, core::Exec::io});
}

}  // namespace o4o::services::media
