#pragma once
#include <boost/json/object.hpp>

#include "services/payments/model.hpp"

namespace o4o::services::payments {

boost::json::object payment_json(const Payment& p, const std::string& default_currency);
boost::json::object checkout_json(const Checkout& c);

}  // namespace o4o::services::payments
