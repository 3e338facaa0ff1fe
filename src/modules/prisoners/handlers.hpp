// Prisoner support's endpoints (issue 18): the registry, the writers' letters, the legal-aid funds — pages and JSON
// API. Routes are in src/app/routes.cpp.
#pragma once

#include "core/result.hpp"
#include "http/message.hpp"
#include "modules/prisoners/fund.hpp"
#include "modules/prisoners/letters.hpp"
#include "modules/prisoners/registry.hpp"

namespace haven::prisoners {

using http::Request;
using http::Response;

struct Context {
    FundService& funds;
    Registry& registry;
    Letters& letters;
};

// The module as the app holds it.
struct Module {
    Module(const modules::Shared& shared, accounts::Service& accounts)
        : funds(shared, accounts), registry(shared, accounts), letters(shared, accounts, registry), context{funds, registry, letters} {}
    FundService funds;
    Registry registry;
    Letters letters;
    Context context;
};

// Pages
Result<Response> funds_home(Request& request, Context& c);         // GET  /funds → the caller's site
Result<Response> funds_show(Request& request, Context& c);         // GET  /sites/{site}/funds
Result<Response> fund_save(Request& request, Context& c);          // POST /sites/{site}/funds
Result<Response> fund_show(Request& request, Context& c);          // GET  /funds/{id}
Result<Response> donation_save(Request& request, Context& c);      // POST /funds/{id}/donations
Result<Response> disbursement_save(Request& request, Context& c);  // POST /funds/{id}/disbursements
Result<Response> reversal_save(Request& request, Context& c);      // POST /funds/{id}/entries/{number}/reverse (asks first)

// JSON API
Result<Response> api_fund_create(Request& request, Context& c);   // POST /api/v1/sites/{site}/funds
Result<Response> api_funds(Request& request, Context& c);         // GET  /api/v1/sites/{site}/funds
Result<Response> api_fund(Request& request, Context& c);          // GET  /api/v1/funds/{id}
Result<Response> api_donation(Request& request, Context& c);      // POST /api/v1/funds/{id}/donations
Result<Response> api_disbursement(Request& request, Context& c);  // POST /api/v1/funds/{id}/disbursements
Result<Response> api_reversal(Request& request, Context& c);      // POST /api/v1/funds/{id}/entries/{number}/reverse
Result<Response> api_ledger_csv(Request& request, Context& c);    // GET  /api/v1/funds/{id}/ledger.csv (no identity)
Result<Response> api_entries(Request& request, Context& c);       // GET  /api/v1/funds/{id}/entries?after=SEQ&limit=N
Result<Response> api_party(Request& request, Context& c);         // GET  /api/v1/funds/{id}/entries/{number}/party (audited)
Result<Response> api_party_erase(Request& request, Context& c);   // DELETE /api/v1/funds/{id}/entries/{number}/party

}  // namespace haven::prisoners
