#pragma once
// A streaming multipart/form-data parser (RFC 7578 over RFC 2046): bytes go in as they arrive, in
// pieces of any size; part headers and part bodies come out through a handler, the bodies never
// gathered in memory. Only what form-data needs: a CRLF-delimited header block per part with
// Content-Disposition (name, filename) and Content-Type; preamble and epilogue are ignored.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace o4o::core::multipart {

// The boundary parameter of a "multipart/form-data; boundary=..." Content-Type (quoted or not);
// nullopt when the type is another one or the boundary is missing or not a valid RFC 2046
// boundary (1..70 of its characters, not ending in a space).
std::optional<std::string> boundary_of(std::string_view content_type);

struct PartHeaders {
  std::string name;                     // Content-Disposition's name
  std::optional<std::string> filename;  // Content-Disposition's filename, when present
  std::string content_type;             // as declared; empty when absent
};

enum class Error {
  none,
  malformed,         // no boundary where one must be, a bad header line, no name
  header_too_large,  // a part's header block over Limits::header_bytes
  too_many_parts,    // more than Limits::parts parts
  incomplete,        // finish() before the closing boundary
  rejected,          // the handler refused (its own reason)
};

class Parser {
 public:
  struct Handler {
    virtual ~Handler() = default;
    // Each returns false to stop the parse (Error::rejected).
    virtual bool on_part(const PartHeaders& headers) = 0;
    virtual bool on_data(std::string_view bytes) = 0;
    virtual bool on_part_end() = 0;
  };
  struct Limits {
    std::size_t header_bytes = 8 * 1024;  // one part's header block
    std::size_t parts = 16;
  };

  Parser(std::string boundary, Handler& handler, Limits limits);
  Parser(std::string boundary, Handler& handler) : Parser(std::move(boundary), handler, Limits{}) {}

  // Feeds the next bytes of the body. False once an error stopped the parse; later calls do
  // nothing. Bytes after the closing boundary (the epilogue) are ignored.
  bool feed(std::string_view bytes);
  // The body has ended: true when the closing boundary was seen, else Error::incomplete.
  bool finish();
  bool done() const { return state_ == State::done; }
  Error error() const { return error_; }

 private:
  enum class State { preamble, after_delimiter, headers, body, done, failed };
  bool fail(Error e);
  bool parse_headers(std::string_view block);
  // Consumes from buf_ at pos_; false when it needs more bytes (or failed).
  bool step();

  std::string delimiter_;  // "\r\n--" + boundary
  Handler& handler_;
  Limits limits_;
  State state_ = State::preamble;
  Error error_ = Error::none;
  std::string buf_;      // bytes not yet consumed
  std::size_t pos_ = 0;  // consumed prefix of buf_
  std::size_t parts_ = 0;
};

}  // namespace o4o::core::multipart
