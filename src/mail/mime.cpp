#include "mail/mime.hpp"

#include <ctime>

#include "core/base64.hpp"
#include "core/text.hpp"

namespace o4o::mail {
namespace {

// An encoded-word is at most 75 characters: "=?UTF-8?B?" + text + "?=" leaves 63 for base64, that
// is 45 bytes of UTF-8 (60 characters).
constexpr std::size_t kBytesPerWord = 45;
constexpr std::size_t kMaxPlainHeader = 70;

bool plain_header_ok(std::string_view s) {
  if (s.size() > kMaxPlainHeader) return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f) return false;
  }
  // "=?" would be read as the start of an encoded-word.
  return s.find("=?") == std::string_view::npos;
}

// How many bytes of s, at most `max`, end on a character boundary.
std::size_t utf8_cut(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s.size();
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n == 0 ? max : n;  // not UTF-8 at all: cut anyway
}

// Control characters (CR and LF above all) never reach a header.
std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  return out;
}

}  // namespace

std::string encode_header_text(std::string_view utf8) {
  const std::string clean = one_line(utf8);
  std::string_view rest = clean;
  if (plain_header_ok(rest)) return clean;
  std::string out;
  while (!rest.empty()) {
    const std::size_t n = utf8_cut(rest, kBytesPerWord);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + core::base64_encode(rest.substr(0, n), core::Base64::standard) + "?=";
    rest.remove_prefix(n);
  }
  return out;
}

std::string base64_lines(std::string_view data) {
  const std::string encoded = core::base64_encode(data, core::Base64::standard);
  std::string out;
  out.reserve(encoded.size() + encoded.size() / 76 * 2 + 2);
  for (std::size_t i = 0; i < encoded.size(); i += 76) {
    out.append(encoded, i, 76);
    out += "\r\n";
  }
  return out;
}

std::string rfc5322_date(int64_t epoch_ms) {
  const std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

Mailbox parse_mailbox(std::string_view text) {
  const auto open = text.rfind('<');
  const auto close = text.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    std::string name(core::trim(text.substr(0, open)));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
      name = name.substr(1, name.size() - 2);
    return {one_line(name), one_line(core::trim(text.substr(open + 1, close - open - 1)))};
  }
  return {"", one_line(core::trim(text))};
}

std::string build_message(const Message& m) {
  const Mailbox from = parse_mailbox(m.from);
  const auto at = from.address.find('@');
  const std::string domain = at == std::string::npos ? "localhost" : from.address.substr(at + 1);
  std::string out;
  out += "From: ";
  out += from.name.empty() ? from.address
                           : encode_header_text(from.name) + " <" + from.address + ">";
  out += "\r\nTo: " + one_line(m.to);
  out += "\r\nSubject: " + encode_header_text(m.subject);
  out += "\r\nDate: " + rfc5322_date(m.date_ms);
  out += "\r\nMessage-ID: <" + one_line(m.message_id) + "@" + domain + ">";
  out += "\r\nMIME-Version: 1.0\r\n";
  const std::string text_part =
      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
      base64_lines(m.text);
  if (m.html.empty()) return out + text_part;
  out += "Content-Type: multipart/alternative; boundary=\"" + m.boundary + "\"\r\n\r\n";
  out += "--" + m.boundary + "\r\n" + text_part;
  out += "--" + m.boundary +
         "\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
         base64_lines(m.html);
  out += "--" + m.boundary + "--\r\n";
  return out;
}

}  // namespace o4o::mail
