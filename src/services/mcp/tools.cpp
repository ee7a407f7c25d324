#include "services/mcp/tools.hpp"

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>

#include "core/errors.hpp"
#include "core/time_format.hpp"
#include "services/mcp/schemas.hpp"

namespace o4o::services::mcp {

namespace json = boost::json;
using core::Method;

namespace {

constexpr std::string_view kApi = "/api/v1";

// A tool argument that is missing or of the wrong type: an isError result, so that the model can
// correct its call (2025-11-25 server/tools#error-handling: input validation errors are tool
// execution errors).
struct ArgError {
  std::string field, message;
};

template <class... Parts>
std::string str(const Parts&... parts) {
  std::string s;
  (s.append(std::string_view(parts)), ...);
  return s;
}

std::optional<std::string> string_arg(const json::object& args, std::string_view name,
                                      bool required) {
  const auto* v = args.if_contains(name);
  if (v == nullptr || v->is_null()) {
    if (required) throw ArgError{std::string(name), "is required"};
    return std::nullopt;
  }
  if (!v->is_string()) throw ArgError{std::string(name), "must be a string"};
  return std::string(v->as_string());
}

// A path id: a string, and one path segment.
std::string id_arg(const json::object& args, std::string_view name) {
  auto id = *string_arg(args, name, true);
  if (id.empty() || id.find('/') != std::string::npos)
    throw ArgError{std::string(name), "must be an id"};
  return id;
}

// Query parameters from arguments: strings as they are, integers in decimal; the REST route
// validates their values as it does for any client.
std::vector<std::pair<std::string, std::string>> query_args(
    const json::object& args, std::initializer_list<std::string_view> names) {
  std::vector<std::pair<std::string, std::string>> q;
  for (auto name : names) {
    const auto* v = args.if_contains(name);
    if (v == nullptr || v->is_null()) continue;
    if (v->is_string())
      q.emplace_back(name, std::string(v->as_string()));
    else if (v->is_int64())
      q.emplace_back(name, std::to_string(v->as_int64()));
    else if (v->is_uint64())
      q.emplace_back(name, std::to_string(v->as_uint64()));
    else
      throw ArgError{std::string(name), "must be a string or an integer"};
  }
  return q;
}

// The body of a REST call: the named arguments, as given (the route validates them).
json::object body_args(const json::object& args, std::initializer_list<std::string_view> names) {
  json::object body;
  for (auto name : names)
    if (const auto* v = args.if_contains(name)) body[name] = *v;
  return body;
}

std::string summary_of(const json::object& o) {
  std::string s;
  for (auto key : {"title", "name", "email"})
    if (const auto* v = o.if_contains(key); v && v->is_string()) {
      s = std::string(v->as_string());
      break;
    }
  if (const auto* id = o.if_contains("id"); id && id->is_string())
    s += str(s.empty() ? "" : " ", "(id ", str(id->as_string(), ")"));
  for (auto key : {"status", "price", "total", "amount", "raised"})
    if (const auto* v = o.if_contains(key); v && (v->is_string() || v->is_int64()))
      s += str(", ", key, str(" ", v->is_string() ? std::string(v->as_string())
                                                   : std::to_string(v->as_int64())));
  return s;
}

// A short text rendering, then the structured result as JSON (2025-11-25 server/tools#structured-
// content: a tool returning structured content SHOULD also return it serialized in a text block).
std::string render_text(const json::object& data) {
  std::string head;
  if (const auto* q = data.if_contains("quoteId"); q && q->is_string()) {
    head = "Quote (nothing done yet): total " + canonical_json(data.at("total")) + ", valid until " +
           canonical_json(data.at("expiresAt")) + ". Confirm with confirm: true and quoteId " +
           std::string(q->as_string()) + ".";
  } else if (const auto* items = data.if_contains("items"); items && items->is_array()) {
    const auto& arr = items->as_array();
    head = std::to_string(arr.size()) + " item(s)";
    if (const auto* t = data.if_contains("total"); t && t->is_int64())
      head += " of " + std::to_string(t->as_int64());
    head += ":";
    std::size_t n = 0;
    for (const auto& it : arr) {
      if (++n > 20) break;
      if (it.is_object()) head += "\n- " + summary_of(it.as_object());
    }
  } else if (const auto* u = data.if_contains("user"); u && data.size() == 1) {
    head = u->is_object() ? "Signed in as " + summary_of(u->as_object()) : "Not signed in";
  } else {
    head = summary_of(data);
  }
  return head + "\n\n" + canonical_json(data);
}

ToolResult error_result(std::string_view code, std::string_view message,
                        const json::value& details = nullptr) {
  ToolResult r;
  r.is_error = true;
  r.text = str(code, ": ", message);
  if (!details.is_null()) {
    r.text.push_back('\n');
    r.text.append(canonical_json(details));
  }
  r.outcome = std::string(code);
  std::transform(r.outcome.begin(), r.outcome.end(), r.outcome.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return r;
}

}  // namespace

ToolResult refusal(const core::ApiError& e) {
  if (e.status() == 401)
    return error_result("UNAUTHORIZED", "This tool needs a signed-in user: send 'Authorization: "
                                        "Bearer <access token>' (" + e.message() + ")");
  return error_result(e.code(), e.message(), e.details());
}

namespace {

ToolResult from_answer(const RestAnswer& a) {
  if (!a.ok()) {
    if (a.code == "UNAUTHORIZED")
      return error_result(a.code, a.message + " (this tool needs a signed-in user's token)");
    return error_result(a.code.empty() ? "INTERNAL_ERROR" : a.code, a.message, a.details);
  }
  ToolResult r;
  if (a.data.is_object())
    r.structured = a.data.as_object();
  else
    r.structured["items"] = a.data;  // the contract: {items: data} when data is an array
  r.text = render_text(r.structured);
  return r;
}

// Runs a plain tool: one REST call.
ToolResult call(const ToolContext& ctx, RestCall c) {
  return from_answer(ctx.rest.call(ctx.outer, c));
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The caller's user id: the tool's route is signed-in only, so core::authorize found one.
std::string signed_in_user(const ToolContext& ctx) {
  if (!ctx.caller.user) throw std::logic_error("a money-moving tool ran without a signed-in caller");
  return ctx.caller.user->id;
}

// What a quote signs besides the tool, the user and the total: the arguments but confirm and
// quoteId.
std::string quoted_args(const json::object& args) {
  json::object a = args;
  a.erase("confirm");
  a.erase("quoteId");
  return canonical_json(a);
}

bool wants_confirm(const json::object& args) {
  const auto* c = args.if_contains("confirm");
  if (c == nullptr || c->is_null()) return false;
  if (!c->is_bool()) throw ArgError{"confirm", "must be a boolean"};
  return c->as_bool();
}

// The confirm step shared by the money-moving tools: checks the quote (this tool, this user,
// these arguments, not expired) and that `current_total`, the total recomputed now, is still the
// quoted one; then makes the REST call once under the quote's Idempotency-Key and adds payUrl to
// its answer. current_total is nullopt when it could not be recomputed because the REST API
// refuses the action now (say the stock is gone): the call is made anyway, and it either replays
// what an earlier confirm of this quote did or answers that same refusal.
ToolResult confirm_quote(const ToolContext& ctx, std::string_view tool, const json::object& args,
                         const std::string& user_id, std::optional<int64_t> current_total,
                         RestCall c,
                         const std::function<std::string(const json::object&)>& pay_path) {
  auto quote_id = string_arg(args, "quoteId", false);
  if (!quote_id)
    throw ArgError{"quoteId", "is required with confirm: true (call without confirm for a quote)"};
  switch (ctx.quotes.check(*quote_id, tool, user_id, quoted_args(args), now_ms())) {
    case Quotes::Check::invalid:
      return error_result("VALIDATION_ERROR",
                          "quoteId does not match these arguments and this user; ask for a new "
                          "quote (call without confirm)");
    case Quotes::Check::expired:
      return error_result("VALIDATION_ERROR", "The quote expired; ask for a new one");
    case Quotes::Check::ok:
      break;
  }
  const int64_t quoted = Quotes::total_of(*quote_id);
  if (current_total && *current_total != quoted)
    return error_result("VALIDATION_ERROR",
                        str("At the current prices the total is ", std::to_string(*current_total),
                            ", not the quoted ", std::to_string(quoted),
                            "; ask for a new quote (call without confirm)"));
  c.idempotency_key = Quotes::idempotency_key(*quote_id);
  auto r = call(ctx, std::move(c));
  if (r.is_error) return r;
  r.structured["payUrl"] = ctx.site + pay_path(r.structured);
  r.text = render_text(r.structured);
  return r;
}

json::object quote_head(const ToolContext& ctx, std::string_view tool, const json::object& args,
                        const std::string& user_id, int64_t total) {
  const int64_t expires = now_ms() + Quotes::kLifetimeMs;
  json::object q;
  q["quoteId"] = ctx.quotes.issue(tool, user_id, quoted_args(args), total, expires);
  q["total"] = total;
  q["expiresAt"] = core::format_timestamp(expires);
  q["confirm"] = str("Nothing has happened yet. To go ahead, call ", tool,
                     " again with the same arguments plus confirm: true and this quoteId.");
  return q;
}

// ---- the money-moving tools ----

ToolResult place_order(const json::object& args, const ToolContext& ctx) {
  const bool confirm = wants_confirm(args);
  const std::string user_id = signed_in_user(ctx);
  const json::object body = body_args(args, {"items", "shipping"});
  // The quote is the ecommerce service's (POST /orders/quote): its lines, prices and total, and
  // its refusals, are exactly what placing the order would give. A confirm asks it again to check
  // the quoted total against the current prices.
  auto priced = ctx.rest.call(ctx.outer, {Method::post, str(kApi, "/ecommerce/orders/quote"), {}, body});
  if (priced.ok() && !priced.data.is_object())
    throw std::logic_error("POST /orders/quote answered no object");
  if (confirm) {
    std::optional<int64_t> total;
    if (priced.ok()) total = priced.data.as_object().at("total").to_number<int64_t>();
    return confirm_quote(ctx, "place_order", args, user_id, total,
                         {Method::post, str(kApi, "/ecommerce/orders"), {}, body},
                         [](const json::object& o) {
                           const auto* id = o.if_contains("id");
                           return str("/me/orders/", id && id->is_string() ? std::string(id->as_string()) : "");
                         });
  }
  if (!priced.ok()) return from_answer(priced);
  const auto& po = priced.data.as_object();
  auto q = quote_head(ctx, "place_order", args, user_id, po.at("total").to_number<int64_t>());
  q["items"] = po.at("items");
  q["currency"] = po.at("currency");
  ToolResult r;
  r.structured = std::move(q);
  r.text = render_text(r.structured);
  return r;
}

ToolResult back_project(const json::object& args, const ToolContext& ctx) {
  const std::string project_id = id_arg(args, "projectId");
  const auto* amount = args.if_contains("amount");
  if (amount == nullptr || !amount->is_int64()) throw ArgError{"amount", "must be an integer"};
  const bool confirm = wants_confirm(args);
  const std::string user_id = signed_in_user(ctx);
  RestCall fund{Method::post, str(kApi, "/crowdfunding/projects/", project_id, "/fund"), {},
                body_args(args, {"amount", "rewardId"})};
  if (confirm)
    return confirm_quote(ctx, "back_project", args, user_id, amount->as_int64(), std::move(fund),
                         [](const json::object&) { return std::string("/me/pledges"); });
  auto p = ctx.rest.call(ctx.outer, {Method::get, str(kApi, "/crowdfunding/projects/", project_id)});
  if (!p.ok()) return from_answer(p);
  const auto& po = p.data.as_object();
  auto q = quote_head(ctx, "back_project", args, user_id, amount->as_int64());
  q["projectId"] = project_id;
  q["projectTitle"] = po.at("title");
  q["projectStatus"] = po.at("status");
  q["amount"] = amount->as_int64();
  if (auto reward = string_arg(args, "rewardId", false)) {
    q["rewardId"] = *reward;
    if (const auto* rs = po.if_contains("rewards"); rs && rs->is_array())
      for (const auto& rw : rs->as_array())
        if (rw.is_object() && rw.as_object().at("id") == json::value(*reward))
          q["reward"] = rw;
  }
  ToolResult r;
  r.structured = std::move(q);
  r.text = render_text(r.structured);
  return r;
}

// ---- the table ----

json::object annotations(bool read_only, bool destructive, bool idempotent) {
  // 2025-06-18 server/tools ToolAnnotations: hints about the tool's behaviour. openWorldHint is
  // false: every tool touches only this platform.
  json::object a;
  a["readOnlyHint"] = read_only;
  if (!read_only) {
    a["destructiveHint"] = destructive;
    a["idempotentHint"] = idempotent;
  }
  a["openWorldHint"] = false;
  return a;
}

std::string page_of(std::string_view item) {
  return str(R"({"type":"object","properties":{"items":{"type":"array","items":)", item,
             R"(},"page":{"type":"integer"},"limit":{"type":"integer"},"total":{"type":"integer"}},"required":["items","page","limit","total"]})");
}

constexpr std::string_view kPaging =
    R"("page":{"type":"integer","minimum":1,"description":"page number, from 1"},"limit":{"type":"integer","minimum":1,"maximum":100,"description":"items per page, default 20"})";

std::string object_schema(std::string_view properties, std::string_view required = "") {
  std::string s = str(R"({"type":"object","properties":{)", properties, "}");
  if (!required.empty()) s += str(R"(,"required":[)", required, "]");
  return s + "}";
}

std::vector<Tool> build_tools() {
  using schemas::parse;
  std::vector<Tool> t;
  auto add = [&t](std::string name, std::string title, std::string description, Adapts route,
                  const std::string& input, const std::string& output, json::object annots,
                  std::function<ToolResult(const json::object&, const ToolContext&)> run) {
    t.push_back({std::move(name), std::move(title), std::move(description), route, parse(input),
                 parse(output), std::move(annots), std::move(run)});
  };
  constexpr auto get = Method::get, post = Method::post, put = Method::put;
  const std::string id_input = object_schema(R"("id":{"type":"string","description":"the id"})", R"("id")");

  add("whoami", "Who am I",
      "The signed-in user this assistant acts for ({user: null} without a token).",
      {},
      object_schema(""),
      object_schema(str(R"("user":{"anyOf":[)", schemas::kUser, R"(,{"type":"null"}]})"), R"("user")"),
      annotations(true, false, true), [](const json::object&, const ToolContext& ctx) {
        auto me = ctx.rest.call(ctx.outer, {Method::get, str(kApi, "/auth/me")});
        if (!me.ok() && me.status != 401) return from_answer(me);
        ToolResult r;
        r.structured["user"] = me.ok() ? me.data : json::value(nullptr);
        r.text = render_text(r.structured);
        return r;
      });

  add("search_products", "Search products",
      "Search the shop's catalogue by words (q) and category; sort by price or newest. Prices are "
      "integers in the currency's minor unit.",
      {get, "/api/v1/ecommerce/products"},
      object_schema(str(R"("q":{"type":"string","description":"words in the name or description"},"category":{"type":"string"},"sort":{"type":"string","enum":["price","-price","createdAt","-createdAt"]},)", kPaging)),
      page_of(schemas::kProduct), annotations(true, false, true),
      [](const json::object& a, const ToolContext& ctx) {
        return call(ctx, {Method::get, str(kApi, "/ecommerce/products"),
                          query_args(a, {"q", "category", "sort", "page", "limit"})});
      });

  add("get_product", "Get a product", "One product of the shop by id, with its price and stock.",
      {get, "/api/v1/ecommerce/products/:id"},
      id_input, std::string(schemas::kProduct), annotations(true, false, true),
      [](const json::object& a, const ToolContext& ctx) {
        return call(ctx, {Method::get, str(kApi, "/ecommerce/products/", id_arg(a, "id"))});
      });

  add("list_categories", "List shop categories", "The shop's categories with their product counts.",
      {get, "/api/v1/ecommerce/categories"},
      object_schema(""),
      object_schema(R"("items":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},"count":{"type":"integer"}},"required":["name","count"]}})", R"("items")"),
      annotations(true, false, true), [](const json::object&, const ToolContext& ctx) {
        return call(ctx, {Method::get, str(kApi, "/ecommerce/categories")});
      });

  add("place_order", "Place an order",
      "Order products. The first call only answers a quote (quoteId, the lines with their prices, "
      "total, currency, expiresAt: what the order would be now) and changes nothing; show it to the user, then call again with the same items (and shipping) plus "
      "confirm: true and the quoteId to place the order. A repeated confirm returns the same "
      "order. The answer carries payUrl, the web page where the user pays. Needs a signed-in user.",
      {post, "/api/v1/ecommerce/orders"},
      object_schema(str(R"("items":{"type":"array","minItems":1,"items":{"type":"object","properties":{"productId":{"type":"string"},"quantity":{"type":"integer","minimum":1}},"required":["productId","quantity"]}},"shipping":)",
                        schemas::kShipping,
                        R"(,"confirm":{"type":"boolean","description":"true to act on a quote"},"quoteId":{"type":"string","description":"the quote's id, with confirm: true"})"),
                    R"("items")"),
      object_schema(R"("quoteId":{"type":"string"},"total":{"type":"integer"},"currency":{"type":"string"},"expiresAt":{"type":"string"},"items":{"type":"array"},"id":{"type":"string"},"status":{"type":"string"},"payUrl":{"type":"string"})",
                    R"("total","items")"),
      annotations(false, false, true), place_order);

  add("list_my_orders", "List my orders",
      "The signed-in user's orders, newest first (an admin sees everyone's; userId filters).",
      {get, "/api/v1/ecommerce/orders"},
      object_schema(str(R"("userId":{"type":"string","description":"admin only: one user's orders"},)", kPaging)),
      page_of(schemas::kOrder), annotations(true, false, true),
      [](const json::object& a, const ToolContext& ctx) {
        return call(ctx, {Method::get, str(kApi, "/ecommerce/orders"),
                          query_args(a, {"userId", "page", "limit"})});
      });

  add("cancel_order", "Cancel an order",
      "Cancel an order: its owner while it is pending, an admin also once paid (a paid order is "
      "refunded in full). Stock returns.",
      {post, "/api/v1/ecommerce/orders/:id/cancel"},
      object_schema(R"("orderId":{"type":"string"})", R"("orderId")"), std::string(schemas::kOrder),
      annotations(false, true, true), [](const json::object& a, const ToolContext& ctx) {
        return call(ctx, {Method::post, str(kApi, "/ecommerce/orders/", id_arg(a, "orderId"), "/cancel")});
      });

  add("search_projects", "Search crowdfunding projects",
      "Search crowdfunding projects by words (q), status or creator; sort newest, popular (most backed) or ending (soonest deadline).",
      {get, "/api/v1/crowdfunding/projects"},
      object_schema(str(R"("q":{"type":"string"},"status":{"type":"string","enum":["active","successful","failed","cancelled"]},"creatorId":{"type":"string"},"sort":{"type":"string","enum":["newest","popular","ending"]},)", kPaging)),
      page_of(schemas::kProject), annotations(true, false, true),
      [](const json::object& a, const ToolContext& ctx) {
        return call(ctx, {Method::get, str(kApi, "/crowdfunding/projects"),
                          query_args(a, {"q", "status", "creatorId", "sort", "page", "limit"})});
      });

  add("get_project", "Get a project", "One crowdfunding project by id, with its rewards.",
      {get, "/api/v1/crowdfunding/projects/:id"},
      id_input, std::string(schemas::kProject), annotations(true, false, true),
      [](const json::object& a, const ToolContext& ctx) {
        return call(ctx, {Method::get, str(kApi, "/crowdfunding/projects/", id_arg(a, "id"))});
      });

  add("back_project", "Back a project",
      "Pledge an amount (minor units) to an active project, optionally for a reward. The first "
      "call only answers a quote and changes nothing; call again with the same arguments plus "
      "confirm: true and the quoteId to pledge. A repeated confirm returns the same pledge. The "
      "answer carries payUrl, the web page where the user pays. Needs a signed-in user.",
      {post, "/api/v1/crowdfunding/projects/:id/fund"},
      object_schema(R"("projectId":{"type":"string"},"amount":{"type":"integer","minimum":1},"rewardId":{"type":"string"},"confirm":{"type":"boolean"},"quoteId":{"type":"string"})",
                    R"("projectId","amount")"),
      object_schema(str(R"("quoteId":{"type":"string"},"total":{"type":"integer"},"expiresAt":{"type":"string"},"pledge":)", schemas::kPledge,
                        R"(,"project":)", schemas::kProject, R"(,"payUrl":{"type":"string"})")),
      annotations(false, false, true), back_project);

  add("list_my_pledges", "List my pledges", "The signed-in user's pledges, each with its project's title.",
      {get, "/api/v1/crowdfunding/pledges"},
      object_schema(std::string(kPaging)), page_of(schemas::kPledge), annotations(true, false, true),
      [](const json::object& a, const ToolContext& ctx) {
        return call(ctx, {Method::get, str(kApi, "/crowdfunding/pledges"), query_args(a, {"page", "limit"})});
      });

  add("search_posts", "Search forum posts",
      "Full-text search of the forum (q; Korean included), or the newest posts of a category or author.",
      {get, "/api/v1/forum/posts"},
      object_schema(str(R"("q":{"type":"string"},"category":{"type":"string"},"authorId":{"type":"string"},)", kPaging)),
      page_of(schemas::kPost), annotations(true, false, true),
      [](const json::object& a, const ToolContext& ctx) {
        return call(ctx, {Method::get, str(kApi, "/forum/posts"),
                          query_args(a, {"q", "category", "authorId", "page", "limit"})});
      });

  add("get_post", "Get a forum post", "One forum post by id with its first 100 comments.",
      {get, "/api/v1/forum/posts/:id"}, id_input,
      [] {
        auto post = parse(schemas::kPost);
        post["properties"].as_object()["comments"] =
            json::object{{"type", "array"}, {"items", parse(schemas::kComment)}};
        return json::serialize(post);
      }(),
      annotations(true, false, true), [](const json::object& a, const ToolContext& ctx) {
        return call(ctx, {Method::get, str(kApi, "/forum/posts/", id_arg(a, "id"))});
      });

  add("create_post", "Write a forum post", "Post to the forum as the signed-in user.",
      {post, "/api/v1/forum/posts"},
      object_schema(R"("title":{"type":"string","minLength":1,"maxLength":200},"content":{"type":"string","minLength":1,"maxLength":50000},"category":{"type":"string","pattern":"^[a-z0-9-]{1,40}$"})",
                    R"("title","content")"),
      std::string(schemas::kPost), annotations(false, false, false),
      [](const json::object& a, const ToolContext& ctx) {
        return call(ctx, {Method::post, str(kApi, "/forum/posts"), {},
                          body_args(a, {"title", "content", "category"})});
      });

  add("add_comment", "Comment on a post", "Comment on a forum post as the signed-in user.",
      {post, "/api/v1/forum/posts/:id/comments"},
      object_schema(R"("postId":{"type":"string"},"content":{"type":"string","minLength":1,"maxLength":10000})",
                    R"("postId","content")"),
      std::string(schemas::kComment), annotations(false, false, false),
      [](const json::object& a, const ToolContext& ctx) {
        return call(ctx, {Method::post, str(kApi, "/forum/posts/", id_arg(a, "postId"), "/comments"), {},
                          body_args(a, {"content"})});
      });

  add("list_displays", "List signage displays", "The signage displays (admin only).",
      {get, "/api/v1/signage/displays"},
      object_schema(std::string(kPaging)), page_of(schemas::kDisplay), annotations(true, false, true),
      [](const json::object& a, const ToolContext& ctx) {
        return call(ctx, {Method::get, str(kApi, "/signage/displays"), query_args(a, {"page", "limit"})});
      });

  add("set_display_content", "Set a display's content",
      "Replace what a signage display shows (admin only); open players get it within a second.",
      {put, "/api/v1/signage/displays/:id/content"},
      object_schema(str(R"("displayId":{"type":"string"},"content":)", schemas::kContent),
                    R"("displayId","content")"),
      std::string(schemas::kDisplay), annotations(false, true, true),
      [](const json::object& a, const ToolContext& ctx) {
        const auto* content = a.if_contains("content");
        if (content == nullptr || !content->is_object()) throw ArgError{"content", "must be an object"};
        return call(ctx, {Method::put, str(kApi, "/signage/displays/", id_arg(a, "displayId"), "/content"),
                          {}, *content});
      });
  return t;
}

}  // namespace

const std::vector<Tool>& tools() {
  static const std::vector<Tool> table = [] {
    auto t = build_tools();
    // Wrap every adapter: a bad argument is an isError VALIDATION_ERROR result.
    for (auto& tool : t)
      tool.run = [inner = std::move(tool.run)](const json::object& args, const ToolContext& ctx) {
        try {
          return inner(args, ctx);
        } catch (const ArgError& e) {
          json::array details;
          details.push_back(json::object{{"field", e.field}, {"message", e.message}});
          return error_result("VALIDATION_ERROR", e.field + " " + e.message, details);
        }
      };
    return t;
  }();
  return table;
}

bool Tool::read_only() const {
  const auto* r = annotations.if_contains("readOnlyHint");
  return r != nullptr && r->is_bool() && r->as_bool();
}

const Tool* find_tool(std::string_view name) {
  for (const auto& t : tools())
    if (t.name == name) return &t;
  return nullptr;
}

std::string canonical_json(const json::value& v) {
  if (v.is_object()) {
    std::vector<std::pair<std::string_view, const json::value*>> kv;
    for (const auto& e : v.as_object()) kv.emplace_back(e.key(), &e.value());
    std::sort(kv.begin(), kv.end());
    std::string s = "{";
    for (std::size_t i = 0; i < kv.size(); ++i) {
      if (i) s += ',';
      s += json::serialize(json::string(kv[i].first));
      s += ':';
      s += canonical_json(*kv[i].second);
    }
    return s + "}";
  }
  if (v.is_array()) {
    std::string s = "[";
    bool first = true;
    for (const auto& e : v.as_array()) {
      if (!first) s += ',';
      first = false;
      s += canonical_json(e);
    }
    return s + "]";
  }
  return json::serialize(v);
}

}  // namespace o4o::services::mcp
