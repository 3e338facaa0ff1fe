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

// The registry (pages_registry.cpp)
Result<Response> prisoners_home(Request& request, Context& c);     // GET  /prisoners → the caller's site (a writer: /write)
Result<Response> prisoners_show(Request& request, Context& c);     // GET  /sites/{site}/prisoners
Result<Response> prisoner_search(Request& request, Context& c);    // POST /sites/{site}/prisoners/search (the words stay out of URLs)
Result<Response> prisoner_create(Request& request, Context& c);    // POST /sites/{site}/prisoners
Result<Response> prisoner_import(Request& request, Context& c);    // POST /sites/{site}/prisoners/import (CSV, all or nothing)
Result<Response> prisoner_show(Request& request, Context& c);      // GET  /prisoners/{id}
Result<Response> prisoner_update(Request& request, Context& c);    // POST /prisoners/{id}
Result<Response> transfer_save(Request& request, Context& c);      // POST /prisoners/{id}/transfer
Result<Response> approvals_save(Request& request, Context& c);     // POST /prisoners/{id}/approvals
Result<Response> handwritten_save(Request& request, Context& c);   // POST /prisoners/{id}/letters
Result<Response> institutions_show(Request& request, Context& c);  // GET  /sites/{site}/institutions
Result<Response> institution_save(Request& request, Context& c);   // POST /sites/{site}/institutions
Result<Response> calendar_show(Request& request, Context& c);      // GET  /sites/{site}/prisoners/calendar
Result<Response> figures_show(Request& request, Context& c);       // GET  /sites/{site}/prisoners/figures (counts only)
Result<Response> censor_show(Request& request, Context& c);        // GET  /sites/{site}/censor
Result<Response> censor_save(Request& request, Context& c);        // POST /sites/{site}/censor

// Letters (pages_letters.cpp)
Result<Response> write_show(Request& request, Context& c);         // GET  /write (a writer's home)
Result<Response> writer_save(Request& request, Context& c);        // POST /write/profile
Result<Response> ask_save(Request& request, Context& c);           // POST /write/ask → a new letter
Result<Response> letter_show(Request& request, Context& c);        // GET  /letters/{id} (its writer, or prisoner support)
Result<Response> letter_save(Request& request, Context& c);        // POST /letters/{id} (the writer; shows the censor's warnings)
Result<Response> hand_in_save(Request& request, Context& c);       // POST /letters/{id}/hand-in
Result<Response> again_save(Request& request, Context& c);         // POST /letters/{id}/again (a new letter to the same prisoner)
Result<Response> send_save(Request& request, Context& c);          // POST /letters/{id}/send
Result<Response> outcome_save(Request& request, Context& c);       // POST /letters/{id}/outcome
Result<Response> reply_save(Request& request, Context& c);         // POST /letters/{id}/reply (text, and a scan as a file)
Result<Response> scan_show(Request& request, Context& c);          // GET  /letters/{id}/scans/{number} (its writer only)
Result<Response> site_letters_show(Request& request, Context& c);  // GET  /sites/{site}/letters
Result<Response> batch_show(Request& request, Context& c);         // GET  /sites/{site}/letters/batch (prints)
Result<Response> batch_sent_save(Request& request, Context& c);    // POST /sites/{site}/letters/batch (the letters shown went by post)

// JSON API: the registry and the letters (api_letters.cpp)
Result<Response> api_prisoners(Request& request, Context& c);           // GET  /api/v1/sites/{site}/prisoners
Result<Response> api_prisoner_search(Request& request, Context& c);     // POST /api/v1/sites/{site}/prisoners/search
Result<Response> api_prisoner_create(Request& request, Context& c);     // POST /api/v1/sites/{site}/prisoners
Result<Response> api_prisoner_import(Request& request, Context& c);     // POST /api/v1/sites/{site}/prisoners/import (text/csv)
Result<Response> api_prisoner(Request& request, Context& c);            // GET  /api/v1/prisoners/{id}
Result<Response> api_prisoner_update(Request& request, Context& c);     // PUT  /api/v1/prisoners/{id}
Result<Response> api_transfer(Request& request, Context& c);            // POST /api/v1/prisoners/{id}/transfer
Result<Response> api_approvals(Request& request, Context& c);           // PUT  /api/v1/prisoners/{id}/approvals
Result<Response> api_prisoner_letters(Request& request, Context& c);    // GET  /api/v1/prisoners/{id}/letters
Result<Response> api_handwritten(Request& request, Context& c);         // POST /api/v1/prisoners/{id}/letters
Result<Response> api_institutions(Request& request, Context& c);        // GET  /api/v1/sites/{site}/institutions
Result<Response> api_institution_create(Request& request, Context& c);  // POST /api/v1/sites/{site}/institutions
Result<Response> api_calendar(Request& request, Context& c);            // GET  /api/v1/sites/{site}/prisoners/calendar?weeks=N
Result<Response> api_figures(Request& request, Context& c);             // GET  /api/v1/sites/{site}/prisoners/figures?days=N
Result<Response> api_writers(Request& request, Context& c);             // GET  /api/v1/sites/{site}/writers
Result<Response> api_writer(Request& request, Context& c);              // GET  /api/v1/sites/{site}/writer (one's own)
Result<Response> api_writer_save(Request& request, Context& c);         // PUT  /api/v1/sites/{site}/writer
Result<Response> api_ask(Request& request, Context& c);                 // POST /api/v1/sites/{site}/letters/ask
Result<Response> api_my_letters(Request& request, Context& c);          // GET  /api/v1/sites/{site}/letters/mine
Result<Response> api_site_letters(Request& request, Context& c);        // GET  /api/v1/sites/{site}/letters?status=S
Result<Response> api_letter(Request& request, Context& c);              // GET  /api/v1/letters/{id}
Result<Response> api_letter_save(Request& request, Context& c);         // PUT  /api/v1/letters/{id}
Result<Response> api_letter_prisoner(Request& request, Context& c);     // GET  /api/v1/letters/{id}/prisoner (what a writer may know)
Result<Response> api_hand_in(Request& request, Context& c);             // POST /api/v1/letters/{id}/hand-in
Result<Response> api_again(Request& request, Context& c);               // POST /api/v1/letters/{id}/again
Result<Response> api_send(Request& request, Context& c);                // POST /api/v1/letters/{id}/send
Result<Response> api_outcome(Request& request, Context& c);             // POST /api/v1/letters/{id}/outcome
Result<Response> api_reply_create(Request& request, Context& c);        // POST /api/v1/letters/{id}/replies
Result<Response> api_replies(Request& request, Context& c);             // GET  /api/v1/letters/{id}/replies (its writer only)
Result<Response> api_censor_rules(Request& request, Context& c);        // GET  /api/v1/sites/{site}/censor-rules
Result<Response> api_censor_rules_save(Request& request, Context& c);   // PUT  /api/v1/sites/{site}/censor-rules
Result<Response> api_censor_check(Request& request, Context& c);        // POST /api/v1/sites/{site}/censor-check

// JSON API: the funds
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
