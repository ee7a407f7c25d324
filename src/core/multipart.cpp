#include "core/multipart.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace o4o::core::multipart {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 2046 bchars: DIGIT / ALPHA / "'()+_,-./:=?" and space (not last).
bool boundary_char(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

struct Param {
  std::string name;  // lowercased
  std::string value;
};

// Parses `; a=b; c="d \" e"` from s (positioned after the main value) into params; false on a
// syntax error.
bool parse_params(std::string_view s, std::vector<Param>& out) {
  std::size_t i = 0;
  const auto skip_ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  };
  for (;;) {
    skip_ws();
    if (i == s.size()) return true;
    if (s[i] != ';') return false;
    ++i;
    skip_ws();
    if (i == s.size()) return true;  // a trailing ';' is tolerated
    std::size_t eq = s.find('=', i);
    if (eq == std::string_view::npos) return false;
    Param p;
    for (char c : trim(s.substr(i, eq - i)))
      p.name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (p.name.empty()) return false;
    i = eq + 1;
    skip_ws();
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char c = s[i++];
        if (c == '\\' && i < s.size()) {
          p.value.push_back(s[i++]);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          p.value.push_back(c);
        }
      }
      if (!closed) return false;
    } else {
      std::size_t end = s.find(';', i);
      if (end == std::string_view::npos) end = s.size();
      p.value = std::string(trim(s.substr(i, end - i)));
      i = end;
    }
    out.push_back(std::move(p));
  }
}

}  // namespace

std::optional<std::string> boundary_of(std::string_view content_type) {
  std::size_t semi = content_type.find(';');
  auto type = trim(content_type.substr(0, semi));
  if (!iequals(type, "multipart/form-data") || semi == std::string_view::npos) return std::nullopt;
  std::vector<Param> params;
  if (!parse_params(content_type.substr(semi), params)) return std::nullopt;
  for (auto& p : params) {
    if (p.name != "boundary") continue;
    const auto& b = p.value;
    if (b.empty() || b.size() > 70 || b.back() == ' ') return std::nullopt;
    if (!std::all_of(b.begin(), b.end(), boundary_char)) return std::nullopt;
    return b;
  }
  return std::nullopt;
}

Parser::Parser(std::string boundary, Handler& handler, Limits limits)
    : delimiter_("\r\n--" + boundary), handler_(handler), limits_(limits) {
  // The first delimiter may open the body without a CRLF before it: pretend there was one.
  buf_ = "\r\n";
}

bool Parser::fail(Error e) {
  state_ = State::failed;
  error_ = e;
  buf_.clear();
  buf_.shrink_to_fit();
  pos_ = 0;
  return false;
}

bool Parser::feed(std::string_view bytes) {
  if (state_ == State::failed) return false;
  if (state_ == State::done) return true;
  buf_.append(bytes);
  while (step()) {
  }
  if (state_ == State::failed) return false;
  // Drop what was consumed so the buffer holds at most a delimiter's or a header block's worth.
  buf_.erase(0, pos_);
  pos_ = 0;
  return true;
}

bool Parser::finish() {
  if (state_ == State::failed) return false;
  if (state_ != State::done) return fail(Error::incomplete);
  return true;
}

bool Parser::step() {
  std::string_view rest(buf_.data() + pos_, buf_.size() - pos_);
  switch (state_) {
    case State::preamble: {
      auto at = rest.find(delimiter_);
      if (at == std::string_view::npos) {
        // Keep only what could still be the start of the delimiter.
        if (rest.size() >= delimiter_.size()) pos_ += rest.size() - (delimiter_.size() - 1);
        return false;
      }
      pos_ += at + delimiter_.size();
      state_ = State::after_delimiter;
      return true;
    }
    case State::after_delimiter: {
      if (rest.size() < 2) return false;
      if (rest.substr(0, 2) == "--") {
        if (parts_ == 0) return fail(Error::malformed);  // a form with no part at all
        state_ = State::done;
        pos_ = buf_.size();
        return false;
      }
      // Optional transport padding (linear white space), then CRLF.
      std::size_t i = 0;
      while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
      if (i > 64) return fail(Error::malformed);
      if (rest.size() < i + 2) return false;
      if (rest.substr(i, 2) != "\r\n") return fail(Error::malformed);
      pos_ += i + 2;
      if (++parts_ > limits_.parts) return fail(Error::too_many_parts);
      state_ = State::headers;
      return true;
    }
    case State::headers: {
      std::size_t end;
      std::size_t skip;
      if (rest.substr(0, 2) == "\r\n") {  // no header at all
        end = 0;
        skip = 2;
      } else {
        end = rest.find("\r\n\r\n");
        if (end == std::string_view::npos) {
          if (rest.size() > limits_.header_bytes + 3) return fail(Error::header_too_large);
          return false;
        }
        skip = end + 4;
      }
      if (end > limits_.header_bytes) return fail(Error::header_too_large);
      if (!parse_headers(rest.substr(0, end))) return false;
      pos_ += skip;
      state_ = State::body;
      return true;
    }
    case State::body: {
      auto at = rest.find(delimiter_);
      if (at == std::string_view::npos) {
        // Everything but a possible start of the delimiter is part data.
        if (rest.size() >= delimiter_.size()) {
          std::size_t n = rest.size() - (delimiter_.size() - 1);
          if (!handler_.on_data(rest.substr(0, n))) return fail(Error::rejected);
          pos_ += n;
        }
        return false;
      }
      if (at > 0 && !handler_.on_data(rest.substr(0, at))) return fail(Error::rejected);
      if (!handler_.on_part_end()) return fail(Error::rejected);
      pos_ += at + delimiter_.size();
      state_ = State::after_delimiter;
      return true;
    }
    case State::done:
    case State::failed:
      return false;
  }
  return false;
}

bool Parser::parse_headers(std::string_view block) {
  PartHeaders h;
  bool disposition = false;
  while (!block.empty()) {
    auto eol = block.find("\r\n");
    auto line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail(Error::malformed);
    auto name = line.substr(0, colon);
    if (name.find_first_of(" \t") != std::string_view::npos) return fail(Error::malformed);
    auto value = trim(line.substr(colon + 1));
    for (char c : value)
      if (c == '\r' || c == '\n' || c == '\0') return fail(Error::malformed);
    if (iequals(name, "content-disposition")) {
      if (disposition) return fail(Error::malformed);
      disposition = true;
      auto semi = value.find(';');
      if (!iequals(trim(value.substr(0, semi)), "form-data")) return fail(Error::malformed);
      std::vector<Param> params;
      if (semi != std::string_view::npos && !parse_params(value.substr(semi), params))
        return fail(Error::malformed);
      bool named = false;
      for (auto& p : params) {
        if (p.name == "name" && !named) {
          h.name = std::move(p.value);
          named = true;
        } else if (p.name == "filename" && !h.filename) {
          h.filename = std::move(p.value);
        }
      }
      if (!named) return fail(Error::malformed);
    } else if (iequals(name, "content-type")) {
      h.content_type = std::string(value);
    }
  }
  if (!disposition) return fail(Error::malformed);
  if (!handler_.on_part(h)) return fail(Error::rejected);
  return true;
}

}  // namespace o4o::core::multipart
