// Funders' and grants' JSON API: list and create funders and grants, read a grant, replace it whole (PUT), and
// what is due. Amounts in minor units (cents); dates YYYY-MM-DD. The service decides who may.
#include <charconv>

#include "http/api.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/reports/handlers.hpp"

namespace haven::reports {

namespace json = boost::json;
using http::id_param;
using http::json_body;
using http::ok;

namespace {

Result<int64_t> whole(const json::object& o, const std::string& name, int64_t fallback = 0) {
    const auto* v = o.if_contains(name);
    if (!v) return fallback;
    if (!v->is_int64()) return invalid(name, name + " must be a whole number.", "invalid");
    return v->get_int64();
}

Result<std::string> string_of(const json::object& o, const std::string& name, size_t max = 5000) {
    const auto* v = o.if_contains(name);
    if (!v) return std::string();
    if (!v->is_string() || v->get_string().size() > max)
        return invalid(name, name + " must be a string of at most " + std::to_string(max) + " bytes.", "invalid");
    return std::string(v->get_string());
}

// Each object of the array `name` (at most 50), handed to `each` with its field prefix ("tranches[2].").
Status objects(const json::object& o, const char* name, const std::function<Status(const json::object&, const std::string&)>& each) {
    const auto* v = o.if_contains(name);
    if (!v) return {};
    if (!v->is_array() || v->get_array().size() > 50) return invalid(name, std::string(name) + " must be a list of at most 50 objects.", "too_many");
    size_t i = 0;
    for (const auto& item : v->get_array()) {
        const std::string at = std::string(name) + "[" + std::to_string(i++) + "]";
        if (!item.is_object()) return invalid(at, at + " must be an object.", "invalid");
        HAVEN_CHECK(each(item.get_object(), at + "."));
    }
    return {};
}

Result<Grant> grant_from(const json::object& o) {
    Grant g;
    HAVEN_TRY(funder, whole(o, "funder_id"));
    g.funder_id = funder;
    HAVEN_TRY(title, string_of(o, "title", 200));
    g.title = title;
    HAVEN_TRY(status, string_of(o, "status", 20));
    if (!status.empty()) g.status = status;
    HAVEN_TRY(currency, string_of(o, "currency", 3));
    if (!currency.empty()) g.currency = currency;
    HAVEN_TRY(amount, whole(o, "amount_minor"));
    g.amount_minor = amount;
    HAVEN_TRY(starts, string_of(o, "starts", 10));
    g.starts = starts;
    HAVEN_TRY(ends, string_of(o, "ends", 10));
    g.ends = ends;
    if (const auto* r = o.if_contains("restricted")) {
        if (!r->is_bool()) return invalid("restricted", "restricted must be true or false.", "invalid");
        g.restricted = r->get_bool();
    }
    HAVEN_TRY(purpose, string_of(o, "purpose", 2000));
    g.purpose = purpose;
    HAVEN_TRY(notes, string_of(o, "notes"));
    g.notes = notes;
    HAVEN_CHECK(objects(o, "tranches", [&](const json::object& t, const std::string& at) -> Status {
        HAVEN_TRY(due, string_of(t, "due", 10));
        HAVEN_TRY(minor, whole(t, "amount_minor"));
        HAVEN_TRY(received, string_of(t, "received", 10));
        g.tranches.push_back({due, minor, received});
        (void)at;
        return {};
    }));
    HAVEN_CHECK(objects(o, "deadlines", [&](const json::object& d, const std::string& at) -> Status {
        HAVEN_TRY(due, string_of(d, "due", 10));
        HAVEN_TRY(what, string_of(d, "what", 300));
        const auto* done = d.if_contains("done");
        if (done && !done->is_bool()) return invalid(at + "done", "done must be true or false.", "invalid");
        g.deadlines.push_back({due, what, done && done->get_bool()});
        return {};
    }));
    HAVEN_CHECK(objects(o, "lines", [&](const json::object& l, const std::string&) -> Status {
        HAVEN_TRY(label, string_of(l, "label", 200));
        HAVEN_TRY(budget, whole(l, "budget_minor"));
        HAVEN_TRY(actual, whole(l, "actual_minor"));
        g.lines.push_back({label, budget, actual});
        return {};
    }));
    HAVEN_CHECK(objects(o, "targets", [&](const json::object& t, const std::string&) -> Status {
        HAVEN_TRY(indicator, string_of(t, "indicator", 40));
        HAVEN_TRY(target, whole(t, "target"));
        g.targets.push_back({indicator, target});
        return {};
    }));
    return g;
}

}  // namespace

Result<Response> api_funders(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.grants.funders(*request.principal, site));
    return http::items(list, [](const Funder& f) {
        return json::object{{"id", f.id},       {"name", f.name},   {"contact_name", f.contact_name},
                            {"email", f.email}, {"phone", f.phone}, {"notes", f.notes}};
    });
}

Result<Response> api_funder_create(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(body, json_body(request));
    Funder f;
    f.site_id = site;
    HAVEN_TRY(name, string_of(body, "name", 200));
    HAVEN_TRY(contact, string_of(body, "contact_name", 200));
    HAVEN_TRY(email, string_of(body, "email", 254));
    HAVEN_TRY(phone, string_of(body, "phone", 40));
    HAVEN_TRY(notes, string_of(body, "notes"));
    f.name = name, f.contact_name = contact, f.email = email, f.phone = phone, f.notes = notes;
    HAVEN_TRY(id, c.grants.add_funder(*request.principal, f));
    return ok(201, json::object{{"id", id}});
}

Result<Response> api_grants(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.grants.list(*request.principal, site));
    return http::items(list, [](const Grant& g) { return to_json(g); });
}

Result<Response> api_grant_create(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(g, grant_from(body));
    g.site_id = site;
    HAVEN_TRY(id, c.grants.create(*request.principal, g));
    HAVEN_TRY(made, c.grants.read(*request.principal, id));
    return ok(201, to_json(made));
}

Result<Response> api_grant(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(g, c.grants.read(*request.principal, id));
    return ok(200, to_json(g));
}

Result<Response> api_grant_update(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(g, grant_from(body));
    g.id = id;
    HAVEN_CHECK(c.grants.update(*request.principal, g));
    HAVEN_TRY(saved, c.grants.read(*request.principal, id));
    return ok(200, to_json(saved));
}

Result<Response> api_due(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    const std::string_view text = query.get("days");
    int64_t days = 60;
    if (!text.empty()) {
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
        if (ec != std::errc{} || p != text.data() + text.size()) return invalid("days", "days is a whole number from 1 to 366.", "range", 366);
    }
    if (days < 1 || days > 366) return invalid("days", "days is a whole number from 1 to 366.", "range", 366);
    HAVEN_TRY(due, c.grants.due(*request.principal, site, int(days)));
    return http::items(due, [](const Due& d) {
        return json::object{{"date", d.date},        {"kind", d.kind}, {"grant_id", d.grant_id},
                            {"grant", d.grant},      {"what", d.what}, {"amount_minor", d.amount_minor},
                            {"currency", d.currency}};
    });
}

}  // namespace haven::reports
