#pragma once
// The Model Context Protocol as this server speaks it: versions, method names and error codes,
// each with the revision of the specification it comes from
// (https://modelcontextprotocol.io/specification/<revision>/...).
#include <array>
#include <string_view>

namespace o4o::services::mcp {

// Legacy era (an initialize handshake opens a session; we keep none: every POST stands alone).
// 2025-06-18 basic/lifecycle: the server answers the client's version when it supports it, else
// the latest it supports. 2025-03-26 is accepted on the MCP-Protocol-Version header only as the
// 2025-06-18 transport allows for clients that send none.
inline constexpr std::string_view kV20250326 = "2025-03-26";
inline constexpr std::string_view kV20250618 = "2025-06-18";
inline constexpr std::string_view kV20251125 = "2025-11-25";
// Modern era: per-request _meta, no handshake (2026-07-28 basic/versioning).
inline constexpr std::string_view kV20260728 = "2026-07-28";

inline constexpr std::array<std::string_view, 2> kLegacyVersions = {kV20251125, kV20250618};
// server/discover's supportedVersions and UnsupportedProtocolVersionError's data.supported.
inline constexpr std::array<std::string_view, 3> kAllVersions = {kV20260728, kV20251125,
                                                                 kV20250618};

// _meta keys of the modern era (2026-07-28 basic/index#meta, schema RequestMetaObject).
inline constexpr std::string_view kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
inline constexpr std::string_view kMetaClientCapabilities =
    "io.modelcontextprotocol/clientCapabilities";
inline constexpr std::string_view kMetaServerInfo = "io.modelcontextprotocol/serverInfo";

// JSON-RPC 2.0 (section 5.1), used by every revision.
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
// JSON-RPC 2.0 section 5.1 leaves -32000..-32099 to the implementation; MCP 2026-07-28 reserves
// -32020 and up for itself. Ours: too many requests from this address (HTTP 429).
inline constexpr int kServerBusy = -32000;
// 2025-06-18 and 2025-11-25 server/resources#error-handling: resource not found. 2026-07-28
// replaced it with kInvalidParams and forbids emitting it.
inline constexpr int kLegacyResourceNotFound = -32002;
// 2026-07-28 basic/index#error-codes (the -32020..-32099 range reserved for the spec).
inline constexpr int kHeaderMismatch = -32020;
inline constexpr int kMissingRequiredClientCapability = -32021;
inline constexpr int kUnsupportedProtocolVersion = -32022;

}  // namespace o4o::services::mcp
