#include "http/api.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/casework/handlers.hpp"

namespace haven::casework {

using http::id_param;
using http::json_body;
using http::ok;
namespace json = boost::json;

namespace {

Error bad_field(const std::string& field, const std::string& message) { return make_error(ErrorKind::invalid, "validation_failed", message, field); }

Result<int64_t> id_member(const json::object& o, const char* name, bool required) {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) {
        if (required) return bad_field(name, std::string(name) + " is required.");
        return int64_t(0);
    }
    if (!v->is_int64() || v->get_int64() <= 0) return bad_field(name, std::string(name) + " must be an id.");
    return v->get_int64();
}

Result<std::vector<std::string>> list_member(const json::object& o, const char* name) {
    std::vector<std::string> out;
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return out;
    if (!v->is_array() || v->get_array().size() > 50) return bad_field(name, std::string(name) + " must be a list of at most 50 strings.");
    for (const auto& x : v->get_array()) {
        if (!x.is_string()) return bad_field(name, std::string(name) + " must be a list of strings.");
        out.emplace_back(x.get_string());
    }
    return out;
}

Result<std::optional<bool>> bool_member(const json::object& o, const char* name) {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return std::optional<bool>();
    if (!v->is_bool()) return bad_field(name, std::string(name) + " must be true or false.");
    return std::optional<bool>(v->get_bool());
}

json::array strings(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& x : v) a.emplace_back(x);
    return a;
}

json::object case_json(const Case& k) {
    json::array steps, docs;
    for (const auto& s : k.steps)
        steps.push_back(json::object{{"id", s.id}, {"title", s.title}, {"note", s.note}, {"due_date", s.due_date}, {"done", s.done}});
    for (const auto& d : k.documents) docs.push_back(json::object{{"id", d.id}, {"name", d.name}, {"received", d.received}});
    return {{"id", k.id},           {"person_id", k.person_id}, {"site_id", k.site_id}, {"adviser_id", k.adviser_id},
            {"adviser", k.adviser}, {"pseudonym", k.pseudonym}, {"status", k.status},   {"title", k.title},
            {"steps", steps},       {"documents", docs}};
}

json::object profile_json(const Profile& p) {
    return {{"account_id", p.account_id},        {"site_id", p.site_id},    {"username", p.username}, {"skills", strings(p.skills)},
            {"languages", strings(p.languages)}, {"days", strings(p.days)}, {"note", p.note},         {"open_tasks", p.open_tasks}};
}

json::object request_json(const HelpRequest& q) {
    return {{"id", q.id},
            {"site_id", q.site_id},
            {"person_id", q.person_id},
            {"status", q.status},
            {"what", q.what},
            {"skill", q.skill},
            {"language", q.language},
            {"due_date", q.due_date},
            {"pseudonym", q.pseudonym},
            {"volunteer_id", q.volunteer_id},
            {"volunteer", q.volunteer},
            {"fields", strings(q.fields)}};
}

Result<Template> template_from(const json::object& body) {
    Template t;
    HAVEN_TRY(country, http::text(body, "country", 2));
    HAVEN_TRY(name, http::text(body, "name", 200));
    t.country = country;
    t.name = name;
    const auto* steps = body.if_contains("steps");
    if (!steps || !steps->is_array()) return bad_field("steps", "steps must be a list of {title, days, documents}.");
    for (size_t i = 0; i < steps->get_array().size(); ++i) {
        const auto& s = steps->get_array()[i];
        const std::string field = "steps[" + std::to_string(i) + "]";
        if (!s.is_object()) return bad_field(field, field + " must be an object.");
        HAVEN_TRY(title, http::text(s.get_object(), "title", 300));
        TemplateStep step{title, 0, {}};
        if (const auto* d = s.get_object().if_contains("days")) {
            if (!d->is_int64()) return bad_field(field + ".days", field + ".days must be a whole number.");
            step.days = int(std::clamp<int64_t>(d->get_int64(), -1, 100000));
        }
        HAVEN_TRY(docs, list_member(s.get_object(), "documents"));
        step.documents = docs;
        if (const auto* titles = s.get_object().if_contains("titles")) {
            if (!titles->is_object()) return bad_field(field + ".titles", field + ".titles must be an object {language: title}.");
            for (const auto& [lang, title] : titles->get_object()) {
                if (!title.is_string()) return bad_field(field + ".titles", field + ".titles must map languages to text.");
                step.titles[std::string(lang)] = std::string(title.get_string());
            }
        }
        t.steps.push_back(std::move(step));
    }
    return t;
}

}  // namespace

Result<Response> api_templates(Request&, Context& c) {
    json::array out;
    for (const auto& t : c.casework.templates()) {
        json::array steps;
        for (const auto& s : t.steps) {
            json::object titles;
            for (const auto& [lang, title] : s.titles) titles[lang] = title;
            steps.push_back(json::object{{"title", s.title}, {"days", s.days}, {"documents", strings(s.documents)}, {"titles", titles}});
        }
        out.push_back(json::object{{"id", t.id}, {"country", t.country}, {"name", t.name}, {"steps", steps}});
    }
    return ok(200, json::object{{"items", out}});
}

Result<Response> api_template_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(t, template_from(body));
    t.id = id;
    if (auto s = c.casework.save_template(*request.principal, t); !s) return s.error();
    return ok(200, json::object{{"id", id}});
}

Result<Response> api_case_open(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(template_id, id_member(body, "template_id", true));
    HAVEN_TRY(adviser, id_member(body, "adviser_id", false));
    HAVEN_TRY(start, http::text(body, "start_date", 10));
    HAVEN_TRY(id, c.casework.open_case(*request.principal, {person, template_id, adviser, start}));
    return ok(201, json::object{{"id", id}});
}

Result<Response> api_cases_of(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(cases, c.casework.cases_of(*request.principal, person));
    json::array out;
    for (const auto& k : cases) out.push_back(json::object{{"id", k.id}, {"title", k.title}, {"status", k.status}, {"adviser", k.adviser}});
    return ok(200, json::object{{"items", out}});
}

Result<Response> api_case(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(k, c.casework.read_case(*request.principal, id));
    return ok(200, case_json(k));
}

Result<Response> api_step_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(step, id_param(request, "step"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(done, bool_member(body, "done"));
    std::optional<std::string> due, note;
    if (body.contains("due_date")) {
        HAVEN_TRY(d, http::text(body, "due_date", 10));
        due = d;
    }
    if (body.contains("note")) {
        HAVEN_TRY(n, http::text(body, "note", 4000));
        note = n;
    }
    if (auto s = c.casework.update_step(*request.principal, id, step, done, due, note); !s) return s.error();
    return ok(200, json::object{{"saved", true}});
}

Result<Response> api_document_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(doc, id_param(request, "doc"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(received, bool_member(body, "received"));
    if (!received) return bad_field("received", "received is required (true or false).");
    if (auto s = c.casework.set_document(*request.principal, id, doc, *received); !s) return s.error();
    return ok(200, json::object{{"saved", true}});
}

Result<Response> api_case_close(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    if (auto s = c.casework.close_case(*request.principal, id); !s) return s.error();
    return ok(200, json::object{{"closed", true}});
}

Result<Response> api_deadlines(Request& request, Context& c) {
    HAVEN_TRY(query, http::Form::parse(request.query));
    int days = 7;
    if (query.has("days")) days = std::atoi(std::string(query.get("days")).c_str());
    std::optional<int64_t> site;
    if (query.has("site")) site = std::atoll(std::string(query.get("site")).c_str());
    HAVEN_TRY(list, c.casework.deadlines(*request.principal, site, days));
    json::array out;
    for (const auto& d : list)
        out.push_back(json::object{{"case_id", d.case_id},
                                   {"person_id", d.person_id},
                                   {"pseudonym", d.pseudonym},
                                   {"case", d.case_title},
                                   {"step", d.step_title},
                                   {"due_date", d.due_date},
                                   {"overdue", d.overdue},
                                   {"adviser", d.adviser}});
    return ok(200, json::object{{"items", out}});
}

Result<Response> api_counsellor_save(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(counsellor, id_member(body, "counsellor_id", true));
    HAVEN_TRY(id, c.casework.assign_counsellor(*request.principal, person, counsellor));
    return ok(201, json::object{{"compartment_id", id}});
}

namespace {
json::array compartments_json(const std::vector<Compartment>& list) {
    json::array out;
    for (const auto& k : list)
        out.push_back(json::object{{"id", k.id},
                                   {"person_id", k.person_id},
                                   {"counsellor_id", k.counsellor_id},
                                   {"counsellor", k.counsellor},
                                   {"pseudonym", k.pseudonym},
                                   {"opened_at", k.opened_at},
                                   {"closed_at", k.closed_at}});
    return out;
}
}  // namespace

Result<Response> api_compartments_of(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(list, c.casework.compartments_of(*request.principal, person));
    return ok(200, json::object{{"items", compartments_json(list)}});
}

Result<Response> api_my_compartments(Request& request, Context& c) {
    return ok(200, json::object{{"items", compartments_json(c.casework.my_compartments(*request.principal))}});
}

Result<Response> api_notes(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(notes, c.casework.notes(*request.principal, id));
    json::array out;
    for (const auto& n : notes) out.push_back(json::object{{"id", n.id}, {"written_at", n.written_at}, {"text", n.text}});
    return ok(200, json::object{{"items", out}});
}

Result<Response> api_note_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(text, http::text(body, "text", 20000));
    if (auto s = c.casework.add_note(*request.principal, id, text); !s) return s.error();
    return ok(201, json::object{{"saved", true}});
}

Result<Response> api_volunteer(Request& request, Context& c) {
    HAVEN_TRY(p, c.casework.my_profile(*request.principal));
    return ok(200, profile_json(p));
}

Result<Response> api_volunteer_save(Request& request, Context& c) {
    HAVEN_TRY(body, json_body(request));
    Profile p;
    HAVEN_TRY(site, id_member(body, "site_id", false));
    HAVEN_TRY(skills, list_member(body, "skills"));
    HAVEN_TRY(languages, list_member(body, "languages"));
    HAVEN_TRY(days, list_member(body, "days"));
    HAVEN_TRY(note, http::text(body, "note", 1000));
    p.site_id = site;
    p.skills = skills;
    p.languages = languages;
    p.days = days;
    p.note = note;
    if (auto s = c.casework.save_profile(*request.principal, p); !s) return s.error();
    return ok(200, json::object{{"saved", true}});
}

Result<Response> api_volunteers(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.casework.profiles(*request.principal, site));
    return http::items(list, profile_json);
}

Result<Response> api_request_save(Request& request, Context& c) {
    HAVEN_TRY(person, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HelpRequest q;
    q.person_id = person;
    HAVEN_TRY(what, http::text(body, "what", 1000));
    HAVEN_TRY(skill, http::text(body, "skill", 40));
    HAVEN_TRY(language, http::text(body, "language", 10));
    HAVEN_TRY(due, http::text(body, "due_date", 10));
    HAVEN_TRY(fields, list_member(body, "fields"));
    q.what = what;
    q.skill = skill;
    q.language = language;
    q.due_date = due;
    q.fields = fields;
    HAVEN_TRY(id, c.casework.create_request(*request.principal, q));
    return ok(201, json::object{{"id", id}});
}

Result<Response> api_requests(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.casework.requests(*request.principal, site));
    return http::items(list, request_json);
}

Result<Response> api_suggestions(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(list, c.casework.suggestions(*request.principal, id));
    json::array out;
    for (const auto& s : list)
        out.push_back(json::object{{"volunteer", profile_json(s.volunteer)}, {"score", s.score}, {"reasons", strings(s.reasons)}});
    return ok(200, json::object{{"items", out}});
}

Result<Response> api_assign(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(volunteer, id_member(body, "volunteer_id", true));
    HAVEN_TRY(until, http::text(body, "until", 10));
    if (auto s = c.casework.assign_volunteer(*request.principal, id, volunteer, until); !s) return s.error();
    return ok(200, json::object{{"assigned", true}});
}

Result<Response> api_tasks(Request& request, Context& c) {
    json::array out;
    for (const auto& t : c.casework.tasks(*request.principal)) {
        json::object person;
        for (const auto& [k, v] : t.person) person[k] = v;
        out.push_back(json::object{{"id", t.request.id},
                                   {"what", t.request.what},
                                   {"skill", t.request.skill},
                                   {"language", t.request.language},
                                   {"due_date", t.request.due_date},
                                   {"until", t.until},
                                   {"person", person}});
    }
    return ok(200, json::object{{"items", out}});
}

Result<Response> api_task_done(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    if (auto s = c.casework.complete_task(*request.principal, id); !s) return s.error();
    return ok(200, json::object{{"done", true}});
}

Result<Response> api_dashboard(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(d, c.casework.dashboard(*request.principal, site));
    json::array arrivals;
    for (const auto& [month, n] : d.arrivals) arrivals.push_back(json::object{{"month", month}, {"people", n}});
    return ok(200, json::object{{"arrivals", arrivals},
                                {"people", d.people},
                                {"open_cases", d.open_cases},
                                {"deadlines_this_week", d.deadlines_this_week},
                                {"overdue", d.overdue},
                                {"open_requests", d.open_requests}});
}

}  // namespace haven::casework
