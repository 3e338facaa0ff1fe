// Counselling compartments: one key per person and counsellor, sealed to that counsellor's personal public
// key; notes sealed under it. Only that counsellor — signed in with their password, so that their secret key
// is open in memory — reads them, while the compartment is open. Administrators and coordinators assign;
// neither they, nor the server, nor whoever holds the vault can read.

#include "core/dates.hpp"
#include "core/ids.hpp"
#include "core/utf8.hpp"
#include "crypto/box.hpp"
#include "crypto/random.hpp"
#include "modules/accounts/store.hpp"
#include "modules/casework/service.hpp"
#include "modules/casework/store.hpp"
#include "modules/people/store.hpp"

namespace haven::casework {

using accounts::Action;
using accounts::may;
using storage::Tx;

namespace {

constexpr size_t max_note = 20000;

std::string note_ad(int64_t compartment, int64_t note) {
    return std::string("counselling_notes") + '\0' + std::to_string(compartment) + '\0' + std::to_string(note);
}
Error not_found() { return make_error(ErrorKind::not_found, "not_found", "There is no such compartment, or it is not yours."); }

// The compartment's key, when `actor` is its counsellor, it is open, and they signed in with their password
// in this session (their personal secret key is in memory); wiped when it goes out of scope.
struct CompartmentKey {
    std::string bytes;
    int64_t site_id = 0, person_id = 0;
    ~CompartmentKey() { crypto::wipe(bytes); }
    const unsigned char* data() const { return reinterpret_cast<const unsigned char*>(bytes.data()); }
};

Result<CompartmentKey> open_compartment(Tx& tx, accounts::Service& accounts, const Principal& actor, int64_t id) {
    auto c = store::compartment(tx, id);
    if (!c) return not_found();
    // Only the counsellor it was opened for, while they are a counsellor there and it is open.
    if (c->counsellor_id != actor.account_id || c->closed || !may(actor, Action::counselling_write, c->site_id)) return not_found();
    auto secret = accounts.box_secret(actor);
    auto public_key = accounts.box_public(tx, actor.account_id);
    if (!secret || !public_key)
        return make_error(ErrorKind::forbidden, "sign_in_again",
                          "Your notes open only with your password: sign in again (not with a token) to read or write them.");
    const std::string& sealed = c->sealed_key;
    CompartmentKey k;
    k.site_id = c->site_id;
    k.person_id = c->person_id;
    auto opened = crypto::open_sealed(*public_key, *secret, sealed);
    crypto::wipe(*secret);
    if (!opened || opened->size() != crypto::SecretKey::size)
        return make_error(ErrorKind::unavailable, "bad_ciphertext", "This compartment's key is damaged.");
    k.bytes = std::move(*opened);
    return k;
}

}  // namespace

Result<int64_t> Service::assign_counsellor(const Principal& actor, int64_t person_id, int64_t counsellor_id) {
    const int64_t id = new_id();
    HAVEN_CHECK(db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, person_id));
        if (!may(actor, Action::counselling_assign, sealer.site_id)) return accounts::role_forbids();
        auto counsellor = accounts::store::account(tx, counsellor_id);
        bool ok = false;
        if (counsellor && counsellor->account.status == accounts::AccountStatus::active)
            for (const auto& r : counsellor->account.roles) ok = ok || (r.site_id == sealer.site_id && r.role == Role::counsellor);
        if (!ok) return invalid("counsellor_id", "counsellor_id must be an active counsellor of the site.", "choose");
        auto public_key = accounts_.box_public(tx, counsellor_id);
        if (!public_key)
            return invalid("counsellor_id", "This counsellor has not signed in yet: their notes need the key made at their first sign-in.",
                           "not_ready");
        const int64_t now = clock_.now_ms();
        // The compartments open until now close for good: their notes stay sealed, and nobody reads them again.
        for (const auto& open : store::open_compartments_of_person(tx, person_id)) {
            store::close_compartment(tx, open.id, now);
            end_grant(tx, open.counsellor_id, "person", person_id);
        }
        // A new key, sealed to the counsellor alone; the server forgets it at once.
        std::string key = crypto::random_bytes(crypto::SecretKey::size);
        const std::string sealed = crypto::seal_to(*public_key, key);
        crypto::wipe(key);
        store::insert_compartment(tx, id, person_id, sealer.site_id, counsellor_id, sealed, now);
        grant(tx, actor, counsellor_id, "person", person_id, now + 365 * day_ms);
        audit_.record(tx, {"counselling.assign", actor.account_id, "person", person_id, sealer.site_id});
        return {};
    }));
    return id;
}

std::vector<Compartment> Service::my_compartments(const Principal& actor) {
    std::vector<Compartment> out;
    db_.read([&](Tx& tx) {
        for (const auto& c : store::open_compartments_of(tx, actor.account_id)) {
            if (!may(actor, Action::counselling_write, c.site_id)) continue;
            auto sealer = people_.sealer(tx, c.person_id);
            auto person = sealer ? sealer->person() : Result<people::Person>(sealer.error());
            out.push_back(
                {c.id, c.person_id, c.site_id, actor.account_id, c.opened_at, 0, actor.username, person ? person->pseudonym : std::string()});
        }
    });
    return out;
}

Result<std::vector<Compartment>> Service::compartments_of(const Principal& actor, int64_t person_id) {
    return db_.write<std::vector<Compartment>>([&](Tx& tx) -> Result<std::vector<Compartment>> {
        HAVEN_TRY(sealer, people_.readable_sealer(tx, actor, person_id));
        const bool assigner = may(actor, Action::counselling_assign, sealer.site_id);
        std::vector<Compartment> out;
        for (const auto& c : store::compartments_of_person(tx, person_id)) {
            if (!assigner && c.counsellor_id != actor.account_id) continue;
            out.push_back({c.id, person_id, sealer.site_id, c.counsellor_id, c.opened_at, c.closed_at, c.counsellor, ""});
        }
        return out;
    });
}

Result<std::vector<Note>> Service::notes(const Principal& actor, int64_t compartment_id) {
    return db_.write<std::vector<Note>>([&](Tx& tx) -> Result<std::vector<Note>> {
        HAVEN_TRY(key, open_compartment(tx, accounts_, actor, compartment_id));
        std::vector<Note> out;
        for (const auto& n : store::notes_in(tx, compartment_id)) {
            auto text = crypto::aead_open(n.sealed_text, key.data(), note_ad(compartment_id, n.id));
            if (!text) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored note is damaged.");
            out.push_back({n.id, n.written_at, *text});
        }
        accounts_.record_read(tx, actor, "counselling", compartment_id);
        return out;
    });
}

Status Service::add_note(const Principal& actor, int64_t compartment_id, const std::string& text) {
    if (text.empty() || text.size() > max_note || !valid_utf8(text) || has_control_chars(text))
        return invalid("text", "text is required: UTF-8 of at most 20000 bytes.", "required");
    return db_.write([&](Tx& tx) -> Status {
        HAVEN_TRY(key, open_compartment(tx, accounts_, actor, compartment_id));
        const int64_t id = new_id(), now = clock_.now_ms();
        store::insert_note(tx, id, compartment_id, now, crypto::aead_seal(text, key.data(), note_ad(compartment_id, id)));
        people::store::set_active(tx, key.person_id, now);
        audit_.record(tx, {"counselling.write", actor.account_id, "counselling", compartment_id, key.site_id});
        return {};
    });
}

}  // namespace haven::casework
