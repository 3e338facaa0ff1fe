// Who is asking: sessions (idle and absolute expiry, logout, revocation) and API tokens presented as bearers.
#include "modules/accounts/service.hpp"

#include "core/log.hpp"
#include "crypto/random.hpp"
#include "modules/accounts/service_shared.hpp"
#include "modules/accounts/store.hpp"

namespace haven::accounts {

using namespace internal;

Result<Principal> Service::principal_for_session(const std::string& token) {
    if (token.empty() || token.size() > 64) return signed_out();
    const std::string id_hash = crypto::token_hash(token);
    const int64_t now = clock_.now_ms();
    std::optional<store::SessionRow> session;
    std::optional<Principal> p;
    db_.read([&](storage::Tx& tx) {
        session = store::session(tx, id_hash);
        if (session) p = active_principal(tx, session->account_id);
    });
    if (!session) return signed_out();
    const bool expired = now >= session->expires_at || now - session->last_seen_at >= policy_.idle_ms;
    keyring_.sweep(now);  // personal keys of sessions gone idle leave memory at the next request, whoever makes it
    if (expired || !p) {
        keyring_.forget_session(session->public_id);
        (void)db_.write([&](storage::Tx& tx) -> Status {
            store::delete_session(tx, id_hash);
            return {};
        });
        return signed_out();
    }
    keyring_.touch(session->public_id, now + policy_.idle_ms);
    if (now - session->last_seen_at >= touch_every_ms) {
        (void)db_.write([&](storage::Tx& tx) -> Status {
            store::touch_session(tx, id_hash, now);
            return {};
        });
    }
    p->via = "session";
    p->session_public_id = session->public_id;
    return *p;
}

Result<Principal> Service::principal_for_token(const std::string& bearer) {
    if (bearer.empty() || bearer.size() > 64) return signed_out();
    std::optional<store::TokenRow> token;
    std::optional<Principal> p;
    db_.read([&](storage::Tx& tx) {
        token = store::live_token(tx, crypto::token_hash(bearer), clock_.now_ms());
        if (token) p = active_principal(tx, token->account_id);
    });
    if (!p) return make_error(ErrorKind::unauthorized, "invalid_token", "This token is not valid.");
    p->via = "token";
    p->read_only = token->scope == "read";
    return *p;
}

void Service::logout(const std::string& token) {
    if (token.empty() || token.size() > 64) return;
    (void)db_.write([&](storage::Tx& tx) -> Status {
        auto session = store::session(tx, crypto::token_hash(token));
        store::delete_session(tx, crypto::token_hash(token));
        if (session) {
            keyring_.forget_session(session->public_id);
            audit_.record(tx, {"logout", session->account_id});
        }
        return {};
    });
}

std::vector<SessionInfo> Service::sessions(const Principal& actor) {
    std::vector<SessionInfo> out;
    db_.read([&](storage::Tx& tx) { out = store::sessions_of(tx, actor.account_id); });
    for (auto& s : out) s.current = s.public_id == actor.session_public_id;
    return out;
}

Status Service::revoke_session(const Principal& actor, const std::string& public_id) {
    HAVEN_TRY(found, db_.write<bool>([&](storage::Tx& tx) -> Result<bool> {
        const bool found = store::delete_session_by_public_id(tx, actor.account_id, public_id);
        if (found) {
            keyring_.forget_session(public_id);
            audit_.record(tx, {"session.revoke", actor.account_id});
        }
        return found;
    }));
    if (!found) return make_error(ErrorKind::not_found, "not_found", "There is no such session.");
    return {};
}

void Service::end_all_sessions() {
    keyring_.clear();
    // Not audited here: the seal itself was, just before (the audit log needs the keys that are now gone).
    if (auto s = db_.write([&](storage::Tx& tx) -> Status {
            store::delete_all_sessions(tx);
            return {};
        });
        !s)
        log::error("sessions_not_ended", {{"code", s.error().code}});
}

void Service::revoke_all_sessions(const Principal& actor) {
    (void)db_.write([&](storage::Tx& tx) -> Status {
        store::delete_sessions_of(tx, actor.account_id);
        keyring_.forget_account(actor.account_id);
        audit_.record(tx, {"session.revoke_all", actor.account_id});
        return {};
    });
}

}  // namespace haven::accounts
