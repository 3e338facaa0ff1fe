// accounts::Service: what its parts share (the audit, keyed names for throttling, the principal of an account, the
// checks of a line of text and of a time zone), counsellors' personal keys and assignments. Sites and accounts,
// enrolment, login, sessions, contact, reads and tokens each have a file service_<noun>.cpp. Cryptography is
// src/crypto's (box.hpp, mac.hpp, password.hpp), the time-zone check src/text's (zones.hpp).
#include "modules/accounts/service.hpp"

#include <memory>

#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/utf8.hpp"
#include "crypto/box.hpp"
#include "crypto/mac.hpp"
#include "crypto/password.hpp"
#include "crypto/random.hpp"
#include "modules/accounts/service_shared.hpp"
#include "modules/accounts/store.hpp"
#include "text/zones.hpp"

namespace haven::accounts {

using namespace internal;

Status internal::check_text(const std::string& value, const char* field, size_t max) {
    if (value.empty()) return invalid(field, std::string(field) + " is required.", "required");
    if (value.size() > max) return invalid(field, std::string(field) + " is too long.", "too_long");
    if (!is_plain_line(value))
        return invalid(field, std::string(field) + " must be one line of UTF-8 text without control, bidirectional or invisible characters.", "text");
    return {};
}

bool internal::valid_time_zone(const std::string& id) { return text::valid_time_zone(id); }

void internal::wipe(std::string& secret) { crypto::wipe(secret); }

Result<std::string> check_username(std::string_view username) {
    std::string u;
    for (char c : username) u += char(std::tolower((unsigned char)c));
    bool ok = u.size() >= 3 && u.size() <= 32;
    for (char c : u) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
    if (!ok)
        return invalid("username", "A username is 3 to 32 of: latin letters, digits, '.', '_' and '-'. Use a chosen name, not a legal name.",
                       "username");
    return u;
}

Service::Service(const modules::Shared& shared, SessionPolicy policy)
    : db_(shared.db), vault_(shared.vault), clock_(shared.clock), audit_(shared.audit), policy_(policy) {}

// Under a key derived from the vault, so that every process serving this store counts one source's attempts in one
// row of login_throttle (sign-in needs the vault open anyway).
std::string Service::source_key(const std::string& source) const {
    return crypto::hex(crypto::keyed_hash(vault_.subkey(crypto::KeyPurpose::login_throttle)->data(), source, 16));
}

// The principal of an active account (one read of the account and its roles); none otherwise.
std::optional<Principal> Service::active_principal(storage::Tx& tx, int64_t account_id) {
    auto row = store::account(tx, account_id);
    if (!row || row->account.status != AccountStatus::active) return std::nullopt;
    Principal p;
    p.account_id = row->account.id;
    p.username = row->account.username;
    p.roles = row->account.roles;
    p.locale = row->locale.value_or("");
    return p;
}

// ---- Counsellors' personal keys ----

// Wraps what an earlier version kept only under the password (hashes in the clear, personal keys under Argon2id
// alone) under the vault too. Runs once the vault is open; a no-op when nothing is left.
void Service::seal_legacy_credentials() {
    std::vector<store::ClearCredentials> found;
    db_.read([&](storage::Tx& tx) { found = store::clear_credentials(tx); });
    if (found.empty()) return;
    (void)db_.write([&](storage::Tx& tx) -> Status {
        for (const auto& c : found) {
            if (c.password_hash)
                store::set_password(tx, c.id, vault_.seal_field("accounts", "password_sealed", c.id, *c.password_hash), clock_.now_ms());
            if (c.box_secret) store::seal_personal_key(tx, c.id, vault_.seal_field("accounts", "box_sealed", c.id, *c.box_secret));
        }
        return {};
    });
    db_.checkpoint();
}

std::optional<Service::BoxKeys> Service::open_box(int64_t account_id, const std::string& password) {
    std::optional<store::PersonalKeys> stored;
    db_.read([&](storage::Tx& tx) { stored = store::personal_keys(tx, account_id); });
    if (!stored) return std::nullopt;
    const std::string ad = "accounts\0box_secret\0" + std::to_string(account_id);
    BoxKeys k;
    if (!stored->public_key) {
        // First login as a counsellor: a new key pair, its secret sealed under the password's key (and by the vault).
        k.created = true;
        k.salt = crypto::random_bytes(crypto::personal_key_salt_bytes);
        auto pair = crypto::box_keypair();
        auto key = crypto::personal_key(password, k.salt);
        k.public_key = pair.public_key;
        k.sealed_secret = crypto::aead_seal(pair.secret_key, key->data(), ad);
        k.secret = std::move(pair.secret_key);
        return k;
    }
    k.public_key = *stored->public_key;
    if (stored->sealed) {
        auto inner = vault_.open_field("accounts", "box_sealed", account_id, *stored->sealed);
        if (!inner) {
            log::error("personal_key_unopened", {{"account", account_id}});
            return std::nullopt;
        }
        k.sealed_secret = std::move(inner).value();
    } else {
        k.sealed_secret = stored->clear.value_or("");  // an earlier version's: under the password alone
    }
    k.salt = stored->salt.value_or("");
    auto key = crypto::personal_key(password, k.salt);
    auto secret = crypto::aead_open(k.sealed_secret, key->data(), ad);
    if (!secret) {
        log::error("personal_key_unopened", {{"account", account_id}});
        return std::nullopt;
    }
    k.secret = std::move(*secret);
    return k;
}

std::optional<std::string> Service::box_public(storage::Tx& tx, int64_t account_id) { return store::box_public(tx, account_id); }

std::optional<std::string> Service::box_secret(const Principal& actor) const {
    if (actor.via != "session") return std::nullopt;
    return keyring_.get(actor.session_public_id, actor.account_id, clock_.now_ms());
}

// ---- Assignments ----

Status Service::assign(const Principal* actor, int64_t account_id, const std::string& record_type, int64_t record_id, int64_t until_ms) {
    if (until_ms <= clock_.now_ms()) return invalid("until", "An assignment must end in the future.", "future");
    return db_.write([&](storage::Tx& tx) -> Status {
        store::insert_assignment(tx, new_id(), account_id, record_type, record_id, until_ms, actor ? actor->account_id : 0, clock_.now_ms());
        audit_.record(tx, {"assignment.grant", actor ? actor->account_id : 0, "account", account_id});
        return {};
    });
}

bool Service::is_assigned(const Principal& actor, const std::string& record_type, int64_t record_id) {
    bool yes = false;
    db_.read([&](storage::Tx& tx) { yes = store::has_assignment(tx, actor.account_id, record_type, record_id, clock_.now_ms()); });
    return yes;
}

}  // namespace haven::accounts
