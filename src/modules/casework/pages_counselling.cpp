// Casework pages: counsellors, a person's counselling and its compartments of notes.
#include "modules/casework/pages.hpp"

namespace haven::casework {

Result<Response> counsellor_save(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    HAVEN_TRY(id, c.casework.assign_counsellor(*request.principal, person, std::atoll(std::string(form.get("counsellor_id")).c_str())));
    (void)id;
    return Response::redirect(url("/people/", person) + "?saved=1");
}

Result<Response> counselling_show(Request& request, Context& c) {
    auto list = c.casework.my_compartments(*request.principal);
    auto ctx = page_context(request);
    return web::page(ctx, 200, "counselling.title", [&](web::Html& h) {
        h.element("p", {}, ctx.t("counselling.help"));
        if (list.empty()) h.element("p", {}, ctx.t("counselling.none"));
        h.element("ul", {{"class", "people"}, {"id", "compartments"}}, [&] {
            for (const auto& k : list) h.element("li", {}, [&] { h.element("a", {{"href", url("/counselling/", k.id)}}, k.pseudonym); });
        });
    });
}

Result<Response> compartment_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(notes, c.casework.notes(*request.principal, id));
    auto ctx = page_context(request);
    const std::string zone = c.accounts.home_zone(*request.principal);
    return web::page(ctx, 200, "counselling.notes", [&](web::Html& h) {
        h.element("p", {{"class", "small"}}, ctx.t("counselling.sealed"));
        web::post_form(h, request, url("/counselling/", id) + "/notes", {{"class", "stack"}, {"id", "new-note"}}, [&] {
            web::textarea(h, ctx, "text", "counselling.new_note", "", 5);
            h.element("button", {{"type", "submit"}}, ctx.t("counselling.save_note"));
        });
        h.element("ul", {{"class", "people"}, {"id", "notes"}}, [&] {
            for (const auto& n : notes)
                h.element("li", {}, [&] {
                    h.element("p", {{"class", "small"}}, web::site_time(n.written_at, zone));
                    h.element("p", {{"class", "note"}}, n.text);
                });
        });
    });
}

Result<Response> note_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    if (auto s = c.casework.add_note(*request.principal, id, std::string(form.get("text"))); !s)
        return web::show_again(request, s.error(), [&] { return compartment_show(request, c); });
    return Response::redirect(url("/counselling/", id));
}

}  // namespace haven::casework
