// The pages and JSON endpoints of casework: legal cases and deadlines, counselling, volunteers, requests and
// tasks, the dashboard. Routes are in src/app/routes.cpp.
#pragma once

#include "core/result.hpp"
#include "http/message.hpp"
#include "modules/casework/service.hpp"
#include "web/layout.hpp"

namespace haven::casework {

using http::Request;
using http::Response;

struct Context {
    Service& casework;
    people::Service& people;
    accounts::Service& accounts;
    // A form on a person's page that failed shows that page again (app.cpp sets it: people::person_show).
    std::function<Result<Response>(Request&)> person_page = {};
    // Sections other modules add at the foot of a site's dashboard (app.cpp sets it: what grants have due soon).
    std::function<void(web::Html&, const web::PageContext&, const Request&, int64_t site)> dashboard_sections = {};
};

// The module as the app holds it.
struct Module {
    Module(const modules::Shared& shared, accounts::Service& accounts, people::Service& people)
        : service(shared, accounts, people), context{service, people, accounts} {}
    Service service;
    Context context;
};

// What casework adds to a person's page (cases, counselling, requests), for those who may see it.
void person_sections(web::Html& h, const web::PageContext& ctx, const Request& request, Context& c, const people::Person& person);

// Pages
Result<Response> case_open_save(Request& request, Context& c);    // POST /people/{id}/cases
Result<Response> case_show(Request& request, Context& c);         // GET  /cases/{id}
Result<Response> step_save(Request& request, Context& c);         // POST /cases/{id}/steps/{step}
Result<Response> document_save(Request& request, Context& c);     // POST /cases/{id}/documents/{doc}
Result<Response> case_close_save(Request& request, Context& c);   // POST /cases/{id}/close
Result<Response> deadlines_show(Request& request, Context& c);    // GET  /deadlines?site=
Result<Response> templates_show(Request& request, Context& c);    // GET  /templates
Result<Response> template_save(Request& request, Context& c);     // POST /templates/{id}
Result<Response> counsellor_save(Request& request, Context& c);   // POST /people/{id}/counselling
Result<Response> counselling_show(Request& request, Context& c);  // GET  /counselling
Result<Response> compartment_show(Request& request, Context& c);  // GET  /counselling/{id}
Result<Response> note_save(Request& request, Context& c);         // POST /counselling/{id}/notes
Result<Response> volunteer_show(Request& request, Context& c);    // GET  /volunteer
Result<Response> volunteer_save(Request& request, Context& c);    // POST /volunteer
Result<Response> request_save(Request& request, Context& c);      // POST /people/{id}/requests
Result<Response> requests_show(Request& request, Context& c);     // GET  /sites/{site}/requests
Result<Response> assign_save(Request& request, Context& c);       // POST /requests/{id}/assign
Result<Response> tasks_show(Request& request, Context& c);        // GET  /tasks
Result<Response> task_done_save(Request& request, Context& c);    // POST /tasks/{id}/done
Result<Response> dashboard_show(Request& request, Context& c);    // GET  /sites/{site}/dashboard

// JSON API
Result<Response> api_templates(Request& request, Context& c);        // GET  /api/v1/templates
Result<Response> api_template_save(Request& request, Context& c);    // PUT  /api/v1/templates/{id}
Result<Response> api_case_open(Request& request, Context& c);        // POST /api/v1/people/{id}/cases
Result<Response> api_cases_of(Request& request, Context& c);         // GET  /api/v1/people/{id}/cases
Result<Response> api_case(Request& request, Context& c);             // GET  /api/v1/cases/{id}
Result<Response> api_step_save(Request& request, Context& c);        // POST /api/v1/cases/{id}/steps/{step}
Result<Response> api_document_save(Request& request, Context& c);    // POST /api/v1/cases/{id}/documents/{doc}
Result<Response> api_case_close(Request& request, Context& c);       // POST /api/v1/cases/{id}/close
Result<Response> api_deadlines(Request& request, Context& c);        // GET  /api/v1/deadlines?days=&site=
Result<Response> api_counsellor_save(Request& request, Context& c);  // POST /api/v1/people/{id}/counselling
Result<Response> api_compartments_of(Request& request, Context& c);  // GET  /api/v1/people/{id}/counselling
Result<Response> api_my_compartments(Request& request, Context& c);  // GET  /api/v1/counselling
Result<Response> api_notes(Request& request, Context& c);            // GET  /api/v1/counselling/{id}/notes
Result<Response> api_note_save(Request& request, Context& c);        // POST /api/v1/counselling/{id}/notes
Result<Response> api_volunteer(Request& request, Context& c);        // GET  /api/v1/me/volunteer
Result<Response> api_volunteer_save(Request& request, Context& c);   // PUT  /api/v1/me/volunteer
Result<Response> api_volunteers(Request& request, Context& c);       // GET  /api/v1/sites/{site}/volunteers
Result<Response> api_request_save(Request& request, Context& c);     // POST /api/v1/people/{id}/requests
Result<Response> api_requests(Request& request, Context& c);         // GET  /api/v1/sites/{site}/requests
Result<Response> api_suggestions(Request& request, Context& c);      // GET  /api/v1/requests/{id}/suggestions
Result<Response> api_assign(Request& request, Context& c);           // POST /api/v1/requests/{id}/assign
Result<Response> api_tasks(Request& request, Context& c);            // GET  /api/v1/tasks
Result<Response> api_task_done(Request& request, Context& c);        // POST /api/v1/tasks/{id}/done
Result<Response> api_dashboard(Request& request, Context& c);        // GET  /api/v1/sites/{site}/dashboard

}  // namespace haven::casework
