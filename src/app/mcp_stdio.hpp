#pragma once
// `o4o mcp --url URL --token T`: the MCP server over stdio for desktop assistants (Claude Desktop,
// Cursor, VS Code). Newline-delimited JSON-RPC on stdin/stdout (2025-06-18 and 2026-07-28
// basic/transports/stdio: one message per line, nothing else on stdout, logs on stderr); each
// message is forwarded to that server's /mcp, so that writes go through the running server
// (open signage streams, caches) and the server alone decides everything.
#include <iosfwd>
#include <string>

namespace o4o::app {

struct McpBridgeOptions {
  std::string url;    // the server (http://host:port) or its MCP endpoint (.../mcp)
  std::string token;  // an access or assistant token; empty: anonymous (read tools only)
};

// Runs until stdin ends; returns the process exit code.
int run_mcp_stdio(const McpBridgeOptions& options, std::istream& in, std::ostream& out,
                  std::ostream& log);

}  // namespace o4o::app
