// Casework pages: the sections of a person's page and the dashboard (the other pages by noun: pages_cases.cpp,
// pages_counselling.cpp, pages_requests.cpp). Each page is short and works on a phone.
#include "modules/casework/pages.hpp"

#include "text/zones.hpp"

namespace haven::casework {

void person_sections(web::Html& h, const web::PageContext& ctx, const Request& request, Context& c, const people::Person& p) {
    const Principal& me = *request.principal;
    const std::string base = "/people/" + std::to_string(p.id);
    if (may(me, Action::cases_work, p.site_id)) {
        h.element("h2", {}, ctx.t("cases.title"));
        auto cases = c.casework.cases_of(me, p.id);
        h.element("ul", {{"id", "cases"}}, [&] {
            for (const auto& k : cases ? cases.value() : std::vector<Case>{})
                h.element("li", {}, [&] {
                    h.element("a", {{"href", url("/cases/", k.id)}}, k.title);
                    h.text(" · " + ctx.t("cases.status_" + k.status) + (k.adviser.empty() ? "" : " · " + k.adviser));
                });
        });
        // The site's own country's procedures first, the first of them chosen: a Paris case starts French.
        auto site = c.accounts.site_for(me, p.site_id, Action::cases_work);
        const std::string country = site ? text::country_code(site->country, site->time_zone) : "";
        auto all = c.casework.templates();
        std::stable_partition(all.begin(), all.end(), [&](const Template& t) { return t.country == country; });
        std::vector<std::pair<std::string, std::string>> templates, advisers = {{"", ctx.t("cases.no_adviser")}};
        for (const auto& t : all) templates.emplace_back(std::to_string(t.id), t.name + " (" + t.country + ")");
        const std::string chosen = !all.empty() && all.front().country == country ? std::to_string(all.front().id) : "";
        for (auto& a : accounts_with(c.accounts, me, p.site_id, Role::legal_adviser)) advisers.push_back(std::move(a));
        web::post_form(h, request, base + "/cases", {{"class", "stack"}, {"id", "open-case"}}, [&] {
            select_field(h, ctx, "template_id", "cases.template", templates, chosen);
            if (may(me, Action::accounts_view, p.site_id)) select_field(h, ctx, "adviser_id", "cases.adviser", advisers);
            field(h, ctx, "start_date", "cases.start_date", "date");
            h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("cases.open"));
        });
    }
    if (may(me, Action::counselling_assign, p.site_id)) {
        h.element("h2", {}, ctx.t("counselling.title"));
        auto list = c.casework.compartments_of(me, p.id);
        h.element("ul", {{"id", "counsellors"}}, [&] {
            for (const auto& k : list ? list.value() : std::vector<Compartment>{})
                h.element("li", {}, k.counsellor + " · " + ctx.t(k.closed_at ? "counselling.closed" : "counselling.open"));
        });
        auto counsellors = accounts_with(c.accounts, me, p.site_id, Role::counsellor);
        if (!counsellors.empty())
            web::post_form(h, request, base + "/counselling", {{"class", "stack"}, {"id", "assign-counsellor"}}, [&] {
                select_field(h, ctx, "counsellor_id", "counselling.counsellor", counsellors);
                h.element("p", {{"class", "small"}}, ctx.t("counselling.assign_help"));
                h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("counselling.assign"));
            });
    }
    if (may(me, Action::requests_manage, p.site_id)) {
        h.element("h2", {}, ctx.t("requests.new"));
        std::vector<std::pair<std::string, std::string>> skill_options = {{"", "—"}};
        for (auto s : skills()) skill_options.emplace_back(std::string(s), ctx.t("skill." + std::string(s)));
        web::post_form(h, request, base + "/requests", {{"class", "stack"}, {"id", "new-request"}}, [&] {
            field(h, ctx, "what", "requests.what", "text");
            select_field(h, ctx, "skill", "requests.skill", skill_options);
            field(h, ctx, "language", "requests.language", "text");
            field(h, ctx, "due_date", "requests.due_date", "date");
            checkboxes(h, ctx, "fields", "requests.fields", shareable_fields(), {"pseudonym"}, "requests.field_");
            h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("requests.create"));
        });
    }
}

Result<Response> dashboard_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(d, c.casework.dashboard(*request.principal, site));
    auto ctx = page_context(request);
    const std::string s = std::to_string(site);
    return web::page(ctx, 200, "dashboard.title", [&](web::Html& h) {
        h.element("ul", {{"class", "cards figures"}, {"id", "figures"}}, [&] {
            auto figure = [&](const char* key, int64_t n, const std::string& href) {
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("p", {{"class", "figure"}}, std::to_string(n));
                    if (href.empty())
                        h.element("p", {}, ctx.t(key));
                    else
                        h.element("a", {{"href", href}}, ctx.t(key));
                });
            };
            figure("dashboard.people", d.people, may(*request.principal, Action::people_open, site) ? "/sites/" + s + "/people" : "");
            figure("dashboard.open_cases", d.open_cases, "");
            figure("dashboard.deadlines", d.deadlines_this_week, may(*request.principal, Action::cases_view, site) ? "/deadlines?site=" + s : "");
            figure("dashboard.overdue", d.overdue, "");
            figure("dashboard.open_requests", d.open_requests,
                   may(*request.principal, Action::requests_manage, site) ? "/sites/" + s + "/requests" : "");
        });
        h.element("h2", {}, ctx.t("dashboard.arrivals"));
        int64_t most = 1;
        for (const auto& [m, n] : d.arrivals) most = std::max(most, n);
        h.element("table", {{"class", "list"}, {"id", "arrivals"}}, [&] {
            h.element("tbody", {}, [&] {
                for (const auto& arrival : d.arrivals)
                    h.element("tr", {}, [&] {
                        const std::string& month = arrival.first;  // (no structured binding: clang 14 cannot capture one)
                        const int64_t n = arrival.second;
                        h.element("th", {{"scope", "row"}}, month);
                        h.element("td", {}, [&] {
                            h.element("meter", {{"min", "0"}, {"max", std::to_string(most)}, {"value", std::to_string(n)}}, std::to_string(n));
                            h.text(" " + std::to_string(n));
                        });
                    });
            });
        });
        if (c.dashboard_sections) c.dashboard_sections(h, ctx, request, site);
    });
}

}  // namespace haven::casework
