#include "db/session.hpp"

#include <algorithm>
#include <charconv>

namespace o4o::db {

namespace {

thread_local Session* t_current = nullptr;

std::optional<uint32_t> hex32(std::string_view s) {
  if (s.empty() || s.size() > 8) return std::nullopt;
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

void raise_lsn(std::atomic<Lsn>& a, Lsn v) {
  Lsn cur = a.load(std::memory_order_relaxed);
  while (cur < v && !a.compare_exchange_weak(cur, v, std::memory_order_acq_rel)) {
  }
}

std::optional<Lsn> parse_lsn(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto hi = hex32(text.substr(0, slash));
  const auto lo = hex32(text.substr(slash + 1));
  if (!hi || !lo) return std::nullopt;
  return (static_cast<Lsn>(*hi) << 32) | *lo;
}

std::string format_lsn(Lsn lsn) {
  char buf[20];
  auto hi = std::to_chars(buf, buf + sizeof buf, static_cast<uint32_t>(lsn >> 32), 16).ptr;
  *hi++ = '/';
  auto end = std::to_chars(hi, buf + sizeof buf, static_cast<uint32_t>(lsn), 16).ptr;
  std::string out(buf, end);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'a' && c <= 'f' ? static_cast<char>(c - 32) : c; });
  return out;
}

void Session::add_key(std::string key) {
  std::lock_guard lock(mutex_);
  if (std::find(keys_.begin(), keys_.end(), key) == keys_.end()) keys_.push_back(std::move(key));
}

std::vector<std::string> Session::keys() const {
  std::lock_guard lock(mutex_);
  return keys_;
}

void Session::need(Lsn lsn) {
  raise_lsn(needed_, lsn);
}

void Session::wrote(Lsn lsn) {
  raise_lsn(written_, lsn);
}

Session* Session::current() {
  return t_current;
}

Session::Scope::Scope(Session* session) : previous_(t_current) {
  t_current = session;
}

Session::Scope::~Scope() {
  t_current = previous_;
}

}  // namespace o4o::db
