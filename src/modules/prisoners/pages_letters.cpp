// The letters' pages. A writer's: their pen name, "give me someone to write to", their letters; a letter, written in
// the page, whose save shows the censor's warnings word by word (never a block) before it is handed in; the replies
// to it. Prisoner support's: the site's letters by state, a letter with where it goes and what to do next (send,
// record what became of it, enter a reply), and the day's post as a page that prints: each letter on its sheet, then
// the address labels.
#include "core/dates.hpp"
#include "core/utf8.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/accounts/types.hpp"
#include "modules/prisoners/handlers.hpp"
#include "web/widgets.hpp"

namespace haven::prisoners {

using accounts::Action;
using accounts::may;
using http::form_body;
using http::id_param;
using web::field;
using web::page_context;

namespace {

std::string letter_url(int64_t id) { return "/letters/" + std::to_string(id); }

// Whom a letter goes to, as the reader may see it (a writer is given no name for a prisoner who may not be named).
std::string to_whom(const web::PageContext& ctx, const Letter& l) { return l.prisoner.empty() ? ctx.t("letters.unnamed") : l.prisoner; }

Result<int64_t> writer_site(const Request& request, Context& c) { return c.registry.default_site(*request.principal, Action::letters_write); }

void state(web::Html& h, const web::PageContext& ctx, const Letter& l) {
    h.element("span", {{"class", "state state-" + l.status}}, ctx.t("letters.state_" + l.status));
    if (l.held) h.element("span", {{"class", "state state-held"}}, " · " + ctx.t("letters.held"));
}

// Where a letter goes, as an envelope needs it: the prisoner's name (and year of birth), the institution, its address.
void address(web::Html& h, const web::PageContext& ctx, const std::optional<Institution>& i, const std::string& whom = {}) {
    h.element("address", {{"class", "postal"}}, [&] {
        if (!i) {
            h.text(ctx.t("letters.no_address"));
            return;
        }
        if (!whom.empty()) {
            h.element("strong", {}, whom);
            h.empty("br");
        }
        h.text(i->name);
        h.empty("br");
        h.text(i->address);
    });
}

// A topic's name as the page's language says it; one a coordinator added is shown as they named it.
std::string topic_name(const web::PageContext& ctx, const std::string& topic) {
    for (const char* known : {"war", "case", "lgbt", "state"})
        if (topic == known) return ctx.t("censor.topic_" + topic);
    return topic;
}

void warnings(web::Html& h, const web::PageContext& ctx, const std::vector<text::CensorWarning>& list) {
    if (list.empty()) {
        h.element("p", {{"class", "notice ok"}, {"role", "status"}, {"id", "censor"}}, ctx.t("letters.censor_clean"));
        return;
    }
    h.element("div", {{"class", "notice"}, {"role", "alert"}, {"id", "censor"}}, [&] {
        h.element("p", {}, ctx.t("letters.censor_warns", {{"count", int64_t(list.size())}}));
        h.element("ul", {}, [&] {
            for (const auto& w : list)
                h.element("li", {{"class", "warning-" + w.kind}}, [&] {
                    h.element("mark", {}, w.word);
                    h.text(" — " + (w.kind == "topic" ? ctx.t("letters.censor_topic", {{"topic", topic_name(ctx, w.topic)}})
                                                      : ctx.t("letters.censor_" + w.kind)));
                });
        });
        h.element("p", {{"class", "small"}}, ctx.t("letters.censor_help"));
    });
}

void letters_table(web::Html& h, const web::PageContext& ctx, const std::vector<Letter>& list, bool support, const char* id) {
    if (list.empty()) {
        h.element("p", {}, ctx.t("letters.none"));
        return;
    }
    h.element("table", {{"class", "list"}, {"id", id}}, [&] {
        h.element("thead", {}, [&] {
            h.element("tr", {}, [&] {
                h.element("th", {}, ctx.t("letters.to"));
                if (support) h.element("th", {}, ctx.t("letters.pen_name"));
                h.element("th", {}, ctx.t("letters.state"));
                h.element("th", {}, ctx.t("letters.written"));
            });
        });
        h.element("tbody", {}, [&] {
            for (const auto& l : list)
                h.element("tr", {}, [&] {
                    h.element("td", {{"data-label", ctx.t("letters.to")}}, [&] { h.element("a", {{"href", letter_url(l.id)}}, to_whom(ctx, l)); });
                    if (support)
                        h.element("td", {{"data-label", ctx.t("letters.pen_name")}},
                                  l.handwritten && l.pen_name.empty() ? ctx.t("letters.by_hand") : l.pen_name);
                    h.element("td", {{"data-label", ctx.t("letters.state")}}, [&] {
                        state(h, ctx, l);
                        if (l.replied && l.status != "answered") h.text(" · " + ctx.t("letters.has_reply"));
                    });
                    h.element("td", {{"data-label", ctx.t("letters.written")}}, ctx.date(date_of(l.created_at)));
                });
        });
    });
}

// ---- A writer's pages ----

Result<Response> write_page(Request& request, Context& c) {
    HAVEN_TRY(site, writer_site(request, c));
    auto ctx = page_context(request);
    auto me = c.letters.writer(*request.principal, site);
    if (!me && me.error().code != "no_pen_name") return me.error();
    std::vector<Letter> mine;
    if (me) {
        HAVEN_TRY(list, c.letters.mine(*request.principal, site));
        mine = std::move(list);
    }
    return web::page(ctx, 200, "letters.write_title", [&](web::Html& h) {
        h.element("p", {}, ctx.t("letters.write_intro"));
        if (me) {
            web::post_form(h, request, "/write/ask", {{"class", "stack"}, {"id", "ask"}}, [&] {
                h.element("button", {{"type", "submit"}}, ctx.t("letters.ask"));
                h.element("p", {{"class", "small"}}, ctx.t("letters.ask_help", {{"cap", int64_t(c.letters.settings().writer_cap)}}));
            });
            h.element("h2", {}, ctx.t("letters.mine"));
            letters_table(h, ctx, mine, false, "my-letters");
        }
        h.element("h2", {}, ctx.t("letters.pen_name_title"));
        web::post_form(h, request, "/write/profile", {{"class", "stack"}, {"id", "profile"}}, [&] {
            field(h, ctx, "pen_name", "letters.pen_name", "text", me ? me->pen_name : "");
            std::string langs;
            if (me)
                for (const auto& l : me->languages) langs += (langs.empty() ? "" : " ") + l;
            field(h, ctx, "languages", "letters.languages", "text", langs);
            h.element("p", {{"class", "small"}}, ctx.t("letters.pen_name_help"));
            h.element("button", {{"type", "submit"}}, ctx.t("letters.save_profile"));
        });
    });
}

std::vector<std::string> language_list(std::string_view text) {
    std::vector<std::string> out;
    for (size_t at = 0; at <= text.size();) {
        size_t end = text.find_first_of(" ,;", at);
        if (end == std::string_view::npos) end = text.size();
        if (end > at) out.emplace_back(text.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

// ---- A letter ----

Result<Response> letter_page(Request& request, Context& c, int64_t id, const std::vector<text::CensorWarning>* checked = nullptr) {
    HAVEN_TRY(l, c.letters.read(*request.principal, id));
    const bool writer = !may(*request.principal, Action::prisoners_manage, l.site_id);
    std::vector<Reply> replies;
    std::optional<PublicPrisoner> about;
    if (writer) {
        HAVEN_TRY(r, c.letters.replies(*request.principal, id));
        replies = std::move(r);
        HAVEN_TRY(p, c.letters.prisoner_of(*request.principal, id));
        about = std::move(p);
    }
    auto ctx = page_context(request);
    return web::page(ctx, 200, "letters.letter_title", [&](web::Html& h) {
        h.element("h2", {{"id", "letter-to"}}, ctx.t("letters.to_name", {{"name", to_whom(ctx, l)}}));
        h.element("p", {{"id", "letter-state"}}, [&] { state(h, ctx, l); });
        if (about) {
            h.element("dl", {{"class", "facts"}, {"id", "prisoner"}}, [&] {
                auto fact = [&](const char* key, const std::string& value) {
                    if (value.empty()) return;
                    h.element("dt", {}, ctx.t(key));
                    h.element("dd", {}, value);
                };
                fact("prisoners.names", about->names);
                // "MM-DD" as people read a day: 01.11
                fact("prisoners.birthday", about->birthday.size() == 5 ? about->birthday.substr(3) + "." + about->birthday.substr(0, 2) : "");
                fact("prisoners.interests", about->interests);
                std::string langs;
                for (const auto& x : about->languages) langs += (langs.empty() ? "" : ", ") + x;
                fact("letters.their_languages", langs);
            });
            if (about->status == "in_transit") h.element("p", {{"class", "notice"}}, ctx.t("letters.in_transit_writer"));
        }
        if (checked) warnings(h, ctx, *checked);
        const bool editable = writer && (l.status == "drafted" || l.status == "checked");
        if (editable) {
            // One form: what is typed is saved (and checked) whichever button is pressed — handing in saves first.
            web::post_form(h, request, letter_url(id), {{"class", "stack"}, {"id", "letter"}}, [&] {
                web::textarea(h, ctx, "body", "letters.body", l.body, 14, "letters.body_help");
                if (l.status == "checked") h.element("p", {{"class", "small"}}, ctx.t("letters.resave_help"));
                h.element("button", {{"type", "submit"}}, ctx.t("letters.save_check"));
                if (l.status == "drafted") {
                    h.element("p", {{"class", "small"}}, ctx.t("letters.hand_in_help"));
                    h.element("button", {{"type", "submit"}, {"id", "hand-in"}, {"formaction", letter_url(id) + "/hand-in"}},
                              ctx.t("letters.hand_in"));
                }
            });
        } else {
            h.element("div", {{"class", "letter-text"}, {"id", "letter-body"}}, l.body);
        }
        if (writer && l.status != "drafted" && l.status != "checked")
            web::post_form(h, request, letter_url(id) + "/again", {{"class", "stack"}, {"id", "again"}}, [&] {
                h.element("button", {{"type", "submit"}}, ctx.t("letters.again", {{"name", to_whom(ctx, l)}}));
            });
        if (writer) {
            h.element("h2", {}, ctx.t("letters.replies"));
            if (replies.empty()) h.element("p", {}, ctx.t("letters.no_replies"));
            for (const auto& r : replies)
                h.element("article", {{"class", "reply"}}, [&] {
                    h.element("p", {{"class", "small"}}, ctx.date(date_of(r.received_at)));
                    if (!r.text.empty()) h.element("div", {{"class", "letter-text"}}, r.text);
                    if (r.has_scan)
                        h.element("p", {}, [&] {
                            h.element("a", {{"href", letter_url(id) + "/scans/" + std::to_string(r.number)}, {"download", ""}},
                                      ctx.t("letters.reply_scan", {{"name", r.file_name.empty() ? "scan" : r.file_name}}));
                        });
                });
            return;
        }
        // Prisoner support: where it goes, and the next step.
        h.element("p", {}, [&] {
            if (l.handwritten) h.text(ctx.t("letters.by_hand") + " · ");
            h.text(ctx.t("letters.pen_name") + ": " + (l.pen_name.empty() ? "—" : l.pen_name));
            if (l.warnings) h.text(" · " + ctx.t("letters.warned", {{"count", l.warnings}}));
        });
        h.element("h3", {}, ctx.t("letters.address"));
        h.element("div", {{"id", "letter-address"}}, [&] { address(h, ctx, l.held ? std::nullopt : l.address, l.full_name); });
        if (l.status == "checked" && !l.held && l.address)
            web::post_form(h, request, letter_url(id) + "/send", {{"class", "stack"}, {"id", "send"}}, [&] {
                web::select_field(h, ctx, "channel", "letters.channel",
                                  {{"post", ctx.t("letters.channel_post")},
                                   {"e_letter", ctx.t("letters.channel_e_letter")},
                                   {"relay", ctx.t("letters.channel_relay")}});
                field(h, ctx, "cost", "letters.cost", "text");
                field(h, ctx, "currency", "funds.currency", "text", "EUR");
                h.element("button", {{"type", "submit"}}, ctx.t("letters.send"));
            });
        if (l.held) h.element("p", {{"class", "notice"}, {"id", "held"}}, ctx.t("letters.held_help"));
        if (l.status == "sent" || l.status == "delivered")
            web::post_form(h, request, letter_url(id) + "/outcome", {{"class", "stack"}, {"id", "outcome"}}, [&] {
                web::select_field(h, ctx, "status", "letters.outcome",
                                  {{"delivered", ctx.t("letters.state_delivered")},
                                   {"returned", ctx.t("letters.state_returned")},
                                   {"withheld", ctx.t("letters.state_withheld")}});
                h.element("button", {{"type", "submit"}}, ctx.t("letters.record_outcome"));
            });
        if (l.status == "sent" || l.status == "delivered" || l.status == "answered")
            web::post_form(h, request, letter_url(id) + "/reply", {{"class", "stack"}, {"id", "reply"}, {"enctype", "multipart/form-data"}}, [&] {
                web::textarea(h, ctx, "reply", "letters.reply_text", "", 8, "letters.reply_help");
                h.element("label", {{"for", "scan"}}, ctx.t("letters.reply_file"));
                h.empty(
                    "input",
                    {{"type", "file"}, {"id", "scan"}, {"name", "scan"}, {"accept", ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}});
                h.element("button", {{"type", "submit"}}, ctx.t("letters.enter_reply"));
            });
        if (l.replied) h.element("p", {{"class", "small"}, {"id", "reply-entered"}}, ctx.t("letters.reply_entered"));
    });
}

}  // namespace

Result<Response> write_show(Request& request, Context& c) { return write_page(request, c); }

Result<Response> writer_save(Request& request, Context& c) {
    HAVEN_TRY(site, writer_site(request, c));
    HAVEN_TRY(form, form_body(request));
    auto saved = c.letters.save_writer(*request.principal, {0, 0, site, std::string(form.get("pen_name")), language_list(form.get("languages"))});
    if (!saved) return web::show_again(request, saved.error(), [&] { return write_page(request, c); });
    return Response::redirect("/write");
}

Result<Response> ask_save(Request& request, Context& c) {
    HAVEN_TRY(site, writer_site(request, c));
    HAVEN_TRY(form, form_body(request));
    (void)form;
    auto l = c.letters.ask(*request.principal, site);
    if (!l) return web::show_again(request, l.error(), [&] { return write_page(request, c); });
    return Response::redirect(letter_url(l->id));
}

Result<Response> letter_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    return letter_page(request, c, id);
}

Result<Response> letter_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto checked = c.letters.save(*request.principal, id, std::string(form.get("body")));
    if (!checked) return web::show_again(request, checked.error(), [&] { return letter_page(request, c, id); });
    return letter_page(request, c, id, &*checked);
}

Result<Response> hand_in_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    if (form.has("body"))  // the letter's own form: what was typed is what is handed in
        if (auto saved = c.letters.save(*request.principal, id, std::string(form.get("body"))); !saved)
            return web::show_again(request, saved.error(), [&] { return letter_page(request, c, id); });
    auto done = c.letters.hand_in(*request.principal, id);
    if (!done) return web::show_again(request, done.error(), [&] { return letter_page(request, c, id); });
    return Response::redirect("/write");
}

Result<Response> again_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    (void)form;
    auto l = c.letters.again(*request.principal, id);
    if (!l) return web::show_again(request, l.error(), [&] { return letter_page(request, c, id); });
    return Response::redirect(letter_url(l->id));
}

Result<Response> send_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto again = [&](const Error& e) { return web::show_again(request, e, [&] { return letter_page(request, c, id); }); };
    int64_t cost = 0;
    if (!form.get("cost").empty()) {
        auto parsed = parse_amount(form.get("cost"), "cost");
        if (!parsed) return again(parsed.error());
        cost = *parsed;
    }
    auto sent = c.letters.send(*request.principal, id, std::string(form.get("channel")), cost, std::string(form.get("currency")));
    if (!sent) {
        Error e = sent.error();
        if (e.field == "cost_minor") e.field = "cost";
        return again(e);
    }
    return Response::redirect(letter_url(id));
}

Result<Response> outcome_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto done = c.letters.outcome(*request.principal, id, std::string(form.get("status")));
    if (!done) return web::show_again(request, done.error(), [&] { return letter_page(request, c, id); });
    return Response::redirect(letter_url(id));
}

Result<Response> reply_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request, {"scan"}));
    Reply r;
    r.text = form.get("reply");
    if (const auto* f = form.file("scan")) {
        r.scan = f->bytes;
        r.file_name = f->filename;
    }
    auto done = c.letters.enter_reply(*request.principal, id, std::move(r));
    if (!done) {
        Error e = done.error();
        if (e.field == "text") e.field = "reply";  // the service's name; the form's is "reply"
        return web::show_again(request, e, [&] { return letter_page(request, c, id); });
    }
    return Response::redirect(letter_url(id));
}

Result<Response> scan_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(number, id_param(request, "number"));
    HAVEN_TRY(replies, c.letters.replies(*request.principal, id, true));
    auto it = std::find_if(replies.begin(), replies.end(), [&](const Reply& r) { return r.number == number && !r.scan.empty(); });
    if (it == replies.end()) return make_error(ErrorKind::not_found, "not_found", "There is no such scan.");
    const Reply& r = *it;
    const std::string ext = r.file_type == "application/pdf" ? "pdf" : r.file_type == "image/png" ? "png" : "jpg";
    Response out = Response::text(200, r.scan, r.file_type);
    out.headers.emplace_back("Content-Disposition", "attachment; filename=\"reply-" + std::to_string(number) + "." + ext + "\"");
    out.headers.emplace_back("Cache-Control", "no-store");
    return out;
}

Result<Response> site_letters_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(all, c.letters.of_site(*request.principal, site));
    std::vector<Letter> ready, held, out, done;
    for (auto& l : all) {
        if (l.held)
            held.push_back(std::move(l));
        else if (l.status == "checked")
            ready.push_back(std::move(l));
        else if (l.status == "sent" || l.status == "delivered")
            out.push_back(std::move(l));
        else if (l.status != "drafted")
            done.push_back(std::move(l));
    }
    auto ctx = page_context(request);
    const std::string base = "/sites/" + std::to_string(site);
    return web::page(ctx, 200, "letters.site_title", [&](web::Html& h) {
        h.element("p", {}, [&] {
            h.element("a", {{"href", base + "/letters/batch"}}, ctx.t("letters.batch_link"));
            h.text(" · ");
            h.element("a", {{"href", base + "/prisoners"}}, ctx.t("prisoners.title"));
        });
        h.element("h2", {}, ctx.t("letters.ready"));
        letters_table(h, ctx, ready, true, "ready");
        h.element("h2", {}, ctx.t("letters.held_title"));
        letters_table(h, ctx, held, true, "held-letters");
        h.element("h2", {}, ctx.t("letters.out"));
        letters_table(h, ctx, out, true, "out");
        h.element("h2", {}, ctx.t("letters.done"));
        letters_table(h, ctx, done, true, "done");
    });
}

// The day's post went: every letter the batch page showed (not those that came or changed since) is sent by post.
Result<Response> batch_sent_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    auto again = [&](const Error& e) { return web::show_again(request, e, [&] { return batch_show(request, c); }); };
    int64_t cost = 0;
    if (!form.get("cost").empty()) {
        auto parsed = parse_amount(form.get("cost"), "cost");
        if (!parsed) return again(parsed.error());
        cost = *parsed;
    }
    const auto ids = form.all("letter");
    if (ids.size() > 500) return again(invalid("letter", "letter names more than 500 letters.", "too_many", 500));
    for (auto text : ids) {
        // send() checks each letter against the caller's roles at its own site; one held or sent meanwhile stays.
        const std::string value(text);
        const size_t colon = value.find(':');
        const int64_t id = std::atoll(value.substr(0, colon).c_str());
        const int64_t printed = colon == std::string::npos ? -1 : std::atoll(value.substr(colon + 1).c_str());
        auto sent = c.letters.send(*request.principal, id, "post", cost, std::string(form.get("currency")), printed);
        if (!sent && sent.error().kind == ErrorKind::invalid)
            return again(sent.error().field == "cost_minor" ? invalid("cost", sent.error().message, "range") : sent.error());
    }
    return Response::redirect("/sites/" + std::to_string(site) + "/letters");
}

Result<Response> batch_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(list, c.letters.batch(*request.principal, site));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "letters.batch_title", [&](web::Html& h) {
        h.element("p", {{"class", "no-print"}}, ctx.t("letters.batch_help", {{"count", int64_t(list.size())}}));
        if (!list.empty())
            web::post_form(h, request, "/sites/" + std::to_string(site) + "/letters/batch", {{"class", "stack no-print"}, {"id", "batch-sent"}}, [&] {
                for (const auto& l : list)
                    h.empty("input", {{"type", "hidden"}, {"name", "letter"}, {"value", std::to_string(l.id) + ":" + std::to_string(l.updated_at)}});
                field(h, ctx, "cost", "letters.cost_each", "text");
                field(h, ctx, "currency", "funds.currency", "text", "EUR");
                h.element("button", {{"type", "submit"}}, ctx.t("letters.batch_sent", {{"count", int64_t(list.size())}}));
            });
        // A letter written by hand is already on paper: it needs only its label.
        for (const auto& l : list)
            if (!trim(l.body).empty())
                h.element("article", {{"class", "print-sheet"}}, [&] {
                    address(h, ctx, l.address, l.full_name);
                    h.element("p", {}, ctx.t("letters.to_name", {{"name", to_whom(ctx, l)}}));
                    h.element("div", {{"class", "letter-text"}}, l.body);
                    if (!l.pen_name.empty()) h.element("p", {{"class", "signature"}}, l.pen_name);
                });
        h.element("section", {{"class", "labels"}, {"id", "labels"}}, [&] {
            for (const auto& l : list) h.element("div", {{"class", "label"}}, [&] { address(h, ctx, l.address, l.full_name); });
        });
    });
}

}  // namespace haven::prisoners
