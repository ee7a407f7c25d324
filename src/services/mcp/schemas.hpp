#pragma once
// JSON Schemas (2020-12, the default dialect of MCP 2025-11-25 basic/index#json-schema-usage) of
// the tools' arguments and results, kept apart from the adapters. They name no $schema, so that
// clients whose validator defaults to an older draft read them too; every keyword used means the
// same in 2020-12 and draft-07.
#include <boost/json/object.hpp>
#include <string_view>

namespace o4o::services::mcp::schemas {

boost::json::object parse(std::string_view text);

// Fragments, spliced into the tools' schemas.
extern const std::string_view kProduct, kOrder, kProject, kPledge, kPost, kComment, kDisplay,
    kUser, kContent, kShipping;

}  // namespace o4o::services::mcp::schemas
