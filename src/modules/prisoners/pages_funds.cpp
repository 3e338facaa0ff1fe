// The legal-aid funds' pages: a site's funds with their balances and goal, a fund's page with its ledger (newest
// first) and the forms that add to it — a donation, a disbursement, a reversal. Amounts are typed as people write
// them (125.50 or 125,50) and kept in cents. No page ever shows a donor or a payee.
#include "core/dates.hpp"
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

std::string fund_url(int64_t id) { return "/funds/" + std::to_string(id); }

std::string money(int64_t minor) { return format_amount(minor); }

void balances(web::Html& h, const web::PageContext& ctx, const Fund& f) {
    h.element("p", {{"class", "balance"}}, [&] {
        if (f.balances.empty()) h.text(ctx.t("funds.balance") + " 0.00 " + f.currency);
        for (const auto& b : f.balances) h.text(ctx.t("funds.balance") + " " + money(b.minor) + " " + b.currency + " ");
        if (f.goal_minor > 0) h.text("· " + ctx.t("funds.goal") + " " + money(f.goal_minor) + " " + f.currency);
    });
}

Result<Response> funds_page(Request& request, Context& c, int64_t site) {
    HAVEN_TRY(list, c.funds.funds(*request.principal, site));
    auto ctx = page_context(request);
    return web::page(ctx, 200, "funds.title", [&](web::Html& h) {
        if (list.empty()) h.element("p", {}, ctx.t("funds.none"));
        h.element("ul", {{"class", "cards"}, {"id", "funds"}}, [&] {
            for (const auto& f : list)
                h.element("li", {{"class", "card"}}, [&] {
                    h.element("h2", {}, [&] { h.element("a", {{"href", fund_url(f.id)}}, f.name); });
                    balances(h, ctx, f);
                });
        });
        if (!may(*request.principal, Action::funds_manage, site)) return;
        h.element("h2", {}, ctx.t("funds.new"));
        web::post_form(h, request, "/sites/" + std::to_string(site) + "/funds", {{"class", "stack"}, {"id", "new-fund"}}, [&] {
            field(h, ctx, "name", "funds.name", "text");
            web::textarea(h, ctx, "purpose", "funds.purpose", "", 2);
            field(h, ctx, "currency", "funds.currency", "text", "EUR");
            field(h, ctx, "goal", "funds.goal_amount", "text");
            h.element("button", {{"type", "submit"}}, ctx.t("funds.create"));
        });
    });
}

Result<Response> fund_page(Request& request, Context& c, int64_t id) {
    HAVEN_TRY(f, c.funds.fund(*request.principal, id));
    HAVEN_TRY(shown, c.funds.newest(*request.principal, id, 100));
    auto ctx = page_context(request);
    const bool manage = may(*request.principal, Action::funds_manage, f.site_id);
    const std::string today = date_of(c.funds.now_ms());
    return web::page(ctx, 200, "funds.fund_title", [&](web::Html& h) {
        h.element("h2", {{"id", "fund-name"}}, f.name);
        if (!f.purpose.empty()) h.element("p", {}, f.purpose);
        balances(h, ctx, f);
        if (manage) {
            h.element("h2", {}, ctx.t("funds.donation"));
            web::post_form(h, request, fund_url(id) + "/donations", {{"class", "stack"}, {"id", "donation"}}, [&] {
                field(h, ctx, "amount", "funds.amount", "text");
                field(h, ctx, "currency", "funds.currency", "text", f.currency);
                web::select_field(h, ctx, "channel", "funds.channel",
                                  {{"bank_transfer", ctx.t("funds.channel_bank_transfer")},
                                   {"online", ctx.t("funds.channel_online")},
                                   {"cash", ctx.t("funds.channel_cash")},
                                   {"card", ctx.t("funds.channel_card")},
                                   {"crypto", ctx.t("funds.channel_crypto")},
                                   {"other", ctx.t("funds.channel_other")}});
                field(h, ctx, "value_date", "funds.value_date", "date", today);
                field(h, ctx, "donor", "funds.donor", "text");
                h.element("p", {{"class", "small"}}, ctx.t("funds.donor_help"));
                h.element("button", {{"type", "submit"}}, ctx.t("funds.record_donation"));
            });
            h.element("h2", {}, ctx.t("funds.disbursement"));
            web::post_form(h, request, fund_url(id) + "/disbursements", {{"class", "stack"}, {"id", "disbursement"}}, [&] {
                field(h, ctx, "amount", "funds.amount", "text");
                field(h, ctx, "currency", "funds.currency", "text", f.currency);
                field(h, ctx, "payee", "funds.payee", "text");
                web::select_field(h, ctx, "risk", "funds.risk",
                                  {{"low", ctx.t("funds.risk_low")}, {"medium", ctx.t("funds.risk_medium")}, {"high", ctx.t("funds.risk_high")}});
                field(h, ctx, "value_date", "funds.value_date", "date", today);
                h.element("button", {{"type", "submit"}}, ctx.t("funds.record_disbursement"));
            });
        }
        h.element("h2", {{"id", "ledger"}}, ctx.t("funds.ledger"));
        h.element("p", {}, [&] { h.element("a", {{"href", "/api/v1/funds/" + std::to_string(id) + "/ledger.csv"}}, ctx.t("funds.csv")); });
        if (shown.empty()) h.element("p", {}, ctx.t("funds.no_entries"));
        h.element("table", {{"class", "list"}, {"id", "entries"}}, [&] {
            h.element("thead", {}, [&] {
                h.element("tr", {}, [&] {
                    for (const char* k : {"funds.col_number", "funds.value_date", "funds.col_kind", "funds.amount", "funds.col_how", ""})
                        h.element("th", {}, *k ? ctx.t(k) : "");
                });
            });
            h.element("tbody", {}, [&] {
                for (const Entry& e : shown) {
                    h.element("tr", {}, [&] {
                        h.element("td", {{"data-label", ctx.t("funds.col_number")}}, std::to_string(e.number));
                        h.element("td", {{"data-label", ctx.t("funds.value_date")}}, ctx.date(e.value_date));
                        h.element("td", {{"data-label", ctx.t("funds.col_kind")}},
                                  ctx.t("funds.kind_" + e.kind) + (e.reverses ? " #" + std::to_string(e.reverses) : ""));
                        h.element("td", {{"data-label", ctx.t("funds.amount")}, {"class", "amount"}}, money(e.amount_minor) + " " + e.currency);
                        h.element("td", {{"data-label", ctx.t("funds.col_how")}},
                                  e.kind == "disbursement" ? ctx.t("funds.risk_" + e.risk) : ctx.t("funds.channel_" + e.channel));
                        h.element("td", {}, [&] {
                            if (!manage || e.kind == "reversal") return;
                            web::post_form(h, request, fund_url(id) + "/entries/" + std::to_string(e.number) + "/reverse", {{"class", "inline"}},
                                           [&] {
                                               h.element("button", {{"type", "submit"}, {"class", "link"}}, ctx.t("funds.reverse"));
                                           });
                        });
                    });
                }
            });
        });
    });
}

// The service names the API's fields; the forms' are "amount" and "goal".
Error on_form(Error e) {
    if (e.field == "amount_minor") e.field = "amount";
    if (e.field == "goal_minor") e.field = "goal";
    return e;
}

}  // namespace

Result<Response> funds_home(Request& request, Context& c) {
    (void)c;
    for (const auto& r : request.principal->roles)
        if (accounts::role_allows(r.role, Action::funds_view)) return Response::redirect("/sites/" + std::to_string(r.site_id) + "/funds");
    return accounts::role_forbids();
}

Result<Response> funds_show(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    return funds_page(request, c, site);
}

Result<Response> fund_save(Request& request, Context& c) {
    HAVEN_TRY(site, id_param(request, "site"));
    HAVEN_TRY(form, form_body(request));
    auto again = [&](const Error& e) { return web::show_again(request, e, [&] { return funds_page(request, c, site); }); };
    Fund f;
    f.site_id = site;
    f.name = form.get("name");
    f.purpose = form.get("purpose");
    f.currency = form.get("currency");
    if (!form.get("goal").empty()) {
        auto goal = parse_amount(form.get("goal"), "goal");  // the service's goal_minor is the form's goal
        if (!goal) return again(goal.error());
        f.goal_minor = *goal;
    }
    auto made = c.funds.create(*request.principal, f);
    if (!made) return again(on_form(made.error()));
    return Response::redirect(fund_url(*made));
}

Result<Response> fund_show(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    return fund_page(request, c, id);
}

Result<Response> donation_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto again = [&](const Error& e) { return web::show_again(request, e, [&] { return fund_page(request, c, id); }); };
    auto amount = parse_amount(form.get("amount"), "amount");
    if (!amount) return again(amount.error());
    auto made = c.funds.donate(*request.principal, id,
                               {*amount, std::string(form.get("currency")), std::string(form.get("channel")), std::string(form.get("value_date")),
                                std::string(form.get("donor"))});
    if (!made) return again(on_form(made.error()));
    return Response::redirect(fund_url(id) + "#ledger");
}

Result<Response> disbursement_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(form, form_body(request));
    auto again = [&](const Error& e) { return web::show_again(request, e, [&] { return fund_page(request, c, id); }); };
    auto amount = parse_amount(form.get("amount"), "amount");
    if (!amount) return again(amount.error());
    auto made = c.funds.disburse(*request.principal, id,
                                 {*amount, std::string(form.get("currency")), std::string(form.get("risk")), std::string(form.get("value_date")),
                                  std::string(form.get("payee"))});
    if (!made) return again(on_form(made.error()));
    return Response::redirect(fund_url(id) + "#ledger");
}

Result<Response> reversal_save(Request& request, Context& c) {
    HAVEN_TRY(id, id_param(request, "id"));
    HAVEN_TRY(number, id_param(request, "number"));
    HAVEN_TRY(form, form_body(request));
    if (auto ask =
            web::confirm_first(request, form, page_context(request).t("confirm.fund_reverse", {{"number", std::to_string(number)}}), fund_url(id)))
        return *ask;
    auto made = c.funds.reverse(*request.principal, id, number);
    if (!made) return web::show_again(request, made.error(), [&] { return fund_page(request, c, id); });
    return Response::redirect(fund_url(id) + "#ledger");
}

}  // namespace haven::prisoners
