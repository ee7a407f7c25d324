#include "services/mcp/schemas.hpp"

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace o4o::services::mcp::schemas {

boost::json::object parse(std::string_view text) {
  auto v = boost::json::parse(text);
  if (!v.is_object()) throw std::logic_error("schema is not an object");
  return std::move(v.as_object());
}

const std::string_view kProduct = R"({"type":"object","properties":{
  "id":{"type":"string"},"name":{"type":"string"},"description":{"type":"string"},
  "imageUrl":{"type":["string","null"]},"price":{"type":"integer","description":"minor units of the platform currency"},
  "category":{"type":"string"},"stock":{"type":"integer"},
  "createdAt":{"type":"string"},"updatedAt":{"type":"string"}},
  "required":["id","name","price","category","stock"]})";

const std::string_view kShipping = R"({"type":"object","properties":{
  "name":{"type":"string"},"phone":{"type":"string"},"address":{"type":"string"},"postalCode":{"type":"string"}},
  "required":["name","phone","address","postalCode"]})";

const std::string_view kOrder = R"({"type":"object","properties":{
  "id":{"type":"string"},"userId":{"type":"string"},
  "items":{"type":"array","items":{"type":"object","properties":{
    "productId":{"type":"string"},"name":{"type":"string"},"unitPrice":{"type":"integer"},
    "quantity":{"type":"integer"},"subtotal":{"type":"integer"}}}},
  "total":{"type":"integer"},"status":{"type":"string"},"shipping":{"type":["object","null"]},
  "createdAt":{"type":"string"},"updatedAt":{"type":"string"}},
  "required":["id","items","total","status"]})";

const std::string_view kProject = R"({"type":"object","properties":{
  "id":{"type":"string"},"title":{"type":"string"},"description":{"type":"string"},
  "imageUrl":{"type":["string","null"]},"goal":{"type":"integer"},"raised":{"type":"integer"},
  "backerCount":{"type":"integer"},"deadline":{"type":"string"},
  "status":{"type":"string","enum":["active","successful","failed","cancelled"]},
  "creatorId":{"type":"string"},
  "rewards":{"type":"array","items":{"type":"object","properties":{
    "id":{"type":"string"},"title":{"type":"string"},"description":{"type":"string"},
    "minAmount":{"type":"integer"},"limit":{"type":["integer","null"]},"claimed":{"type":"integer"}}}},
  "createdAt":{"type":"string"},"updatedAt":{"type":"string"}},
  "required":["id","title","goal","raised","status"]})";

const std::string_view kPledge = R"({"type":"object","properties":{
  "id":{"type":"string"},"projectId":{"type":"string"},"userId":{"type":"string"},
  "amount":{"type":"integer"},"rewardId":{"type":["string","null"]},"createdAt":{"type":"string"}},
  "required":["id","projectId","amount"]})";

const std::string_view kPost = R"({"type":"object","properties":{
  "id":{"type":"string"},"title":{"type":"string"},"content":{"type":"string"},
  "category":{"type":"string"},"authorId":{"type":"string"},"authorName":{"type":"string"},
  "commentCount":{"type":"integer"},"likeCount":{"type":"integer"},"likedByMe":{"type":"boolean"},
  "pinned":{"type":"boolean"},"locked":{"type":"boolean"},
  "createdAt":{"type":"string"},"updatedAt":{"type":"string"}},
  "required":["id","title","content","category"]})";

const std::string_view kComment = R"({"type":"object","properties":{
  "id":{"type":"string"},"postId":{"type":"string"},"authorId":{"type":"string"},
  "authorName":{"type":"string"},"content":{"type":"string"},"createdAt":{"type":"string"}},
  "required":["id","postId","content"]})";

const std::string_view kDisplay = R"({"type":"object","properties":{
  "id":{"type":"string"},"name":{"type":"string"},"location":{"type":"string"},
  "status":{"type":"string","enum":["online","offline"]},
  "content":{"type":["object","null"]},"activeContent":{"type":["object","null"]},
  "schedule":{"type":["object","null"]},"contentVersion":{"type":"integer"},
  "lastSeenAt":{"type":["string","null"]},"createdAt":{"type":"string"},"updatedAt":{"type":"string"}},
  "required":["id","name","status"]})";

const std::string_view kUser = R"({"type":"object","properties":{
  "id":{"type":"string"},"email":{"type":"string"},"name":{"type":"string"},
  "role":{"type":"string","enum":["admin","creator","user"]},
  "createdAt":{"type":"string"},"updatedAt":{"type":"string"}},
  "required":["id","email","name","role"]})";

const std::string_view kContent = R"({"type":"object","description":"A signage content: {type: text|image|video|url|html, value, durationSeconds?}, or a playlist {type: playlist, items: [content, ...]}",
  "properties":{
    "type":{"type":"string","enum":["text","image","video","url","html","playlist"]},
    "value":{"type":"string","minLength":1,"maxLength":100000},
    "durationSeconds":{"type":"integer","minimum":1},
    "items":{"type":"array","minItems":1,"maxItems":100,"items":{"type":"object"}}},
  "required":["type"]})";

}  // namespace o4o::services::mcp::schemas
