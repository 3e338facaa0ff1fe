// Pages and JSON endpoints of desks, courses, events, occupancy and personal feeds. Routes: src/app/routes.cpp.
#pragma once

#include "core/result.hpp"
#include "http/message.hpp"
#include "modules/centre/service.hpp"
#include "web/layout.hpp"

namespace haven::centre {

using http::Request;
using http::Response;

struct Context {
    Service& centre;
    people::Service& people;
    accounts::Service& accounts;
    spaces::Service& spaces;
    bool secure = true;  // feed URLs are https unless the demo serves plain HTTP
    // A form on a person's page that failed shows that page again (app.cpp sets it: people::person_show).
    std::function<Result<Response>(Request&)> person_page = {};

    std::vector<spaces::Space> spaces_at(const Request& request, int64_t site) {
        auto list = spaces.spaces_at(*request.principal, site);
        return list ? list.value() : std::vector<spaces::Space>{};
    }
};

// The module as the app holds it.
struct Module {
    Module(const modules::Shared& shared, accounts::Service& accounts, people::Service& people, spaces::Service& spaces, bool secure)
        : service(shared, accounts, people, spaces), context{service, people, accounts, spaces, secure} {}
    Service service;
    Context context;
};

// Sections of a person's page: their desk, courses and events (people/pages.cpp calls it).
void person_sections(web::Html& h, const web::PageContext& ctx, const Request& request, Context& c, const people::Person& person);

// Pages
Result<Response> desks_show(Request& request, Context& c);         // GET  /sites/{site}/desks?date=
Result<Response> desk_allocate(Request& request, Context& c);      // POST /people/{id}/desk
Result<Response> desk_wait(Request& request, Context& c);          // POST /people/{id}/desk-waitlist
Result<Response> desk_release(Request& request, Context& c);       // POST /desk-allocations/{id}/release
Result<Response> desk_unwait(Request& request, Context& c);        // POST /desk-waitlist/{id}/remove
Result<Response> courses_show(Request& request, Context& c);       // GET  /sites/{site}/courses
Result<Response> course_save(Request& request, Context& c);        // POST /sites/{site}/courses
Result<Response> course_show(Request& request, Context& c);        // GET  /courses/{id}
Result<Response> sessions_save(Request& request, Context& c);      // POST /courses/{id}/sessions
Result<Response> course_enrol_save(Request& request, Context& c);  // POST /courses/{id}/enrolments (find, then choose)
Result<Response> enrolment_save(Request& request, Context& c);     // POST /people/{id}/courses
Result<Response> enrolment_leave(Request& request, Context& c);    // POST /course-enrolments/{id}/leave
Result<Response> attendance_show(Request& request, Context& c);    // GET  /course-sessions/{id}
Result<Response> attendance_save(Request& request, Context& c);    // POST /course-sessions/{id}
Result<Response> certificate_show(Request& request, Context& c);   // GET  /course-enrolments/{id}/certificate
Result<Response> events_show(Request& request, Context& c);        // GET  /sites/{site}/events
Result<Response> event_save(Request& request, Context& c);         // POST /sites/{site}/events
Result<Response> event_show(Request& request, Context& c);         // GET  /events/{id}
Result<Response> guest_save(Request& request, Context& c);         // POST /events/{id}/registrations (visitor)
Result<Response> person_register(Request& request, Context& c);    // POST /people/{id}/events
Result<Response> guest_cancel(Request& request, Context& c);       // POST /registrations/{id}/cancel
Result<Response> guest_ticket(Request& request, Context& c);       // GET  /registrations/{id}/ticket (the QR code)
Result<Response> check_in_save(Request& request, Context& c);      // POST /events/{id}/check-in
Result<Response> headcount_save(Request& request, Context& c);     // POST /events/{id}/headcount
Result<Response> occupancy_show(Request& request, Context& c);     // GET  /sites/{site}/occupancy?month=
Result<Response> own_feed_show(Request& request, Context& c);      // GET  /account/feed
Result<Response> own_feed_save(Request& request, Context& c);      // POST /account/feed
Result<Response> own_feed_rotate(Request& request, Context& c);    // POST /account/feed/rotate

// JSON API
Result<Response> api_desks(Request& request, Context& c);            // GET    /api/v1/sites/{site}/desks?date=
Result<Response> api_desk_allocate(Request& request, Context& c);    // POST   /api/v1/desks/{id}/allocations
Result<Response> api_desk_release(Request& request, Context& c);     // DELETE /api/v1/desk-allocations/{id}
Result<Response> api_desk_wait(Request& request, Context& c);        // POST   /api/v1/desk-waitlist
Result<Response> api_desk_unwait(Request& request, Context& c);      // DELETE /api/v1/desk-waitlist/{id}
Result<Response> api_course_create(Request& request, Context& c);    // POST   /api/v1/courses
Result<Response> api_course(Request& request, Context& c);           // GET    /api/v1/courses/{id}
Result<Response> api_courses(Request& request, Context& c);          // GET    /api/v1/sites/{site}/courses
Result<Response> api_sessions_add(Request& request, Context& c);     // POST   /api/v1/courses/{id}/sessions
Result<Response> api_enrolments(Request& request, Context& c);       // GET    /api/v1/courses/{id}/enrolments
Result<Response> api_enrol(Request& request, Context& c);            // POST   /api/v1/courses/{id}/enrolments
Result<Response> api_leave(Request& request, Context& c);            // DELETE /api/v1/course-enrolments/{id}
Result<Response> api_attendance(Request& request, Context& c);       // PUT    /api/v1/course-sessions/{id}/attendance
Result<Response> api_event_create(Request& request, Context& c);     // POST   /api/v1/events
Result<Response> api_event(Request& request, Context& c);            // GET    /api/v1/events/{id}
Result<Response> api_events(Request& request, Context& c);           // GET    /api/v1/sites/{site}/events
Result<Response> api_register(Request& request, Context& c);         // POST   /api/v1/events/{id}/registrations
Result<Response> api_registrations(Request& request, Context& c);    // GET    /api/v1/events/{id}/registrations
Result<Response> api_unregister(Request& request, Context& c);       // DELETE /api/v1/registrations/{id}
Result<Response> api_check_in(Request& request, Context& c);         // POST   /api/v1/events/{id}/check-in
Result<Response> api_headcount(Request& request, Context& c);        // POST   /api/v1/events/{id}/headcount
Result<Response> api_occupancy(Request& request, Context& c);        // GET    /api/v1/sites/{site}/occupancy?month=
Result<Response> api_own_feed(Request& request, Context& c);         // GET|PUT /api/v1/account/feed  {"show_names": bool}
Result<Response> api_own_feed_rotate(Request& request, Context& c);  // POST   /api/v1/account/feed/rotate
Result<Response> feed_show(Request& request, Context& c);            // GET    /feeds/people/{token} (public: the token is the key)

}  // namespace haven::centre
