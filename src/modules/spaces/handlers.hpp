// The JSON endpoints of spaces and bookings (pages, calendar feeds, courses and events come next).
// Routes are in src/app/routes.cpp.
#pragma once

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "http/message.hpp"
#include "modules/spaces/service.hpp"
#include "web/layout.hpp"

namespace haven::spaces {

using http::Request;
using http::Response;

struct Context {
    Service& spaces;
    bool secure = true;  // feed URLs are https unless the demo serves plain HTTP
};

// The module as the app holds it.
struct Module {
    Module(const modules::Shared& shared, accounts::Service& accounts, bool secure) : service(shared, accounts), context{service, secure} {}
    Service service;
    Context context;
};

// Shared with the modules that book spaces (courses): the request's parts and the 409 that names a clash.
Result<int64_t> instant(const boost::json::object& body, const char* name);  // an RFC 3339 member
Result<Recurrence> recurrence_from(const boost::json::object& body);         // the optional "recurrence"
Response clash_response(const Clash& clash);
// A feed's address as the caller reached this server (the Host they used).
std::string feed_url(const Request& request, bool secure, const std::string& path);

// Pages
Result<Response> spaces_show(Request& request, Context& c);       // GET    /sites/{site}/spaces
Result<Response> space_save(Request& request, Context& c);        // POST   /sites/{site}/spaces
Result<Response> space_show(Request& request, Context& c);        // GET    /spaces/{id}?week=YYYY-MM-DD
Result<Response> booking_save(Request& request, Context& c);      // POST   /spaces/{id}/bookings
Result<Response> feed_rotate_save(Request& request, Context& c);  // POST   /spaces/{id}/feed/rotate
Result<Response> booking_cancel(Request& request, Context& c);    // POST   /bookings/{id}/cancel (series=1: the rest of its series)

// JSON API
Result<Response> api_space_create(Request& request, Context& c);    // POST   /api/v1/spaces
Result<Response> api_space(Request& request, Context& c);           // GET    /api/v1/spaces/{id}
Result<Response> api_spaces(Request& request, Context& c);          // GET    /api/v1/sites/{site}/spaces
Result<Response> api_booking_create(Request& request, Context& c);  // POST   /api/v1/bookings
Result<Response> api_bookings(Request& request, Context& c);        // GET    /api/v1/spaces/{id}/bookings?from=&to=
Result<Response> api_booking_cancel(Request& request, Context& c);  // DELETE /api/v1/bookings/{id}?series=true
Result<Response> api_space_hours(Request& request, Context& c);     // PUT    /api/v1/spaces/{id}/opening-hours
Result<Response> api_feed_rotate(Request& request, Context& c);     // POST   /api/v1/spaces/{id}/feed/rotate
Result<Response> feed_show(Request& request, Context& c);           // GET    /feeds/spaces/{token} (public: the token is the key)

}  // namespace haven::spaces
