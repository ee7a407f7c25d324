#pragma once
// Internet messages (RFC 5322 + MIME) for the outbox: UTF-8 subjects as RFC 2047 encoded-words,
// a multipart/alternative body with a plain-text and an HTML part, each base64 in lines of 76
// characters, so that Korean text and long lines arrive intact through any relay. Pure functions.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.hpp"

namespace o4o::mail {

// The text as it may stand in a header: unchanged when it is short printable ASCII, otherwise
// "=?UTF-8?B?...?=" words of at most 75 characters (never splitting a character), folded with
// CRLF + space between them.
std::string encode_header_text(std::string_view utf8);

// Base64 in lines of at most 76 characters, each ended by CRLF.
std::string base64_lines(std::string_view data);

// "Sun, 06 Dec 2026 03:43:35 +0000"
std::string rfc5322_date(int64_t epoch_ms);

// The address part of "Name <a@b.c>" or "a@b.c" (trimmed); the display name apart.
struct Mailbox {
  std::string name;
  std::string address;
};
Mailbox parse_mailbox(std::string_view text);

struct Message {
  std::string from;  // "Name <a@b.c>" or "a@b.c"
  std::string to;    // an address
  std::string subject;
  std::string text;  // UTF-8
  std::string html;  // UTF-8; empty: a text/plain message only
  int64_t date_ms = 0;
  std::string message_id;  // unique; becomes <message_id@domain of from>
  std::string boundary;    // of the multipart body; any text not in the parts
};

// The whole message, header and body, lines ended by CRLF.
std::string build_message(const Message& m);

using core::html_escape;  // core/text.hpp

}  // namespace o4o::mail
