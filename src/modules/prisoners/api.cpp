#include <charconv>

#include "http/api.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/prisoners/api_common.hpp"
#include "modules/prisoners/handlers.hpp"

namespace haven::prisoners {

using api::integer;
using api::query_number;
using http::id_param;
using http::json_body;
using http::ok;
namespace json = boost::json;

namespace {

json::object balance_json(const Balance& b) { return {{"currency", b.currency}, {"balance_minor", b.minor}, {"entries", b.entries}}; }

json::object fund_json(const Fund& f) {
    json::array balances;
    for (const auto& b : f.balances) balances.push_back(balance_json(b));
    return {{"id", f.id},           {"site_id", f.site_id},   {"name", f.name},
            {"purpose", f.purpose}, {"currency", f.currency}, {"goal_minor", f.goal_minor},
            {"balances", balances}};
}

// An entry as the API shows it: never the party behind it.
json::object entry_json(const Entry& e) {
    return {{"number", e.number},     {"fund_id", e.fund_id}, {"kind", e.kind}, {"amount_minor", e.amount_minor},
            {"currency", e.currency}, {"channel", e.channel}, {"risk", e.risk}, {"value_date", e.value_date},
            {"reverses", e.reverses}, {"hash", e.hash}};
}

}  // namespace

Result<Response> api_fund_create(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(body, json_body(request));
    Fund f;
    f.site_id = site;
    HAVEN_TRY(name, http::text(body, "name", 200));
    HAVEN_TRY(purpose, http::text(body, "purpose", 2000));
    HAVEN_TRY(currency, http::text(body, "currency", 3));
    HAVEN_TRY(goal, integer(body, "goal_minor"));
    f.name = name;
    f.purpose = purpose;
    f.currency = currency;
    f.goal_minor = goal;
    HAVEN_TRY(id, c.funds.create(*request.principal, std::move(f)));
    return ok(201, json::object{{"id", id}});
}

Result<Response> api_funds(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.funds.funds(*request.principal, site));
    return http::items(list, fund_json);
}

Result<Response> api_fund(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(f, c.funds.fund(*request.principal, id));
    return ok(200, fund_json(f));
}

Result<Response> api_donation(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    Donation d;
    HAVEN_TRY(amount, integer(body, "amount_minor"));
    HAVEN_TRY(currency, http::text(body, "currency", 3));
    HAVEN_TRY(channel, http::text(body, "channel", 20));
    HAVEN_TRY(value_date, http::text(body, "value_date", 10));
    HAVEN_TRY(donor, http::text(body, "donor", 300));
    d = {amount, currency, channel, value_date, donor};
    HAVEN_TRY(e, c.funds.donate(*request.principal, id, d));
    return ok(201, entry_json(e));
}

Result<Response> api_disbursement(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(amount, integer(body, "amount_minor"));
    HAVEN_TRY(currency, http::text(body, "currency", 3));
    HAVEN_TRY(risk, http::text(body, "risk", 20));
    HAVEN_TRY(value_date, http::text(body, "value_date", 10));
    HAVEN_TRY(payee, http::text(body, "payee", 300));
    HAVEN_TRY(e, c.funds.disburse(*request.principal, id, {amount, currency, risk, value_date, payee}));
    return ok(201, entry_json(e));
}

Result<Response> api_reversal(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(number, id_param(request, "number"));
    HAVEN_TRY(e, c.funds.reverse(*request.principal, id, number));
    return ok(201, entry_json(e));
}

Result<Response> api_ledger_csv(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(csv, c.funds.ledger_csv(*request.principal, id));
    Response r = Response::text(200, std::move(csv), "text/csv; charset=utf-8");
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"ledger-" + std::to_string(id) + ".csv\"");
    return r;
}

Result<Response> api_entries(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    HAVEN_TRY(after, query_number(query, "after", 0));
    HAVEN_TRY(limit, query_number(query, "limit", 100));
    HAVEN_TRY(list, c.funds.entries(*request.principal, id, after, limit));
    return http::items(list, entry_json);
}

Result<Response> api_party(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(number, id_param(request, "number"));
    HAVEN_TRY(name, c.funds.party_of(*request.principal, id, number));
    return ok(200, json::object{{"name", name}});
}

Result<Response> api_party_erase(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(number, id_param(request, "number"));
    HAVEN_CHECK(c.funds.erase_party(*request.principal, id, number));
    return Response::text(204, "");
}

}  // namespace haven::prisoners
