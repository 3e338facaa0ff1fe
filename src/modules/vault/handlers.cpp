#include "modules/vault/handlers.hpp"

#include <boost/json.hpp>

#include "core/log.hpp"
#include "crypto/random.hpp"
#include "http/form.hpp"
#include "http/json.hpp"
#include "http/transport/client.hpp"
#include "modules/vault/rotation.hpp"
#include "web/layout.hpp"
#include "web/widgets.hpp"

namespace haven::vault {
namespace {

namespace json = boost::json;

Response unseal_page(const Request& request, int status, const std::string& error) {
    web::PageContext ctx{request, web::Messages::shipped(), {}};
    return web::page(ctx, status, "vault.sealed_title", [&](web::Html& h) {
        h.element("p", {{"class", "lead"}}, ctx.t("vault.sealed_lead"));
        if (!error.empty()) h.element("p", {{"class", "notice error"}, {"role", "alert"}}, error);
        web::post_form(h, request, "/unseal", {{"class", "stack"}}, [&] {
            h.element("div", {{"class", "field"}}, [&] {
                h.element("label", {{"for", "passphrase"}}, ctx.t("vault.passphrase"));
                h.empty("input", {{"id", "passphrase"}, {"name", "passphrase"}, {"type", "password"}, {"autocomplete", "off"}});
            });
            h.element("div", {{"class", "field"}}, [&] {
                h.element("label", {{"for", "operator_keys"}}, ctx.t("vault.operator_keys"));
                h.element("textarea", {{"id", "operator_keys"}, {"name", "operator_keys"}, {"rows", "5"}, {"autocomplete", "off"}}, "");
            });
            h.element("button", {{"type", "submit"}}, ctx.t("vault.unseal"));
        });
    });
}

// Key operations are audited: the unseal right after it (the keys are needed to sign), the seal right
// before it.
void record(Context& c, const char* action, const Request& request) {
    (void)c.db.write([&](storage::Tx& tx) -> Status {
        c.audit.record(tx, {action, request.principal ? request.principal->account_id : 0});
        return {};
    });
}

// Passes an unseal (or a seal) on to the peers (setting peers), as the operator on the server, each within a minute;
// a peer already in that state answers at once. One that cannot be reached is logged (unseal it with `haven unseal`
// and its --listen). A request that came from a peer is not passed on again.
bool from_peer(const Context& c, const Request& request) {
    return request.header("X-Haven-Peer") == "1" && !c.seal_token.empty() && crypto::equal_secret(request.header("X-Seal-Token"), c.seal_token);
}

void pass_on(const Context& c, const std::string& path, const std::string& body) {
    for (const auto& peer : c.peers) {
        http::client::Endpoint server{"http://" + peer, "", "", 60};
        auto reply = http::client::request(server, "POST", path, body, "application/json", {{"X-Seal-Token", c.seal_token}, {"X-Haven-Peer", "1"}});
        if (!reply || reply->status != 200) log::warn("peer_failed", {{"peer", peer}, {"path", path}, {"status", reply ? reply->status : 0}});
    }
}

std::string unseal_body(const std::string& passphrase, const std::vector<std::string>& files) {
    json::object body;
    if (!passphrase.empty()) body["passphrase"] = passphrase;
    json::array keys;
    for (const auto& f : files) keys.push_back(json::string(f));
    if (!files.empty()) body["operator_keys"] = keys;
    return json::serialize(body);
}

Status unseal(Context& c, const Request& request, const std::string& passphrase, const std::vector<std::string>& files) {
    if (!c.vault.sealed()) return {};
    if (passphrase.empty() && files.empty())
        return make_error(ErrorKind::invalid, "validation_failed", "Give the passphrase or operator key files.", "passphrase");
    // 1. The operator on the server (`haven unseal` sends DATA/seal-token) is never throttled by anyone else's
    //    attempts; everybody else's attempts are limited per source.
    const bool operator_on_server = !c.seal_token.empty() && crypto::equal_secret(request.header("X-Seal-Token"), c.seal_token);
    struct Attempt {  // a stranger's attempt, reported to the throttle however it ends
        UnsealThrottle* throttle;
        const std::string& source;
        bool wrong = false, unsealed = false;
        ~Attempt() {
            if (throttle) throttle->done(source, wrong, unsealed);
        }
    };
    if (!operator_on_server) {
        if (auto admitted = c.throttle->begin(request.remote_address); !admitted) return admitted;
    }
    Attempt attempt{operator_on_server ? nullptr : c.throttle.get(), request.remote_address};
    // 2. The attempt; a wrong passphrase or wrong key files count against the source.
    Status s = !passphrase.empty() ? c.vault.unseal_with_passphrase(passphrase) : c.vault.unseal_with_operator_files(files);
    attempt.wrong = !s && s.error().kind == ErrorKind::unauthorized;
    attempt.unsealed = s.ok();
    if (!s) return s;
    record(c, "vault.unseal", request);
    // 3. The other processes of this store: the same secret, as the operator on the server (once: not passed on again).
    if (!from_peer(c, request) && !c.peers.empty()) pass_on(c, "/api/v1/vault/unseal", unseal_body(passphrase, files));
    return s;
}

void seal(Context& c, const Request& request) {
    if (c.vault.sealed()) return;
    (void)c.db.write([&](storage::Tx& tx) -> Status {
        c.audit.record(tx, {"vault.seal", request.principal ? request.principal->account_id : 0});
        storage::announce(c.db, tx, sealed_channel);  // every process on this PostgreSQL seals too
        return {};
    });
    c.vault.seal();
    // Also through the peers (the announcement reaches every process listening; this reaches those that missed it).
    if (!from_peer(c, request)) pass_on(c, "/api/v1/vault/seal", "{}");
}

}  // namespace

std::vector<std::string> split_operator_files(std::string_view text) {
    std::vector<std::string> out;
    const std::string_view magic = "haven operator key v1";
    size_t p = text.find(magic);
    while (p != std::string_view::npos && out.size() < 10) {
        size_t next = text.find(magic, p + magic.size());
        std::string one(text.substr(p, next == std::string_view::npos ? std::string_view::npos : next - p));
        std::erase(one, '\r');
        out.push_back(one);
        p = next;
    }
    return out;
}

Response sealed_page(const Request& request) { return unseal_page(request, 503, ""); }

Result<Response> unseal_show(Request& request, Context& c) {
    if (!c.vault.sealed()) return Response::redirect("/");
    return unseal_page(request, 200, "");
}

Result<Response> unseal_save(Request& request, Context& c) {
    HAVEN_TRY(form, http::Form::parse(request.body));
    Status s = unseal(c, request, std::string(form.get("passphrase")), split_operator_files(form.get("operator_keys")));
    if (!s) {
        web::PageContext ctx{request, web::Messages::shipped(), {}};
        Response r = unseal_page(request, s.error().kind == ErrorKind::too_many ? 429 : 401,
                                 ctx.t(s.error().kind == ErrorKind::too_many ? "vault.too_many" : "vault.wrong"));
        if (s.error().retry_after_seconds) r.set_header("Retry-After", std::to_string(s.error().retry_after_seconds));
        return r;
    }
    return Response::redirect("/");
}

Result<Response> seal_save(Request& request, Context& c) {
    HAVEN_TRY(form, http::form_body(request));
    if (auto ask = web::confirm_first(request, form, web::page_context(request).t("confirm.seal"), "/sites")) return *ask;
    seal(c, request);
    return Response::redirect("/unseal");
}

Result<Response> api_unseal(Request& request, Context& c) {
    if (!request.header("Content-Type").starts_with("application/json"))
        return make_error(ErrorKind::unsupported_media, "unsupported_media_type", "Send the body as application/json.");
    HAVEN_TRY(body, http::parse_json(request.body));
    if (!body.is_object()) return make_error(ErrorKind::bad_request, "bad_json", "The body must be a JSON object.");
    std::string passphrase;
    std::vector<std::string> files;
    if (const auto* p = body.as_object().if_contains("passphrase")) {
        if (!p->is_string() || p->get_string().size() > 1024)
            return make_error(ErrorKind::invalid, "validation_failed", "passphrase must be a string.", "passphrase");
        passphrase = p->get_string();
    }
    if (const auto* k = body.as_object().if_contains("operator_keys")) {
        if (!k->is_array() || k->get_array().size() > 10)
            return make_error(ErrorKind::invalid, "validation_failed", "operator_keys must be a list of key files.", "operator_keys");
        for (const auto& f : k->get_array()) {
            if (!f.is_string() || f.get_string().size() > 4096)
                return make_error(ErrorKind::invalid, "validation_failed", "operator_keys must be a list of key files.", "operator_keys");
            files.emplace_back(f.get_string());
        }
    }
    if (auto s = unseal(c, request, passphrase, files); !s) return s.error();
    return Response::json(200, R"({"sealed":false})");
}

Result<Response> api_rotate(Request& request, Context& c) {
    if (!crypto::equal_secret(request.header("X-Seal-Token"), c.seal_token))
        return make_error(ErrorKind::forbidden, "forbidden", "A valid X-Seal-Token is needed.");
    bool resume = false;
    if (!request.body.empty()) {
        HAVEN_TRY(body, http::parse_json(request.body));
        if (const auto* r = body.is_object() ? body.as_object().if_contains("resume") : nullptr; r && r->is_bool()) resume = r->as_bool();
    }
    if (!resume) {
        auto v = c.vault.next_field_key_version();
        if (!v) return v.error();
        // The other processes seal new values under it from now on.
        (void)c.db.write([&](storage::Tx& tx) -> Status {
            storage::announce(c.db, tx, keys_channel);
            return {};
        });
    }
    HAVEN_TRY(report, reseal_all(c.db, c.vault, c.audit));
    return Response::json(
        200, json::serialize(json::object{
                 {"version", report.version}, {"resealed", report.resealed}, {"already_current", report.current}, {"damaged", report.damaged}}));
}

Result<Response> api_seal(Request& request, Context& c) {
    if (!crypto::equal_secret(request.header("X-Seal-Token"), c.seal_token))
        return make_error(ErrorKind::forbidden, "forbidden", "A valid X-Seal-Token is needed.");
    seal(c, request);
    return Response::json(200, R"({"sealed":true})");
}

}  // namespace haven::vault
