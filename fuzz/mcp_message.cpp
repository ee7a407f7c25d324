// libFuzzer target for the MCP request reader (src/services/mcp/message.cpp): what /mcp does with
// a request before any method runs. The first byte picks the HTTP method and O4O_PUBLIC_URL; then
// header lines ("Name: value"), an empty line, and the body. The reader answers a message to
// dispatch or a response, never anything else:
//   - a response is 202 with no body, or a JSON-RPC 2.0 error (an integer code) with a 4xx status
//     or 200 (invalid params of a legacy request);
//   - a message has the body's id (a string or an integer), method and params, and is modern only
//     when the body's _meta names 2026-07-28 and the MCP-Protocol-Version and Mcp-Method headers
//     agree with the body.
// The Origin and Host checks and the Mcp-Name decoder take whatever the headers hold.
#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "header_lines.hpp"
#include "services/mcp/message.hpp"
#include "services/mcp/protocol.hpp"

using namespace o4o;
namespace mcp = o4o::services::mcp;
namespace json = boost::json;

namespace {

void check_response(const core::Response& r) {
  if (r.status == 202) {
    if (!r.body.empty()) std::abort();
    return;
  }
  if (r.status != 200 && (r.status < 400 || r.status > 499)) std::abort();
  boost::system::error_code ec;
  auto doc = json::parse(r.body, ec);
  if (ec || !doc.is_object()) std::abort();
  const auto& o = doc.as_object();
  const auto* version = o.if_contains("jsonrpc");
  const auto* error = o.if_contains("error");
  if (!version || *version != "2.0" || !error || !error->is_object()) std::abort();
  // The request's id, or none when it could not be read: an MCP id is never null.
  const auto* id = o.if_contains("id");
  if (id && !id->is_string() && !id->is_int64() && !id->is_uint64()) std::abort();
  const auto* code = error->as_object().if_contains("code");
  const auto* message = error->as_object().if_contains("message");
  if (!code || !code->is_int64() || !message || !message->is_string()) std::abort();
  if (r.status == 405 && !r.headers.empty() && r.headers.front().value != "POST") std::abort();
}

void check_message(const core::Request& req, const mcp::Message& m) {
  if (req.method != core::Method::post) std::abort();
  boost::system::error_code ec;
  auto doc = json::parse(req.body, ec);
  if (ec || !doc.is_object()) std::abort();
  const auto& o = doc.as_object();
  if (o.if_contains("jsonrpc") == nullptr || *o.if_contains("jsonrpc") != "2.0") std::abort();
  const auto* id = o.if_contains("id");
  if (!id || *id != m.id || !(id->is_string() || id->is_int64() || id->is_uint64())) std::abort();
  const auto* method = o.if_contains("method");
  if (!method || !method->is_string() || method->as_string() != m.method) std::abort();
  const auto* params = o.if_contains("params");
  if (params && params->is_object() ? params->as_object() != m.params : !m.params.empty())
    std::abort();
  if (params && !params->is_object() && !params->is_null()) std::abort();
  if (m.era == mcp::Era::modern) {
    const auto* meta = m.params.if_contains("_meta");
    const auto* version = meta && meta->is_object()
                              ? meta->as_object().if_contains(mcp::kMetaProtocolVersion)
                              : nullptr;
    if (!version || !version->is_string() || version->as_string() != mcp::kV20260728) std::abort();
    if (req.header("MCP-Protocol-Version") != mcp::kV20260728) std::abort();
    if (req.header("Mcp-Method") != std::string_view(m.method)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr core::Method kMethods[] = {core::Method::post, core::Method::post,
                                              core::Method::post, core::Method::get,
                                              core::Method::del,  core::Method::post};
  static constexpr std::string_view kPublicUrls[] = {"", "https://shop.example.com/",
                                                     "http://[::1]:4000", "not a url"};
  core::Request req;
  req.method = kMethods[data[0] % 6];
  const std::string_view public_url = kPublicUrls[(data[0] / 6) % 4];
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  input = o4o::fuzz::read_header_lines(input, req.headers);
  req.body = std::string(input);

  if (auto refused = mcp::refuse_origin_or_host(req, public_url)) {
    if (refused->status != 403) std::abort();
    check_response(*refused);
  }
  if (auto name = req.header("Mcp-Name")) (void)mcp::decode_header_value(*name);
  auto read = mcp::read_message(req);
  if (const auto* r = std::get_if<core::Response>(&read)) {
    check_response(*r);
  } else {
    check_message(req, std::get<mcp::Message>(read));
  }
  return 0;
}
