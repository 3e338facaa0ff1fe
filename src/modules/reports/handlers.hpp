// Reports for funders, funders and grants (issue 19): pages and JSON API. Routes are in src/app/routes.cpp.
#pragma once

#include "core/result.hpp"
#include "http/message.hpp"
#include "modules/reports/grants.hpp"
#include "modules/reports/report.hpp"

namespace haven::reports {

using http::Request;
using http::Response;

struct Context {
    Reports& reports;
    Grants& grants;
};

// The module as the app holds it.
struct Module {
    Module(const modules::Shared& shared, accounts::Service& accounts) : reports(shared, accounts), grants(shared), context{reports, grants} {}
    Reports reports;
    Grants grants;
    Context context;
};

// Pages (pages.cpp)
Result<Response> reports_show(Request& request, Context& c);    // GET  /reports: the reports one may read, and a new one
Result<Response> report_prepare(Request& request, Context& c);  // POST /reports (the editor prepares)
Result<Response> report_show(Request& request, Context& c);     // GET  /reports/{id}: the table, the charts, release/discard
Result<Response> report_chart(Request& request, Context& c);    // GET  /reports/{id}/charts/{number} (from 1; SVG, an indicator's bars)
Result<Response> report_release(Request& request, Context& c);  // POST /reports/{id}/release (an administrator)
Result<Response> report_discard(Request& request, Context& c);  // POST /reports/{id}/discard
Result<Response> report_csv(Request& request, Context& c);      // GET  /reports/{id}/csv  (released only)
Result<Response> report_xlsx(Request& request, Context& c);     // GET  /reports/{id}/xlsx (released only)
Result<Response> report_pdf(Request& request, Context& c);      // GET  /reports/{id}/pdf  (released only)

// Funders and grants (pages_grants.cpp)
Result<Response> grants_home(Request& request, Context& c);       // GET  /grants → the caller's site
Result<Response> grants_show(Request& request, Context& c);       // GET  /sites/{site}/grants: what is due, the grants, new ones
Result<Response> funder_save(Request& request, Context& c);       // POST /sites/{site}/funders
Result<Response> grant_create(Request& request, Context& c);      // POST /sites/{site}/grants
Result<Response> grant_show(Request& request, Context& c);        // GET  /grants/{id}: tranches, deadlines, budget, targets, reports
Result<Response> grant_update(Request& request, Context& c);      // POST /grants/{id}
Result<Response> tranche_add(Request& request, Context& c);       // POST /grants/{id}/tranches
Result<Response> deadline_add(Request& request, Context& c);      // POST /grants/{id}/deadlines
Result<Response> tranche_received(Request& request, Context& c);  // POST /grants/{id}/tranches/{number}/received (today)
Result<Response> deadline_done(Request& request, Context& c);     // POST /grants/{id}/deadlines/{number}/done

// JSON API (api.cpp)
Result<Response> api_reports(Request& request, Context& c);         // GET  /api/v1/reports
Result<Response> api_report_prepare(Request& request, Context& c);  // POST /api/v1/reports
Result<Response> api_report(Request& request, Context& c);          // GET  /api/v1/reports/{id}
Result<Response> api_report_release(Request& request, Context& c);  // POST /api/v1/reports/{id}/release
Result<Response> api_report_discard(Request& request, Context& c);  // POST /api/v1/reports/{id}/discard
Result<Response> api_funders(Request& request, Context& c);         // GET  /api/v1/sites/{site}/funders (api_grants.cpp)
Result<Response> api_funder_create(Request& request, Context& c);   // POST /api/v1/sites/{site}/funders
Result<Response> api_grants(Request& request, Context& c);          // GET  /api/v1/sites/{site}/grants
Result<Response> api_grant_create(Request& request, Context& c);    // POST /api/v1/sites/{site}/grants
Result<Response> api_grant(Request& request, Context& c);           // GET  /api/v1/grants/{id}
Result<Response> api_grant_update(Request& request, Context& c);    // PUT  /api/v1/grants/{id} (the whole grant)
Result<Response> api_due(Request& request, Context& c);             // GET  /api/v1/sites/{site}/due?days=60

}  // namespace haven::reports
