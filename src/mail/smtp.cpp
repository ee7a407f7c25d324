#include "mail/smtp.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <cstring>
#include <memory>

namespace o4o::mail {
namespace {

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Upload {
  const std::string* data;
  std::size_t offset = 0;
};

size_t on_read(char* buffer, size_t size, size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, u->data->size() - u->offset);
  std::memcpy(buffer, u->data->data() + u->offset, n);
  u->offset += n;
  return n;
}

bool loopback_host(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return false;
  const std::string host(parsed->host());
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1";
}

void check(CURLcode code) {
  if (code != CURLE_OK)
    throw std::runtime_error(std::string("libcurl option refused: ") + curl_easy_strerror(code));
}

}  // namespace

void smtp_send(const SmtpSettings& settings, const std::string& from_address,
               const std::string& to_address, const std::string& message) {
  // curl_global_init ran in core::http_call's first use or here; it is idempotent behind libcurl's
  // own counter only when not raced, so it runs once through a function-local static.
  static const bool global = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!global) throw SmtpError("libcurl could not be initialised", false);
  std::unique_ptr<CURL, EasyDeleter> handle(curl_easy_init());
  if (!handle) throw SmtpError("libcurl could not make a handle", false);
  CURL* c = handle.get();
  const bool smtps = settings.url.rfind("smtps://", 0) == 0;

  check(curl_easy_setopt(c, CURLOPT_URL, settings.url.c_str()));
  check(curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps"));
  check(curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L));
  const long timeout_ms = std::max<long>(1, static_cast<long>(settings.timeout.count()));
  check(curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms));
  check(curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min<long>(timeout_ms, 10'000)));
  if (!smtps) {
    check(curl_easy_setopt(c, CURLOPT_USE_SSL, loopback_host(settings.url)
                                                   ? static_cast<long>(CURLUSESSL_TRY)
                                                   : static_cast<long>(CURLUSESSL_ALL)));
  }
  check(curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L));
  check(curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L));
  if (!settings.ca_file.empty()) check(curl_easy_setopt(c, CURLOPT_CAINFO, settings.ca_file.c_str()));
  const std::string from = "<" + from_address + ">";
  check(curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str()));
  std::unique_ptr<curl_slist, SlistDeleter> rcpt(
      curl_slist_append(nullptr, ("<" + to_address + ">").c_str()));
  if (!rcpt) throw std::bad_alloc();
  check(curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get()));
  Upload upload{&message};
  check(curl_easy_setopt(c, CURLOPT_READFUNCTION, &on_read));
  check(curl_easy_setopt(c, CURLOPT_READDATA, &upload));
  check(curl_easy_setopt(c, CURLOPT_UPLOAD, 1L));
  check(curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size())));

  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return;
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  std::string what = std::string("SMTP: ") + curl_easy_strerror(rc);
  if (code > 0) what += " (" + std::to_string(code) + ")";
  // A 5xx answer to the mail itself (sender, recipient, content) is final; a refused login or
  // TLS may be fixed by the operator, so those are retried like a server that is away.
  const bool permanent = code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED;
  throw SmtpError(what, permanent);
}

}  // namespace o4o::mail
