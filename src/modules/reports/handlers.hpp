// Reports for funders (issue 19): pages and JSON API. Routes are in src/app/routes.cpp.
#pragma once

#include "core/result.hpp"
#include "http/message.hpp"
#include "modules/reports/report.hpp"

namespace haven::reports {

using http::Request;
using http::Response;

struct Context {
    Reports& reports;
};

// The module as the app holds it.
struct Module {
    Module(const modules::Shared& shared, accounts::Service& accounts) : reports(shared, accounts), context{reports} {}
    Reports reports;
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

// JSON API (api.cpp)
Result<Response> api_reports(Request& request, Context& c);         // GET  /api/v1/reports
Result<Response> api_report_prepare(Request& request, Context& c);  // POST /api/v1/reports
Result<Response> api_report(Request& request, Context& c);          // GET  /api/v1/reports/{id}
Result<Response> api_report_release(Request& request, Context& c);  // POST /api/v1/reports/{id}/release
Result<Response> api_report_discard(Request& request, Context& c);  // POST /api/v1/reports/{id}/discard

}  // namespace haven::reports
