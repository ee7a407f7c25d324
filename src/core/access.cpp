#include "core/access.hpp"

#include "core/errors.hpp"

namespace o4o::core {
namespace {

ApiError bad_device_token() {
  return err::unauthorized("Invalid or revoked token");
}

// A device token from the header, or (when `param_too`) from ?token=; 401 without one.
std::string device_token(const Credentials& presented, bool param_too) {
  if (presented.bearer) {
    if (presented.bearer->empty()) throw bad_device_token();
    return std::string(*presented.bearer);
  }
  if (param_too && presented.token_param && !presented.token_param->empty())
    return std::string(*presented.token_param);
  throw err::unauthorized();
}

// A read-only assistant token authenticates only calls that change nothing.
AuthUser checked_scope(AuthUser user, const Credentials& presented) {
  if (user.token_scope == "read" && presented.writes)
    throw err::forbidden("This assistant token is read-only");
  return user;
}

AuthUser signed_in(const Authenticator& auth, const Credentials& presented) {
  if (!presented.bearer) throw err::unauthorized();
  // An empty token is 401 in verify_token.
  return checked_scope(auth.verify_token(*presented.bearer), presented);
}

}  // namespace

std::string_view access_name(Access rule) {
  switch (rule) {
    case Access::anyone:
      return "public";
    case Access::user:
      return "user";
    case Access::creator:
      return "creator";
    case Access::admin:
      return "admin";
    case Access::device:
      return "device";
    case Access::admin_or_device:
      return "admin or device";
  }
  return "?";
}

Credentials Credentials::of(const Request& req) {
  return Credentials{bearer_token(req), req.query_param("token"),
                     req.method != Method::get && req.method != Method::head};
}

Caller authorize(const Authenticator& auth, Access rule, const Credentials& presented) {
  Caller caller;
  switch (rule) {
    case Access::anyone:
      break;
    case Access::user:
      caller.user = signed_in(auth, presented);
      break;
    case Access::creator:
      caller.user = signed_in(auth, presented);
      require_role(*caller.user, {"creator", "admin"});
      break;
    case Access::admin:
      caller.user = signed_in(auth, presented);
      require_role(*caller.user, {"admin"});
      break;
    case Access::device:
      caller.device_token = device_token(presented, true);
      break;
    case Access::admin_or_device: {
      std::string token = device_token(presented, false);
      try {
        caller.user = checked_scope(auth.verify_token(token), presented);
      } catch (const ApiError& e) {
        if (e.status() != 401) throw;
        caller.device_token = std::move(token);  // not an access token: a device's, maybe
      }
      if (caller.user) require_role(*caller.user, {"admin"});
      break;
    }
  }
  return caller;
}

}  // namespace o4o::core
