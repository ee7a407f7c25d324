#pragma once
// Request bodies and query strings turned into validated domain values. Every problem of a body
// is collected into one 400 VALIDATION_ERROR.
#include <string>

#include "core/auth.hpp"
#include "core/http.hpp"
#include "core/json_body.hpp"
#include "services/ecommerce/model.hpp"

namespace o4o::services::ecommerce {

// {name (1..200), description? (<= 10000), imageUrl? (http/https), price >= 0, category (1..60),
//  stock >= 0}
NewProduct parse_new_product(core::JsonBody& body);
// The same fields, each optional; imageUrl: null clears it; other fields may not be null.
ProductPatch parse_product_patch(core::JsonBody& body);
// {items: [{productId, quantity >= 1}] (1..100 lines), shipping?: {name, phone, address,
//  postalCode}}; unknown fields such as unitPrice or total are ignored.
NewOrder parse_new_order(core::JsonBody& body);
// {status} with status one of the order statuses.
std::string parse_order_status(core::JsonBody& body);

// ?page, ?limit, ?category, ?q, ?sort (price|-price|createdAt|-createdAt; 400 otherwise).
ProductQuery parse_product_query(const core::Request& req);
// ?page, ?limit, ?status; ?userId for admins (everyone else sees only their own orders).
OrderQuery parse_order_query(const core::Request& req, const core::AuthUser& caller);

}  // namespace o4o::services::ecommerce
