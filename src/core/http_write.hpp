#pragma once
// A response's status line and header, rendered into one string, free of I/O: the session writes
// it and the body with one system call instead of going through Beast's serializer (which walks
// a chain of buffer-sequence iterators per answer). The bytes are Beast's own for the same
// response (tests/unit/core/http_write_test.cpp compares them); a response this renderer does not
// vouch for (a header named like one the session sets, a duplicate, a value with white space at
// an end, a 204/304 with a body) is left to Beast.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

#include "core/http.hpp"

namespace o4o::core::http_write {

// Appends "HTTP/1.1 <status> <reason>\r\n", Server, Content-Type (none on 204 and 304), the
// response's headers in order, Connection: close when not `keep_alive`, Content-Length of the
// body (also for a HEAD request, whose body is not sent) and the blank line to `out`. False, with
// `out` as it was, for a response Beast must render.
bool render_head(std::string& out, const Response& r, bool keep_alive);

// The same answer as Beast's message, for what render_head declines (the body is moved into it;
// for a HEAD request it is left out and only its length is said).
boost::beast::http::response<boost::beast::http::string_body> beast_message(Response& r,
                                                                            bool keep_alive,
                                                                            bool head);

}  // namespace o4o::core::http_write
