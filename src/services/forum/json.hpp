#pragma once
// Rendering forum values as the contract's JSON (camelCase, ISO 8601 timestamps).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <vector>

#include "services/forum/model.hpp"

namespace o4o::services::forum {

boost::json::object post_json(const Post& post);
boost::json::object comment_json(const Comment& comment);
// The post with "comments": [...] in the order given.
boost::json::object post_detail_json(const PostWithComments& detail);
// {name (the slug), count, names: {ko, en}} (a name is null when not set).
boost::json::object category_json(const Category& category);
boost::json::array categories_json(const std::vector<Category>& categories);

}  // namespace o4o::services::forum
