// Desks at a glance on a phone: who holds which desk on a day, the waitlist, and giving or ending a holding.
#include "modules/centre/pages.hpp"

namespace haven::centre {

Result<Response> desks_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    HAVEN_TRY(d, c.centre.desks(*request.principal, site, std::string(query.get("date"))));
    auto ctx = page_context(request);
    const bool manage = may(*request.principal, Action::desks_manage, site);
    return web::page(ctx, 200, "desks.title", [&](web::Html& h) {
        h.element("form", {{"method", "get"}, {"class", "filters"}}, [&] {
            field(h, ctx, "date", "desks.date", "date", d.date);
            h.element("button", {{"type", "submit"}, {"class", "secondary"}}, ctx.t("desks.show"));
        });
        h.element("p", {{"id", "free-desks"}, {"class", "notice"}},
                  ctx.t("desks.free_count", {{"free", std::to_string(d.free())}, {"all", std::to_string(d.desks.size())}}));
        h.element("table", {{"class", "list"}, {"id", "desks"}}, [&] {
            h.element("tbody", {}, [&] {
                for (const auto& k : d.desks)
                    h.element("tr", {{"class", k.held ? "held" : "free"}}, [&] {
                        h.element("td", {}, k.name);
                        h.element("td", {}, [&] {
                            if (!k.held) {
                                h.element("strong", {}, ctx.t("desks.free"));
                                return;
                            }
                            if (manage)
                                h.element("a", {{"href", url("/people/", k.held->person_id)}}, k.held->person);
                            else
                                h.text(ctx.t("desks.held"));
                            h.text(" · " + k.held->from + " → " + k.held->to);
                        });
                        h.element("td", {}, [&] {
                            if (manage && k.held) button_form(h, request, url("/desk-allocations/", k.held->id, "/release"), ctx.t("desks.release"));
                        });
                    });
            });
        });
        if (!manage) return;
        h.element("h2", {}, ctx.t("desks.waitlist"));
        if (d.waitlist.empty()) h.element("p", {}, ctx.t("desks.waitlist_empty"));
        h.element("ol", {{"id", "desk-waitlist"}}, [&] {
            for (const auto& w : d.waitlist)
                h.element("li", {}, [&] {
                    h.element("a", {{"href", url("/people/", w.person_id)}}, w.person);
                    h.text(" · " + ctx.t("desks.since", {{"date", local_date(w.since, c.centre.site_zone(site))}}) + " ");
                    button_form(h, request, url("/desk-waitlist/", w.id, "/remove"), ctx.t("desks.remove"));
                });
        });
        h.element("p", {{"class", "small"}}, ctx.t("desks.how"));
    });
}

Result<Response> desk_allocate(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto id = c.centre.allocate(*request.principal, number(form.get("desk_id")), person, std::string(form.get("from")), std::string(form.get("to")));
    if (!id) return web::show_again(request, id.error(), [&] { return c.person_page(request); });
    return back(url("/people/", person));
}

Result<Response> desk_wait(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(id, c.centre.wait_for_desk(*request.principal, person));
    (void)id;
    return back(url("/people/", person));
}

Result<Response> desk_release(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(site, c.centre.release(*request.principal, id));
    return back(url("/sites/", site, "/desks"));
}

Result<Response> desk_unwait(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(site, c.centre.leave_waitlist(*request.principal, id));
    return back(url("/sites/", site, "/desks"));
}

}  // namespace haven::centre
