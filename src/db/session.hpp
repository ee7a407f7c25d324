#pragma once
// The database's side of one request, for read replicas (db/replicas.hpp): who is asking (the
// keys its writes are remembered under), the WAL position its reads must see, and the position
// its own writes reached. The dispatcher makes one per request and puts it in scope on the
// thread that runs the handler; Database::read and write find it there, so that services and
// repositories never pass it along. Reads with no session in scope (background jobs, commands)
// go to the primary.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace o4o::db {

// A PostgreSQL WAL position (pg_lsn), as a number: "16/B374D848" is 0x16'B374D848.
using Lsn = uint64_t;
// "X/Y" with 1 to 8 hex digits each, as PostgreSQL prints a pg_lsn; nullopt for anything else.
std::optional<Lsn> parse_lsn(std::string_view text);
std::string format_lsn(Lsn lsn);
// Raises a to v unless it is already past v (positions only ever move forward).
void raise_lsn(std::atomic<Lsn>& a, Lsn v);

class Session : public std::enable_shared_from_this<Session> {
 public:
  // Who the request is: "u:<user id>", "a:<client address>". A write is remembered under each
  // key; a read waits for what was remembered under any of them.
  void add_key(std::string key);
  std::vector<std::string> keys() const;

  // A position the client says it has seen written (its O4O-Read-After): reads must see it.
  void need(Lsn lsn);
  Lsn needed() const { return needed_.load(std::memory_order_acquire); }

  // Called by the database after a write of this request committed (on any thread): the
  // position the commit reached. Kept as the highest seen.
  void wrote(Lsn lsn);
  Lsn written() const { return written_.load(std::memory_order_acquire); }

  // The session of the request this thread works for; null outside one.
  static Session* current();

  // Puts a session in scope on this thread for the scope's life (the previous one after).
  class Scope {
   public:
    explicit Scope(Session* session);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Session* previous_;
  };

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> keys_;
  std::atomic<Lsn> needed_{0};
  std::atomic<Lsn> written_{0};
};

}  // namespace o4o::db
