#include "core/app_pages.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

#include "core/envelope.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json_body.hpp"
#include "core/text.hpp"

namespace o4o::core {
namespace {

// White space runs become one space; at most `max` characters (code points), with an ellipsis
// when cut. Markdown marks stay: a preview is plain text, and they are rare in a first line.
std::string plain_excerpt(std::string_view text, std::size_t max) {
  std::string collapsed;
  bool space = false;
  for (char ch : text) {
    if (std::isspace(static_cast<unsigned char>(ch))) {
      space = !collapsed.empty();
      continue;
    }
    if (space) collapsed += ' ';
    space = false;
    collapsed += ch;
  }
  if (utf8_length(collapsed) <= max) return collapsed;
  std::size_t count = 0, i = 0;
  for (; i < collapsed.size(); ++i) {
    if ((static_cast<unsigned char>(collapsed[i]) & 0xC0) != 0x80 && count++ == max - 1) break;
  }
  return collapsed.substr(0, i) + "…";
}

std::string decimal_amount(int64_t minor, int fraction_digits) {
  if (fraction_digits <= 0) return std::to_string(minor);
  int64_t scale = 1;
  for (int i = 0; i < fraction_digits; ++i) scale *= 10;
  // "1" followed by the fraction's digits, zero-padded; prices are never negative.
  const std::string fraction = std::to_string(minor % scale + scale);
  std::string out = std::to_string(minor / scale);
  out += '.';
  out += std::string_view(fraction).substr(1);
  return out;
}

void meta(std::string& out, std::string_view attr, std::string_view name, std::string_view value) {
  out += "<meta ";
  out += attr;
  out += "=\"";
  out += name;
  out += "\" content=\"";
  out += html_escape(value);
  out += "\" />\n";
}

}  // namespace

Response page_not_found() { return error_response(404, "NOT_FOUND", "Not found"); }

std::string public_origin(const Request& req, const Config& config) {
  if (!config.public_url.empty()) return config.public_url;
  if (auto host = req.header("host"); host && !host->empty() && host->size() <= 255) {
    bool sane = true;
    for (char ch : *host)
      sane = sane && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' ||
                      ch == ':' || ch == '[' || ch == ']');
    if (sane) return "http://" + std::string(*host);
  }
  return "http://" + config.host + ":" + std::to_string(config.port);
}

std::string share_head(const ShareCard& card, std::string_view page_url, std::string_view origin,
                       const Config& config) {
  const std::string description = plain_excerpt(card.description, kShareDescriptionMax);
  std::string image;
  if (card.image && !card.image->empty()) {
    image = card.image->front() == '/' ? std::string(origin) + *card.image : *card.image;
  }
  std::string out = "<title>" + html_escape(card.title) + " · O4O</title>\n";
  meta(out, "name", "description", description);
  meta(out, "property", "og:site_name", "O4O");
  meta(out, "property", "og:type", card.type);
  meta(out, "property", "og:title", card.title);
  meta(out, "property", "og:description", description);
  meta(out, "property", "og:url", page_url);
  if (!image.empty()) meta(out, "property", "og:image", image);
  if (card.price) {
    const std::string amount = decimal_amount(*card.price, config.fraction_digits);
    meta(out, "property", "product:price:amount", amount);
    meta(out, "property", "product:price:currency", config.currency);
    meta(out, "property", "og:price:amount", amount);
    meta(out, "property", "og:price:currency", config.currency);
  }
  meta(out, "name", "twitter:card", image.empty() ? "summary" : "summary_large_image");
  meta(out, "name", "twitter:title", card.title);
  meta(out, "name", "twitter:description", description);
  if (!image.empty()) meta(out, "name", "twitter:image", image);
  return out;
}

std::string app_csp(std::string_view extra_script_origins) {
  // The app's pages run only the app's own scripts (and a payment provider's widget when one is
  // configured). Pictures, videos and framed pages may come from anywhere: products, projects
  // and signage point at other hosts; signage's HTML runs in a sandboxed frame.
  std::string extra;
  if (!extra_script_origins.empty()) {
    extra += ' ';
    extra += extra_script_origins;
  }
  std::string csp = "default-src 'self'; script-src 'self'";
  csp += extra;
  csp += "; connect-src 'self'";
  csp += extra;
  csp +=
      "; style-src 'self' 'unsafe-inline'; img-src * data: blob:; media-src * data: blob:; "
      "font-src 'self' data:; frame-src *; object-src 'none'; base-uri 'self'; "
      "form-action 'self'; frame-ancestors 'none'";
  return csp;
}

std::string app_script_origins(const Config& config) {
  return config.payment_provider == "toss"
             ? "https://js.tosspayments.com https://*.tosspayments.com"
             : "";
}

void set_app_page_headers(Response& r, const std::string& csp) {
  // No page of the app may be framed (the admin pages among them: clickjacking), and other
  // sites learn at most the origin it was left from.
  r.set_header("Content-Security-Policy", csp);
  r.set_header("X-Frame-Options", "DENY");
  r.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
  r.set_header("X-Content-Type-Options", "nosniff");
  r.set_header("Cache-Control", "no-cache");
}

AppPages::AppPages(const Config& config)
    : config_(config), csp_(app_csp(app_script_origins(config))) {}

Response AppPages::render(const Request& req, const ShareCard* card, int status) const {
  if (config_.web_root.empty()) return page_not_found();
  // Read per request: a few hundred bytes, and a rebuilt app is served without a restart.
  std::ifstream in(config_.web_root + "/index.html", std::ios::binary);
  if (!in) return page_not_found();
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string html = buf.str();
  if (card) {
    const std::string origin = public_origin(req, config_);
    const std::string head = share_head(*card, origin + req.path, origin, config_);
    // The card's <title> replaces the app's; the rest goes before </head>.
    const auto t0 = html.find("<title>");
    const auto t1 = html.find("</title>");
    if (t0 != std::string::npos && t1 != std::string::npos && t1 > t0) {
      html.erase(t0, t1 + 8 - t0);
    }
    const auto end = html.find("</head>");
    if (end == std::string::npos) return page_not_found();
    html.insert(end, head);
  }
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  set_app_page_headers(r, csp_);
  r.body = std::move(html);
  return r;
}

Response AppPages::share(const Request& req, std::string_view id,
                         const std::function<ShareCard(const std::string&)>& find) const {
  if (!is_uuid(id)) return render(req, nullptr);
  try {
    const ShareCard card = find(std::string(id));
    return render(req, &card);
  } catch (const ApiError& e) {
    if (e.status() != 404) throw;
    return render(req, nullptr, 404);
  }
}

}  // namespace o4o::core
