#pragma once
// Pages of the web app that a link is shared to (a product, a project, a forum post): the app's
// index.html with the page's title and Open Graph / Twitter card tags in its head, so that a
// KakaoTalk, Slack or X preview (none of which run scripts) shows its title, picture and price.
// Services register these paths in their route tables and fill a ShareCard; the app's scripts
// then take over in the browser as on any other page.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "core/http.hpp"

namespace o4o::core {

struct ShareCard {
  std::string title;
  std::string description;           // plain text; shortened to kShareDescriptionMax characters
  std::optional<std::string> image;  // absolute, or root-relative (/media/...) and made absolute
  std::string type = "website";      // og:type: website, article, product
  std::optional<int64_t> price;      // minor units of the platform currency (products)
};

inline constexpr std::size_t kShareDescriptionMax = 200;

// Where browsers reach the web app: O4O_PUBLIC_URL, else the Host the browser used (when it looks
// like a host name), else the listening address.
std::string public_origin(const Request& req, const Config& config);

// The plain 404 of a page or file that is not there (the error envelope, as the API's).
Response page_not_found();

// The tags for the head: <title>, description, og:* and twitter:*, every value escaped.
std::string share_head(const ShareCard& card, std::string_view page_url, std::string_view origin,
                       const Config& config);

// The Content-Security-Policy of the app's pages; `extra_script_origins` may also serve scripts.
std::string app_csp(std::string_view extra_script_origins);
// Script origins besides the app's own: a payment provider's widget when one is configured.
std::string app_script_origins(const Config& config);
// The headers every HTML page of the app carries (CSP, no framing, referrer policy, no caching).
void set_app_page_headers(Response& r, const std::string& csp);

class AppPages {
 public:
  explicit AppPages(const Config& config);
  // index.html with the card (if any) in its head, answered with `status` (404 for a page whose
  // thing does not exist: the app then shows its "not found" page). No web root or index.html:
  // the 404 envelope, as StaticFiles answers.
  Response render(const Request& req, const ShareCard* card, int status = 200) const;
  // The page of the thing with this id: `find` gives its card, or throws 404 (the page is then
  // answered 404). An id that is not a UUID is one of the app's own words (/projects/new): its
  // page without a card.
  Response share(const Request& req, std::string_view id,
                 const std::function<ShareCard(const std::string&)>& find) const;

 private:
  const Config& config_;
  std::string csp_;
};

}  // namespace o4o::core
