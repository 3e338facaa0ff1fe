#include "modules/reports/grants.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "core/dates.hpp"
#include "core/ids.hpp"
#include "core/money.hpp"
#include "core/utf8.hpp"
#include "http/json.hpp"
#include "modules/reports/report.hpp"
#include "modules/reports/store.hpp"

namespace haven::reports {

namespace json = boost::json;
using accounts::Action;
using storage::Tx;

const std::vector<std::string>& grant_statuses() {
    static const std::vector<std::string> s = {"prospect", "applied", "awarded", "active", "reporting", "closed", "declined"};
    return s;
}

namespace {

constexpr int64_t max_amount = 100'000'000'000;  // a thousand million in cents
constexpr size_t max_items = 50;

Error not_found() { return make_error(ErrorKind::not_found, "not_found", "There is no such grant, or you may not see it."); }
Error damaged() { return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored grant is damaged."); }

Status date_or_empty(const std::string& d, const std::string& field) {
    if (!d.empty() && !valid_date(d)) return invalid(field, field + " is a date as YYYY-MM-DD.", "date");
    return {};
}
Status amount(int64_t v, const std::string& field) {
    if (v < 0 || v > max_amount) return invalid(field, field + " is an amount of cents from 0 to " + std::to_string(max_amount) + ".", "amount");
    return {};
}

std::string funder_json(const Funder& f) {
    return json::serialize(
        json::object{{"name", f.name}, {"contact_name", f.contact_name}, {"email", f.email}, {"phone", f.phone}, {"notes", f.notes}});
}

std::string text_of(const json::object& o, const char* name) {
    const auto* v = o.if_contains(name);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
int64_t number_of(const json::object& o, const char* name) {
    const auto* v = o.if_contains(name);
    return v && v->is_int64() ? v->get_int64() : 0;
}

Result<Funder> open_funder(const crypto::Vault& vault, const store::StoredFunder& s) {
    HAVEN_TRY(plain, vault.open_field("funders", "record", s.id, s.record));
    auto v = http::parse_json(plain);
    if (!v || !v->is_object()) return damaged();
    const json::object& o = v->as_object();
    return Funder{s.id, s.site_id, text_of(o, "name"), text_of(o, "contact_name"), text_of(o, "email"), text_of(o, "phone"), text_of(o, "notes")};
}

Result<Grant> open_grant(const crypto::Vault& vault, const store::StoredGrant& s) {
    HAVEN_TRY(plain, vault.open_field("grants", "record", s.id, s.record));
    auto v = http::parse_json(plain);
    if (!v || !v->is_object()) return damaged();
    const json::object& o = v->as_object();
    Grant g;
    g.id = s.id, g.site_id = s.site_id, g.funder_id = s.funder_id, g.updated_at = s.updated_at;
    g.status = s.status, g.currency = s.currency, g.amount_minor = s.amount_minor, g.starts = s.starts, g.ends = s.ends;
    g.restricted = s.restricted;
    g.title = text_of(o, "title"), g.purpose = text_of(o, "purpose"), g.notes = text_of(o, "notes");
    auto each = [&](const char* name, auto&& f) {
        if (const auto* a = o.if_contains(name); a && a->is_array())
            for (const auto& item : a->get_array())
                if (item.is_object()) f(item.get_object());
    };
    each("tranches", [&](const json::object& t) { g.tranches.push_back({text_of(t, "due"), number_of(t, "amount_minor"), text_of(t, "received")}); });
    each("deadlines", [&](const json::object& d) {
        const auto* done = d.if_contains("done");
        g.deadlines.push_back({text_of(d, "due"), text_of(d, "what"), done && done->is_bool() && done->get_bool()});
    });
    each("lines", [&](const json::object& l) {
        g.lines.push_back({text_of(l, "label"), number_of(l, "budget_minor"), number_of(l, "actual_minor")});
    });
    each("targets", [&](const json::object& t) { g.targets.push_back({text_of(t, "indicator"), number_of(t, "target")}); });
    return g;
}

store::StoredGrant stored(const crypto::Vault& vault, const Grant& g, int64_t now) {
    return {g.id,     g.site_id,  g.funder_id, g.amount_minor, now,          now,
            g.status, g.currency, g.starts,    g.ends,         g.restricted, vault.seal_field("grants", "record", g.id, json::serialize(to_json(g)))};
}

}  // namespace

json::object to_json(const Grant& g) {
    json::array tranches, deadlines, lines, targets;
    for (const auto& t : g.tranches) tranches.push_back(json::object{{"due", t.due}, {"amount_minor", t.amount_minor}, {"received", t.received}});
    for (const auto& d : g.deadlines) deadlines.push_back(json::object{{"due", d.due}, {"what", d.what}, {"done", d.done}});
    for (const auto& l : g.lines)
        lines.push_back(json::object{{"label", l.label}, {"budget_minor", l.budget_minor}, {"actual_minor", l.actual_minor}});
    for (const auto& t : g.targets) targets.push_back(json::object{{"indicator", t.indicator}, {"target", t.target}});
    return {{"id", g.id},
            {"site_id", g.site_id},
            {"funder_id", g.funder_id},
            {"title", g.title},
            {"status", g.status},
            {"currency", g.currency},
            {"amount_minor", g.amount_minor},
            {"starts", g.starts},
            {"ends", g.ends},
            {"restricted", g.restricted},
            {"purpose", g.purpose},
            {"notes", g.notes},
            {"tranches", tranches},
            {"deadlines", deadlines},
            {"lines", lines},
            {"targets", targets}};
}

Result<std::vector<BudgetLine>> parse_budget_lines(std::string_view text) {
    std::vector<BudgetLine> out;
    size_t number = 0;
    for (size_t at = 0; at <= text.size();) {
        size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        const std::string line = trim(text.substr(at, end - at));
        at = end + 1;
        ++number;
        if (line.empty()) continue;
        std::vector<std::string> parts;
        for (size_t p = 0; p <= line.size();) {
            size_t bar = line.find('|', p);
            if (bar == std::string::npos) bar = line.size();
            parts.push_back(trim(std::string_view(line).substr(p, bar - p)));
            p = bar + 1;
        }
        const std::string field = "lines[" + std::to_string(out.size()) + "]";
        if (parts.size() < 2 || parts.size() > 3)
            return invalid(field, "Line " + std::to_string(number) + ": write label | budget | spent.", "budget_line");
        HAVEN_TRY(budget, parse_amount(parts[1], "budget"));
        int64_t spent = 0;
        if (parts.size() == 3 && !parts[2].empty()) {
            HAVEN_TRY(s, parse_amount(parts[2], "spent"));
            spent = s;
        }
        out.push_back({parts[0], budget, spent});
    }
    return out;
}

std::string format_budget_lines(const std::vector<BudgetLine>& lines) {
    std::string out;
    for (const auto& l : lines) out += l.label + " | " + format_amount(l.budget_minor) + " | " + format_amount(l.actual_minor) + "\n";
    return out;
}

Status check(const Grant& in) {
    Grant g = in;  // text_field trims; the caller's copy is checked as it will be stored
    if (std::find(grant_statuses().begin(), grant_statuses().end(), g.status) == grant_statuses().end())
        return invalid("status", "status is one of prospect, applied, awarded, active, reporting, closed, declined.", "choose");
    HAVEN_CHECK(check_currency(g.currency));
    HAVEN_CHECK(amount(g.amount_minor, "amount_minor"));
    HAVEN_CHECK(date_or_empty(g.starts, "starts"));
    HAVEN_CHECK(date_or_empty(g.ends, "ends"));
    if (!g.starts.empty() && !g.ends.empty() && g.ends < g.starts) return invalid("ends", "ends comes before starts.", "after_start");
    HAVEN_CHECK(text_field(g.title, "title", 200));
    if (g.title.empty()) return invalid("title", "title is required.", "required");
    HAVEN_CHECK(text_field(g.purpose, "purpose", 2000, true));
    HAVEN_CHECK(text_field(g.notes, "notes", 5000, true));
    if (g.tranches.size() > max_items) return invalid("tranches", "A grant has at most 50 tranches.", "too_many");
    if (g.deadlines.size() > max_items) return invalid("deadlines", "A grant has at most 50 deadlines.", "too_many");
    if (g.lines.size() > max_items) return invalid("lines", "A grant has at most 50 budget lines.", "too_many");
    if (g.targets.size() > indicators().size()) return invalid("targets", "One target per indicator at most.", "too_many");
    for (size_t i = 0; i < g.tranches.size(); ++i) {
        const std::string at = "tranches[" + std::to_string(i) + "].";
        if (!valid_date(g.tranches[i].due)) return invalid(at + "due", "A tranche's due date is a date as YYYY-MM-DD.", "date");
        HAVEN_CHECK(amount(g.tranches[i].amount_minor, at + "amount_minor"));
        HAVEN_CHECK(date_or_empty(g.tranches[i].received, at + "received"));
    }
    for (size_t i = 0; i < g.deadlines.size(); ++i) {
        const std::string at = "deadlines[" + std::to_string(i) + "].";
        if (!valid_date(g.deadlines[i].due)) return invalid(at + "due", "A deadline's date is a date as YYYY-MM-DD.", "date");
        HAVEN_CHECK(text_field(g.deadlines[i].what, at + "what", 300));
        if (g.deadlines[i].what.empty()) return invalid(at + "what", "Say what is due.", "required");
    }
    for (size_t i = 0; i < g.lines.size(); ++i) {
        const std::string at = "lines[" + std::to_string(i) + "].";
        HAVEN_CHECK(text_field(g.lines[i].label, at + "label", 200));
        if (g.lines[i].label.empty()) return invalid(at + "label", "A budget line has a label.", "required");
        HAVEN_CHECK(amount(g.lines[i].budget_minor, at + "budget_minor"));
        HAVEN_CHECK(amount(g.lines[i].actual_minor, at + "actual_minor"));
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < g.targets.size(); ++i) {
        const std::string at = "targets[" + std::to_string(i) + "].";
        const auto& name = g.targets[i].indicator;
        if (std::none_of(indicators().begin(), indicators().end(), [&](const Indicator& x) { return x.name == name; }) || !seen.insert(name).second)
            return invalid(at + "indicator", "A target is for one indicator of the catalogue, once.", "choose");
        if (g.targets[i].target < 0 || g.targets[i].target > 1'000'000'000) return invalid(at + "target", "A target is a count.", "invalid");
    }
    return {};
}

Result<int64_t> Grants::add_funder(const Principal& actor, Funder f) {
    if (!may(actor, Action::grants_manage, f.site_id)) return accounts::role_forbids();
    HAVEN_CHECK(text_field(f.name, "name", 200));
    if (f.name.empty()) return invalid("name", "name is required.", "required");
    HAVEN_CHECK(text_field(f.contact_name, "contact_name", 200));
    HAVEN_CHECK(text_field(f.email, "email", 254));
    if (!f.email.empty() && (f.email.find('@') == std::string::npos || f.email.find(' ') != std::string::npos))
        return invalid("email", "email is an e-mail address.", "email");
    HAVEN_CHECK(text_field(f.phone, "phone", 40));
    HAVEN_CHECK(text_field(f.notes, "notes", 5000, true));
    f.id = new_id();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        store::insert_funder(tx, {f.id, f.site_id, clock_.now_ms(), vault_.seal_field("funders", "record", f.id, funder_json(f))});
        audit_.record(tx, {"funder.create", actor.account_id, "funder", f.id, f.site_id});
        return {};
    }));
    return f.id;
}

Result<std::vector<Funder>> Grants::funders(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::grants_view, site_id)) return accounts::role_forbids();
    return db_.read<std::vector<Funder>>([&](Tx& tx) -> Result<std::vector<Funder>> {
        std::vector<Funder> out;
        for (const auto& s : store::funders_of(tx, site_id)) {
            HAVEN_TRY(f, open_funder(vault_, s));
            out.push_back(std::move(f));
        }
        return out;
    });
}

Result<int64_t> Grants::create(const Principal& actor, Grant g) {
    if (!may(actor, Action::grants_manage, g.site_id)) return accounts::role_forbids();
    HAVEN_CHECK(check(g));
    g.id = new_id();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        auto f = store::funder(tx, g.funder_id);
        if (!f || f->site_id != g.site_id) return invalid("funder_id", "funder_id is not one of this site's funders.", "choose");
        store::insert_grant(tx, stored(vault_, g, clock_.now_ms()));
        audit_.record(tx, {"grant.create", actor.account_id, "grant", g.id, g.site_id});
        return {};
    }));
    return g.id;
}

Status Grants::edit(const Principal& actor, int64_t id, const std::function<Status(Grant&)>& change) {
    return db_.write([&](Tx& tx) -> Status {
        auto s = store::locked_grant(tx, id);
        // Another site's grant and no grant at all answer alike.
        if (!s || !may(actor, Action::grants_view, s->site_id)) return not_found();
        if (!may(actor, Action::grants_manage, s->site_id)) return accounts::role_forbids();
        HAVEN_TRY(g, open_grant(vault_, *s));
        HAVEN_CHECK(change(g));
        g.id = s->id, g.site_id = s->site_id;
        HAVEN_CHECK(check(g));
        auto f = store::funder(tx, g.funder_id);
        if (!f || f->site_id != g.site_id) return invalid("funder_id", "funder_id is not one of this site's funders.", "choose");
        store::update_grant(tx, stored(vault_, g, clock_.now_ms()));
        audit_.record(tx, {"grant.update", actor.account_id, "grant", id, s->site_id});
        return {};
    });
}

Status Grants::update(const Principal& actor, Grant g) {
    return edit(actor, g.id, [&](Grant& stored_grant) -> Status {
        stored_grant = g;
        return {};
    });
}

Status Grants::tranche_received(const Principal& actor, int64_t id, size_t number, const std::string& date) {
    if (!valid_date(date)) return invalid("received", "received is a date as YYYY-MM-DD.", "date");
    return edit(actor, id, [&](Grant& g) -> Status {
        if (number < 1 || number > g.tranches.size()) return make_error(ErrorKind::not_found, "not_found", "There is no such tranche.");
        g.tranches[number - 1].received = date;
        return {};
    });
}

Status Grants::deadline_done(const Principal& actor, int64_t id, size_t number) {
    return edit(actor, id, [&](Grant& g) -> Status {
        if (number < 1 || number > g.deadlines.size()) return make_error(ErrorKind::not_found, "not_found", "There is no such deadline.");
        g.deadlines[number - 1].done = true;
        return {};
    });
}

Result<Grant> Grants::read(const Principal& actor, int64_t id) {
    return db_.read<Grant>([&](Tx& tx) -> Result<Grant> {
        auto s = store::grant(tx, id);
        if (!s || !may(actor, Action::grants_view, s->site_id)) return not_found();
        return open_grant(vault_, *s);
    });
}

Result<std::vector<Grant>> Grants::list(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::grants_view, site_id)) return accounts::role_forbids();
    return db_.read<std::vector<Grant>>([&](Tx& tx) -> Result<std::vector<Grant>> {
        std::vector<Grant> out;
        for (const auto& s : store::grants_of(tx, site_id)) {
            HAVEN_TRY(g, open_grant(vault_, s));
            out.push_back(std::move(g));
        }
        return out;
    });
}

Result<std::vector<Due>> Grants::due(const Principal& actor, int64_t site_id, int days) {
    if (days < 1 || days > 366) return invalid("days", "days is from 1 to 366.", "range", 366);
    HAVEN_TRY(grants, list(actor, site_id));
    const std::string until = date_of(clock_.now_ms() + int64_t(days) * day_ms);
    std::vector<Due> out;
    for (const auto& g : grants) {
        if (g.status == "closed" || g.status == "declined") continue;
        for (const auto& d : g.deadlines)
            if (!d.done && d.due <= until) out.push_back({d.due, "deadline", g.id, g.title, d.what, 0, ""});
        for (const auto& t : g.tranches)
            if (t.received.empty() && t.due <= until) out.push_back({t.due, "tranche", g.id, g.title, "", t.amount_minor, g.currency});
    }
    std::sort(out.begin(), out.end(), [](const Due& a, const Due& b) { return a.date < b.date; });
    return out;
}

std::string Grants::today() const { return date_of(clock_.now_ms()); }

}  // namespace haven::reports
