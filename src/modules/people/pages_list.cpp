// The people of a site: the list (how many, by pages of 50), the search (posted, then shown by a token, see
// searches.hpp) and the retention proposals.
#include "core/dates.hpp"
#include "modules/people/pages.hpp"

namespace haven::people {

namespace {

constexpr size_t page_size = 50;

// The list says how many there are and pages through them; a search shows its first 50 and says when there are more.
Result<Response> people_page(Request& request, Context& c, int64_t site, const std::string& query, bool expired, size_t page) {
    const Principal& me = *request.principal;
    if (!may(me, Action::people_open, site)) return accounts::role_forbids();
    auto ctx = page_context(request);
    people::Service::Listing list;
    if (query.empty()) {
        HAVEN_TRY(listed, c.people.listing(me, site, page * page_size, page_size));
        list = std::move(listed);
    } else {
        HAVEN_TRY(found, c.people.search(me, query, page_size + 1, site));
        list.total = int64_t(found.size());
        if (found.size() > page_size) found.resize(page_size);
        list.people = std::move(found);
    }
    const std::vector<Match>& shown = list.people;
    return web::page(ctx, 200, "people.title", [&](web::Html& h) {
        h.element("p", {{"class", "actions"}}, [&] {
            if (may(me, Action::people_manage, site))
                h.element("a", {{"href", site_url(site) + "/new"}, {"class", "button"}, {"id", "new-arrival"}}, ctx.t("people.new"));
            if (may(me, Action::people_transfer, site)) {
                h.element("a", {{"href", site_url(site) + "/import"}}, ctx.t("people.import"));
                h.text(" · ");
                h.element("a", {{"href", site_url(site) + "/export"}}, ctx.t("people.export"));
            }
            if (may(me, Action::people_erase, site)) {
                h.text(" · ");
                h.element("a", {{"href", site_url(site) + "/retention"}}, ctx.t("people.retention"));
            }
        });
        web::post_form(h, request, site_url(site) + "/search", {{"class", "filters"}, {"role", "search"}}, [&] {
            field(h, ctx, "q", "people.search", "search", query);
            h.element("button", {{"type", "submit"}}, ctx.t("people.search_button"));
        });
        if (expired) notice(h, ctx.t("people.search_expired"), false);
        if (query.empty()) {
            h.element("h2", {{"id", "people-count"}}, ctx.t("people.count", {{"count", list.total}}));
            if (list.total > int64_t(page_size))
                h.element("p", {{"class", "small"}},
                          ctx.t("people.showing", {{"from", int64_t(page * page_size + (shown.empty() ? 0 : 1))},
                                                   {"to", int64_t(page * page_size + shown.size())},
                                                   {"total", list.total}}));
        } else if (list.total > int64_t(page_size)) {
            h.element("h2", {{"id", "people-count"}}, ctx.t("people.results_more", {{"count", int64_t(page_size)}}));
        } else {
            h.element("h2", {{"id", "people-count"}}, ctx.t("people.results", {{"count", int64_t(shown.size())}}));
        }
        if (shown.empty()) h.element("p", {}, ctx.t("people.none"));
        match_list(h, shown, "people");
        if (query.empty() && list.total > int64_t(page_size))
            h.element("nav", {{"class", "pages"}, {"aria-label", ctx.t("people.pages")}}, [&] {
                if (page > 0)
                    h.element("a", {{"href", site_url(site) + "?page=" + std::to_string(page - 1)}, {"rel", "prev"}}, ctx.t("people.previous"));
                if (int64_t((page + 1) * page_size) < list.total)
                    h.element("a", {{"href", site_url(site) + "?page=" + std::to_string(page + 1)}, {"rel", "next"}}, ctx.t("people.next"));
            });
    });
}

}  // namespace

Result<Response> people_home(Request& request, Context& c) {
    for (const auto& r : request.principal->roles)
        if (accounts::role_allows(r.role, Action::people_open)) return Response::redirect(site_url(r.site_id));
    (void)c;
    return accounts::role_forbids();
}

Result<Response> people_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(query, http::Form::parse(request.query));
    if (!query.has("search")) {
        const int64_t page = query.has("page") ? std::atoll(std::string(query.get("page")).c_str()) : 0;
        if (page < 0 || page > 100'000) return invalid("page", "page must be a page number.");
        return people_page(request, c, site, "", false, size_t(page));
    }
    auto kept = c.searches.find(request.principal->account_id, std::string(query.get("search")));
    return people_page(request, c, site, kept.value_or(""), !kept, 0);
}

Result<Response> people_search(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    // Post, then redirect to the results by a token (searches.hpp): Back works, the name stays out of the URL.
    if (!may(*request.principal, Action::people_open, site)) return accounts::role_forbids();
    const std::string q(form.get("q"));
    if (q.size() > 200) return invalid("q", "A search is at most 200 characters.", "too_long");
    if (q.empty()) return Response::redirect(site_url(site));
    return Response::redirect(site_url(site) + "?search=" + c.searches.keep(request.principal->account_id, q));
}

Result<Response> retention_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(due, c.people.retention_due(*request.principal, site));
    auto ctx = page_context(request);
    const std::string zone = c.accounts.site_zone(site);
    return web::page(ctx, 200, "people.retention", [&](web::Html& h) {
        h.element("p", {}, ctx.t("people.retention_help"));
        if (due.empty()) h.element("p", {}, ctx.t("people.none"));
        h.element("ul", {{"class", "people"}, {"id", "retention"}}, [&] {
            for (const auto& m : due)
                h.element("li", {}, [&] {
                    h.element("a", {{"href", person_url(m.id)}}, m.pseudonym);
                    h.element("span", {{"class", "small"}}, " · " + ctx.t("people.inactive_since", {{"time", web::site_time(m.active_at, zone)}}));
                });
        });
    });
}

}  // namespace haven::people
