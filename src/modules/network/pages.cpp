// The member app for phones: one page, its work done in the browser (assets/network-member.js with libsodium):
// keys are made and kept on the phone, activations are opened and decided on it, answers are sealed on it. The
// server only serves the page and the mailboxes. Honest limit (docs/EMERGENCY.md): a server that is taken over
// could serve altered code; members who can should use haven-member.
#include "modules/accounts/common.hpp"
#include "modules/network/handlers.hpp"

namespace haven::network {

Result<Response> member_app(Request& request, Context& c) {
    auto ctx = accounts::page_context(request);
    ctx.scripts = {"sodium.js", "sodium-wrappers.js", "network-member.js"};
    (void)c;
    return web::page(ctx, 200, "network.title", [&](web::Html& h) {
        h.element("div", {{"id", "member-app"},
                          {"data-enrolled", ctx.t("network.enrolled")},
                          {"data-nothing", ctx.t("network.nothing")},
                          {"data-answered", ctx.t("network.answered")},
                          {"data-can", ctx.t("network.can")},
                          {"data-cannot", ctx.t("network.cannot")},
                          {"data-eta", ctx.t("network.eta")},
                          {"data-tier", ctx.t("network.tier")},
                          {"data-failed", ctx.t("network.failed")},
                          {"data-short", ctx.t("network.passphrase_short")},
                          {"data-wrong", ctx.t("network.passphrase_wrong")},
                          {"data-locked", ctx.t("network.locked")},
                          {"data-choose", ctx.t("network.choose_passphrase")}},
                  [&] {
                      h.element("p", {{"class", "notice"}, {"id", "member-status"}, {"role", "status"}}, ctx.t("network.loading"));
                      h.element("form", {{"id", "member-enrol"}, {"class", "stack"}, {"hidden", "hidden"}}, [&] {
                          h.element("p", {}, ctx.t("network.enrol_help"));
                          accounts::field(h, ctx, "link", "network.link", "text");
                          accounts::field(h, ctx, "pseudonym", "network.pseudonym", "text");
                          accounts::field(h, ctx, "regions", "network.regions", "text");
                          accounts::field(h, ctx, "skills", "network.skills", "text");
                          accounts::field(h, ctx, "passphrase", "network.passphrase", "password", {}, "new-password");
                          h.element("button", {{"type", "submit"}}, ctx.t("network.enrol"));
                      });
                      h.element("form", {{"id", "member-unlock"}, {"class", "stack"}, {"hidden", "hidden"}}, [&] {
                          accounts::field(h, ctx, "unlock-passphrase", "network.passphrase", "password", {}, "current-password");
                          h.element("button", {{"type", "submit"}}, ctx.t("network.unlock"));
                      });
                      h.element("section", {{"id", "member-alerts"}, {"hidden", "hidden"}}, [&] {
                          h.element("h2", {}, ctx.t("network.alerts"));
                          h.element("ul", {{"id", "alerts"}, {"class", "people"}}, "");
                          h.element("button", {{"type", "button"}, {"id", "poll"}, {"class", "secondary"}}, ctx.t("network.check"));
                          h.element("button", {{"type", "button"}, {"id", "lock"}, {"class", "secondary"}}, ctx.t("network.lock"));
                      });
                      h.element("noscript", {}, ctx.t("network.needs_js"));
                  });
        h.element("p", {{"class", "small"}}, ctx.t("network.trust"));
    });
}

}  // namespace haven::network
