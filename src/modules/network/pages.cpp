// The member app for phones: one page, its work done in the browser (assets/network-member.js with libsodium):
// keys are made and kept on the phone, activations are opened and decided on it, answers are sealed on it. The
// server only serves the page and the mailboxes. Honest limit (docs/EMERGENCY.md): a server that is taken over
// could serve altered code; members who can should use haven-member.
//
// Order matters at 390 px: the alerts come first; a locked app shows its unlock form and nothing else (every
// part is hidden until the script, having opened the state, shows it); joining is offered only to a phone that
// has no member yet, or to an unlocked one whose member confirms with their passphrase.
#include "modules/network/handlers.hpp"
#include "web/assets.hpp"
#include "web/widgets.hpp"

namespace haven::network {

Result<Response> member_app(Request& request, Context& c) {
    auto ctx = web::page_context(request);
    ctx.scripts = {"sodium.js", "sodium-wrappers.js", "network-member.js"};
    ctx.staff_links = false;  // members are not staff: no Home, no Sign in
    (void)c;
    return web::page(ctx, 200, "network.title", [&](web::Html& h) {
        h.element("div",
                  {{"id", "member-app"},
                   {"data-worker", web::asset_url("network-sw.js")},
                   {"data-jsqr", web::asset_url("jsQR.js")},
                   {"data-scan", ctx.t("network.scan")},
                   {"data-failed", ctx.t("network.failed")},
                   {"data-short", ctx.t("network.passphrase_short")},
                   {"data-wrong", ctx.t("network.passphrase_wrong")},
                   {"data-locked", ctx.t("network.locked")},
                   {"data-choose", ctx.t("network.choose_passphrase")}},
                  [&] {
                      h.element("p", {{"class", "notice"}, {"id", "member-status"}, {"role", "status"}}, ctx.t("network.loading"));
                      h.element("form", {{"id", "member-unlock"}, {"class", "stack"}, {"hidden", "hidden"}}, [&] {
                          web::field(h, ctx, "unlock-passphrase", "network.passphrase", "password", {}, "current-password");
                          h.element("button", {{"type", "submit"}}, ctx.t("network.unlock"));
                      });
                      h.element("section", {{"id", "member-alerts"}, {"hidden", "hidden"}, {"aria-labelledby", "member-alerts-title"}}, [&] {
                          h.element("p", {{"id", "member-connection"}, {"class", "connection"}, {"aria-live", "polite"}}, "");
                          h.element("h2", {{"id", "member-alerts-title"}, {"class", "visually-hidden"}}, ctx.t("network.alerts"));
                          h.element("ul", {{"id", "alerts"}, {"class", "alerts"}}, "");
                          h.element("p", {{"class", "actions"}}, [&] {
                              h.element("button", {{"type", "button"}, {"id", "poll"}, {"class", "secondary"}}, ctx.t("network.check"));
                              h.element("button", {{"type", "button"}, {"id", "lock"}, {"class", "secondary"}}, ctx.t("network.lock"));
                          });
                          h.element("details", {{"id", "member-wake"}}, [&] {
                              h.element("summary", {}, ctx.t("network.wake"));
                              h.element("p", {}, ctx.t("network.wake_help"));
                              h.element("p", {}, [&] {
                                  h.element("button", {{"type", "button"}, {"id", "notify"}, {"class", "secondary"}}, ctx.t("network.notify"));
                              });
                              h.element("form", {{"id", "member-doorbell"}, {"class", "stack"}}, [&] {
                                  h.element("p", {}, ctx.t("network.doorbell_help"));
                                  web::select_field(h, ctx, "bell-channel", "network.bell_channel",
                                                    {{"webpush", ctx.t("network.bell_webpush")},
                                                     {"webhook", ctx.t("network.bell_webhook")},
                                                     {"email", ctx.t("network.bell_email")},
                                                     {"matrix", ctx.t("network.bell_matrix")}});
                                  web::field(h, ctx, "bell-address", "network.bell_address", "text");
                                  web::field(h, ctx, "bell-secret", "network.bell_secret", "password", {}, "off");
                                  h.element("button", {{"type", "submit"}}, ctx.t("network.bell_set"));
                              });
                          });
                          h.element("details", {{"id", "member-rejoin"}}, [&] {
                              h.element("summary", {}, ctx.t("network.rejoin"));
                              h.element("form", {{"id", "member-rejoin-form"}, {"class", "stack"}}, [&] {
                                  h.element("p", {}, ctx.t("network.rejoin_help"));
                                  web::field(h, ctx, "rejoin-passphrase", "network.rejoin_passphrase", "password", {}, "current-password");
                                  h.element("div", {{"class", "field check"}}, [&] {
                                      h.empty("input", {{"id", "rejoin-confirm"}, {"type", "checkbox"}});
                                      h.element("label", {{"for", "rejoin-confirm"}}, ctx.t("network.rejoin_confirm"));
                                  });
                                  h.element("button", {{"type", "submit"}, {"class", "danger"}}, ctx.t("network.rejoin"));
                              });
                          });
                      });
                      h.element("form", {{"id", "member-enrol"}, {"class", "stack"}, {"hidden", "hidden"}}, [&] {
                          h.element("p", {}, ctx.t("network.enrol_help"));
                          web::field(h, ctx, "link", "network.link", "text");
                          // The camera reads the operator's QR code into the field above (jsQR, loaded on the press).
                          h.element("div", {{"class", "scanner"}}, [&] {
                              h.element("button", {{"type", "button"}, {"id", "scan"}, {"class", "secondary"}}, ctx.t("network.scan"));
                              h.element("video",
                                        {{"id", "scan-video"},
                                         {"hidden", "hidden"},
                                         {"muted", "muted"},
                                         {"playsinline", "playsinline"},
                                         {"aria-label", ctx.t("network.scan_video")}},
                                        "");
                          });
                          web::field(h, ctx, "pseudonym", "network.pseudonym", "text");
                          // The operators' lists, once the code is known (network-member.js): boxes to tick instead of words.
                          web::field(h, ctx, "regions", "network.regions", "text");
                          h.element("fieldset", {{"id", "regions-choices"}, {"class", "checklist"}, {"hidden", "hidden"}},
                                    [&] { h.element("legend", {}, ctx.t("network.choose_regions")); });
                          web::field(h, ctx, "skills", "network.skills", "text");
                          h.element("fieldset", {{"id", "skills-choices"}, {"class", "checklist"}, {"hidden", "hidden"}},
                                    [&] { h.element("legend", {}, ctx.t("network.choose_skills")); });
                          web::field(h, ctx, "passphrase", "network.passphrase", "password", {}, "new-password");
                          h.element("button", {{"type", "submit"}}, ctx.t("network.enrol"));
                      });
                      h.element("noscript", {}, ctx.t("network.needs_js"));
                  });
        h.element("p", {{"class", "small"}}, ctx.t("network.trust"));
    });
}

}  // namespace haven::network
