#include "modules/prisoners/letters.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "core/dates.hpp"
#include "core/ids.hpp"
#include "core/utf8.hpp"
#include "crypto/random.hpp"
#include "http/json.hpp"
#include "modules/accounts/types.hpp"
#include "modules/prisoners/store_letters.hpp"
#include "text/names.hpp"

namespace haven::prisoners {

using accounts::Action;
using accounts::may;
using storage::Tx;
namespace json = boost::json;

namespace {

constexpr size_t max_letter = 20000, max_pen_name = 60, max_reply = 20000, max_scan = 5 * 1024 * 1024;

Error not_found() { return make_error(ErrorKind::not_found, "not_found", "There is no such letter, or you may not see it."); }
Error conflict(const char* code, std::string message) { return make_error(ErrorKind::conflict, code, std::move(message)); }

Status plain_text(const std::string& value, const char* field, size_t max, bool multiline) {
    if (!valid_utf8(value) || has_control_chars(value) || has_bidi_controls(value) ||
        (!multiline && value.find_first_of("\r\n") != std::string::npos))
        return invalid(field, std::string(field) + " holds control or invisible characters, or more than one line.", "text");
    if (value.size() > max)
        return invalid(field, std::string(field) + " is longer than " + std::to_string(max) + " bytes.", "too_long", int64_t(max));
    return {};
}

std::string seal_body(const crypto::Vault& vault, int64_t id, const std::string& body) { return vault.seal_field("letters", "body", id, body); }

Result<Writer> open_writer(const crypto::Vault& vault, const store::StoredWriter& s) {
    HAVEN_TRY(plain, vault.open_field("writers", "record", s.id, s.record));
    HAVEN_TRY(v, http::parse_json(plain));
    Writer w{s.id, s.account_id, s.site_id, "", {}};
    if (const auto* o = v.if_object()) {
        if (const auto* p = o->if_contains("pen_name"); p && p->is_string()) w.pen_name = p->get_string();
        if (const auto* l = o->if_contains("languages"); l && l->is_array())
            for (const auto& x : l->get_array())
                if (x.is_string()) w.languages.emplace_back(x.get_string());
    }
    return w;
}

}  // namespace

const std::vector<std::string>& letter_states() {
    static const std::vector<std::string> s = {"drafted", "checked", "sent", "delivered", "returned", "withheld", "answered"};
    return s;
}

const std::vector<std::string>& letter_channels() {
    static const std::vector<std::string> c = {"post", "e_letter", "relay"};
    return c;
}

std::string rules_text(const text::CensorRules& rules) {
    std::string out;
    for (const auto& t : rules.topics) {
        out += t.name + ":";
        for (size_t i = 0; i < t.stems.size(); ++i) out += (i ? ", " : " ") + t.stems[i];
        out += "\n";
    }
    return out;
}

Result<text::CensorRules> parse_rules_text(std::string_view text) {
    if (text.size() > 20000) return invalid("rules", "rules is longer than 20000 bytes.", "too_long", 20000);
    if (!valid_utf8(text) || has_control_chars(text) || has_bidi_controls(text))
        return invalid("rules", "rules holds control or invisible characters.", "text");
    text::CensorRules rules;
    size_t line_no = 0;
    for (size_t at = 0; at < text.size();) {
        size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        const std::string line = trim(text.substr(at, end - at));
        at = end + 1;
        ++line_no;
        if (line.empty()) continue;
        const size_t colon = line.find(':');
        if (colon == std::string::npos || colon == 0)
            return invalid("rules", "rules line " + std::to_string(line_no) + " must read name: stem, stem.", "rules_line", int64_t(line_no));
        text::CensorTopic topic{trim(line.substr(0, colon)), {}};
        if (topic.name.size() > 40 || !std::all_of(topic.name.begin(), topic.name.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; }))
            return invalid("rules", "rules line " + std::to_string(line_no) + ": a topic's name is lower-case Latin letters.", "rules_line",
                           int64_t(line_no));
        const std::string stems = line.substr(colon + 1);
        for (size_t s = 0; s <= stems.size();) {
            size_t e = stems.find(',', s);
            if (e == std::string::npos) e = stems.size();
            // Kept as typed: the check folds stems as it folds words (й as и, ё as е).
            if (auto stem = trim(stems.substr(s, e - s)); !stem.empty()) topic.stems.push_back(stem);
            s = e + 1;
        }
        if (topic.stems.size() > 500) return invalid("rules", "a topic holds more than 500 stems.", "too_many", 500);
        rules.topics.push_back(std::move(topic));
        if (rules.topics.size() > 50) return invalid("rules", "rules holds more than 50 topics.", "too_many", 50);
    }
    return rules;
}

// ---- Writers ----

std::optional<Writer> Letters::writer_of(Tx& tx, int64_t account_id, int64_t site_id) const {
    auto s = store::writer_by_account(tx, account_id, site_id);
    if (!s) return std::nullopt;
    auto w = open_writer(vault_, *s);
    if (!w) return std::nullopt;
    return *w;
}

Result<Writer> Letters::writer(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::letters_write, site_id)) return accounts::role_forbids();
    return db_.read<Writer>([&](Tx& tx) -> Result<Writer> {
        auto w = writer_of(tx, actor.account_id, site_id);
        if (!w) return make_error(ErrorKind::not_found, "no_pen_name", "Choose a pen name first.");
        return *w;
    });
}

Status Letters::save_writer(const Principal& actor, Writer w) {
    if (!may(actor, Action::letters_write, w.site_id)) return accounts::role_forbids();
    w.pen_name = trim(w.pen_name);
    HAVEN_CHECK(plain_text(w.pen_name, "pen_name", max_pen_name, false));
    if (w.pen_name.empty()) return invalid("pen_name", "pen_name is required.", "required");
    if (w.languages.size() > 10) return invalid("languages", "languages holds more than 10 values.", "too_many");
    for (const auto& l : w.languages)
        if (l.size() < 2 || l.size() > 3 || !std::all_of(l.begin(), l.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
            return invalid("languages", "languages are two- or three-letter codes such as ru, be, en.", "language");
    return db_.write([&](Tx& tx) -> Status {
        store::lock_letters(tx, w.site_id);  // two first saves at once make one writer
        auto existing = store::writer_by_account(tx, actor.account_id, w.site_id);
        const int64_t id = existing ? existing->id : new_id();
        const std::string record = vault_.seal_field(
            "writers", "record", id,
            json::serialize(json::object{{"pen_name", w.pen_name}, {"languages", json::array(w.languages.begin(), w.languages.end())}}));
        store::upsert_writer(tx, {id, actor.account_id, w.site_id, existing ? existing->created_at : clock_.now_ms(), record});
        audit_.record(tx, {"writer.save", actor.account_id, "writer", id, w.site_id});
        return {};
    });
}

Result<std::vector<Writer>> Letters::writers(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::prisoners_manage, site_id)) return accounts::role_forbids();
    return db_.read<std::vector<Writer>>([&](Tx& tx) -> Result<std::vector<Writer>> {
        std::vector<Writer> out;
        for (const auto& s : store::writers_of(tx, site_id)) {
            HAVEN_TRY(w, open_writer(vault_, s));
            out.push_back(std::move(w));
        }
        std::stable_sort(out.begin(), out.end(), [](const Writer& a, const Writer& b) { return text::fold(a.pen_name) < text::fold(b.pen_name); });
        return out;
    });
}

// ---- Matching ----

Result<Letter> Letters::ask(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::letters_write, site_id)) return accounts::role_forbids();
    HAVEN_TRY(id, db_.write<int64_t>([&](Tx& tx) -> Result<int64_t> {
        // Requests take turns: the next one counts the letter this one gives.
        store::lock_letters(tx, site_id);
        auto writer = store::writer_by_account(tx, actor.account_id, site_id);
        if (!writer) return make_error(ErrorKind::not_found, "no_pen_name", "Choose a pen name first.");
        if (store::letters_in_hand(tx, writer->id) >= settings_.writer_cap)
            return conflict("writer_cap", "You hold " + std::to_string(settings_.writer_cap) +
                                              " letters not yet sent: ask for another prisoner once they have gone.");
        const int64_t now = clock_.now_ms();
        auto eligible = store::eligible(tx, site_id, writer->id, now - int64_t(settings_.window_days) * day_ms);
        if (eligible.empty())
            return conflict("nobody_to_write",
                            "There is nobody to give you now: everyone is in transit, being written to by you, or has not approved you.");
        // Fewest letters lately for their weight (letters / weight, compared without division); among equals, one
        // at random, so that writers who ask one after another do not all get the oldest record.
        auto better = [](const store::Eligible& a, const store::Eligible& b) { return a.letters * b.weight < b.letters * a.weight; };
        std::sort(eligible.begin(), eligible.end(), better);
        size_t ties = 1;
        while (ties < eligible.size() && !better(eligible[0], eligible[ties])) ++ties;
        const auto& chosen = eligible[size_t(crypto::random_below(uint32_t(ties)))];
        const store::StoredLetter l = new_letter(tx, site_id, chosen.prisoner_id, writer->id, false, "");
        store::insert_letter(tx, l);
        audit_.record(tx, {"letter.match", actor.account_id, "letter", l.id, site_id});
        // A writer learns a prisoner with each ask: counted, so that one harvesting the registry trips the alarm.
        accounts_.record_read(tx, actor, "prisoner", chosen.prisoner_id);
        return l.id;
    }));
    return read(actor, id);
}

Result<Letter> Letters::again(const Principal& actor, int64_t letter_id) {
    HAVEN_TRY(id, db_.write<int64_t>([&](Tx& tx) -> Result<int64_t> {
        auto before = store::letter(tx, letter_id);
        if (!before) return not_found();
        auto writer = store::writer_by_account(tx, actor.account_id, before->site_id);
        if (!writer || writer->id != before->writer_id || !may(actor, Action::letters_write, before->site_id)) return not_found();
        store::lock_letters(tx, before->site_id);
        if (store::letters_in_hand(tx, writer->id) >= settings_.writer_cap)
            return conflict("writer_cap",
                            "You hold " + std::to_string(settings_.writer_cap) + " letters not yet sent: start another once they have gone.");
        auto p = store::prisoner(tx, before->prisoner_id);
        if (!p || p->status == "released") return conflict("nobody_to_write", "This prisoner has been released: letters go no more.");
        if (p->approved_only) {
            const auto approved = store::approvals_of(tx, p->id);
            if (std::find(approved.begin(), approved.end(), writer->id) == approved.end())
                return conflict("not_approved",
                                "This prisoner receives letters only from correspondents they approved, and you are not on the list.");
        }
        for (const auto& l : store::letters_of_writer(tx, writer->id, 200))
            if (l.prisoner_id == p->id && (l.status == "drafted" || l.status == "checked"))
                return conflict("letter_in_hand", "You already have a letter to this prisoner that has not been sent.");
        const store::StoredLetter l = new_letter(tx, p->site_id, p->id, writer->id, p->status == "in_transit", "");
        store::insert_letter(tx, l);
        audit_.record(tx, {"letter.again", actor.account_id, "letter", l.id, p->site_id});
        return l.id;
    }));
    return read(actor, id);
}

store::StoredLetter Letters::new_letter(Tx& tx, int64_t site_id, int64_t prisoner_id, int64_t writer_id, bool held, const std::string& body) const {
    auto stay = registry_.current_stay(tx, prisoner_id);
    store::StoredLetter l;
    l.id = new_id();
    l.site_id = site_id;
    l.prisoner_id = prisoner_id;
    l.writer_id = writer_id;
    l.status = "drafted";
    l.held = held;
    l.address_id = stay && stay->institution_id ? stay->id : 0;
    l.body = seal_body(vault_, l.id, body);
    l.created_at = l.updated_at = clock_.now_ms();
    return l;
}

// ---- Letters ----

Result<Letter> Letters::load(Tx& tx, int64_t id, bool with_body) const {
    auto s = store::letter(tx, id);
    if (!s) return not_found();
    Letter l;
    l.id = s->id;
    l.site_id = s->site_id;
    l.prisoner_id = s->prisoner_id;
    l.writer_id = s->writer_id;
    l.status = s->status;
    l.channel = s->channel;
    l.currency = s->currency;
    l.held = s->held;
    l.handwritten = s->handwritten;
    l.warnings = s->warnings;
    l.cost_minor = s->cost_minor;
    l.created_at = s->created_at;
    l.updated_at = s->updated_at;
    l.sent_at = s->sent_at;
    l.replied = s->replies > 0;
    if (with_body) {
        HAVEN_TRY(body, vault_.open_field("letters", "body", s->id, s->body));
        l.body = std::move(body);
    }
    if (auto w = store::writer(tx, s->writer_id))
        if (auto opened = open_writer(vault_, *w)) l.pen_name = opened->pen_name;
    if (auto p = registry_.open(tx, s->prisoner_id)) {
        l.prisoner = !p->address_as.empty() ? p->address_as : p->names.at(0);
        l.unnamed = !p->public_name && p->address_as.empty();
        l.full_name = p->names.at(0);
        if (p->birth_date.size() == 10) l.full_name += ", " + p->birth_date.substr(0, 4);  // a Russian envelope: name and year of birth
    }
    if (s->address_id)
        if (auto st = store::stay(tx, s->address_id); st && st->institution_id) l.address = registry_.institution(tx, st->institution_id);
    return l;
}

void Letters::for_writer(Letter& l) {
    l.address.reset();  // a writer never learns where the prisoner is held
    l.full_name.clear();
    if (l.unnamed) l.prisoner.clear();
}

Result<Letter> Letters::read(const Principal& actor, int64_t id) {
    return db_.write<Letter>([&](Tx& tx) -> Result<Letter> {
        HAVEN_TRY(l, load(tx, id, true));
        const auto mine = store::writer_by_account(tx, actor.account_id, l.site_id);
        const bool own = mine && mine->id == l.writer_id && may(actor, Action::letters_write, l.site_id);
        if (!own && !may(actor, Action::prisoners_manage, l.site_id)) return not_found();
        if (own)
            for_writer(l);
        else
            audit_.record(tx, {"letter.read", actor.account_id, "letter", id, l.site_id});
        return l;
    });
}

Result<PublicPrisoner> Letters::prisoner_of(const Principal& actor, int64_t letter_id) {
    return db_.read<PublicPrisoner>([&](Tx& tx) -> Result<PublicPrisoner> {
        auto s = store::letter(tx, letter_id);
        if (!s) return not_found();
        const auto mine = store::writer_by_account(tx, actor.account_id, s->site_id);
        const bool own = mine && mine->id == s->writer_id && may(actor, Action::letters_write, s->site_id);
        if (!own && !may(actor, Action::prisoners_manage, s->site_id)) return not_found();
        HAVEN_TRY(p, registry_.open(tx, s->prisoner_id));
        PublicPrisoner out{p.id,       !p.address_as.empty() ? p.address_as : p.public_name ? p.names.at(0) : "", "", "", p.interests, p.status,
                           p.languages};
        if (p.public_name) {
            for (const auto& n : p.names) out.names += (out.names.empty() ? "" : " · ") + n;
        }
        if (p.birth_date.size() == 10) out.birthday = p.birth_date.substr(5);
        return out;
    });
}

Result<std::vector<Letter>> Letters::mine(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::letters_write, site_id)) return accounts::role_forbids();
    return db_.read<std::vector<Letter>>([&](Tx& tx) -> Result<std::vector<Letter>> {
        std::vector<Letter> out;
        auto w = store::writer_by_account(tx, actor.account_id, site_id);
        if (!w) return out;
        for (const auto& s : store::letters_of_writer(tx, w->id, 200)) {
            HAVEN_TRY(l, load(tx, s.id, false));
            for_writer(l);
            out.push_back(std::move(l));
        }
        return out;
    });
}

Result<std::vector<Letter>> Letters::of_site(const Principal& actor, int64_t site_id, const std::string& status) {
    if (!may(actor, Action::prisoners_manage, site_id)) return accounts::role_forbids();
    if (!status.empty() && std::find(letter_states().begin(), letter_states().end(), status) == letter_states().end())
        return invalid("status", "status must be one of the letters' states.", "choose");
    return db_.read<std::vector<Letter>>([&](Tx& tx) -> Result<std::vector<Letter>> {
        std::vector<Letter> out;
        for (const auto& s : store::letters_of_site(tx, site_id, status, 500)) {
            HAVEN_TRY(l, load(tx, s.id, false));
            out.push_back(std::move(l));
        }
        return out;
    });
}

Result<std::vector<Letter>> Letters::of_prisoner(const Principal& actor, int64_t prisoner_id) {
    return db_.read<std::vector<Letter>>([&](Tx& tx) -> Result<std::vector<Letter>> {
        auto p = store::prisoner(tx, prisoner_id);
        if (!p || !may(actor, Action::prisoners_view, p->site_id))
            return make_error(ErrorKind::not_found, "not_found", "There is no such prisoner, or you may not see them.");
        if (!may(actor, Action::prisoners_manage, p->site_id)) return accounts::role_forbids();
        std::vector<Letter> out;
        for (const auto& s : store::letters_of_prisoner(tx, prisoner_id, 200)) {
            HAVEN_TRY(l, load(tx, s.id, false));
            out.push_back(std::move(l));
        }
        return out;
    });
}

text::CensorRules Letters::rules_of(Tx& tx, int64_t site_id) const {
    if (auto sealed = store::censor_rules(tx, site_id))
        if (auto plain = vault_.open_field("censor_rules", "record", site_id, *sealed))
            if (auto rules = parse_rules_text(*plain)) return *rules;
    return text::default_censor_rules();
}

Result<std::vector<text::CensorWarning>> Letters::save(const Principal& actor, int64_t id, const std::string& body) {
    HAVEN_CHECK(plain_text(body, "body", max_letter, true));
    return db_.write<std::vector<text::CensorWarning>>([&](Tx& tx) -> Result<std::vector<text::CensorWarning>> {
        auto s = store::locked_letter(tx, id);
        if (!s) return not_found();
        auto w = store::writer_by_account(tx, actor.account_id, s->site_id);
        if (!w || w->id != s->writer_id || !may(actor, Action::letters_write, s->site_id)) return not_found();
        if (s->status != "drafted" && s->status != "checked")
            return conflict("letter_sent", "This letter has been sent: it can no longer be changed.");
        auto warnings = text::censor_check(body, rules_of(tx, s->site_id));
        s->body = seal_body(vault_, id, body);
        s->warnings = int64_t(warnings.size());
        s->status = "drafted";  // changed: handed in again once read over
        s->updated_at = clock_.now_ms();
        store::update_letter(tx, *s);
        audit_.record(tx, {"letter.save", actor.account_id, "letter", id, s->site_id});
        return warnings;
    });
}

Status Letters::hand_in(const Principal& actor, int64_t id) {
    return db_.write([&](Tx& tx) -> Status {
        auto s = store::locked_letter(tx, id);
        if (!s) return not_found();
        auto w = store::writer_by_account(tx, actor.account_id, s->site_id);
        if (!w || w->id != s->writer_id || !may(actor, Action::letters_write, s->site_id)) return not_found();
        if (s->status != "drafted") return conflict("letter_state", "Only a draft can be handed in.");
        HAVEN_TRY(body, vault_.open_field("letters", "body", id, s->body));
        if (trim(body).empty()) return invalid("body", "body is empty: write the letter first.", "required");
        s->status = "checked";
        s->updated_at = clock_.now_ms();
        store::update_letter(tx, *s);
        audit_.record(tx, {"letter.hand_in", actor.account_id, "letter", id, s->site_id});
        return {};
    });
}

Result<int64_t> Letters::record_handwritten(const Principal& actor, int64_t prisoner_id, int64_t writer_id, const std::string& body) {
    HAVEN_CHECK(plain_text(body, "body", max_letter, true));
    return db_.write<int64_t>([&](Tx& tx) -> Result<int64_t> {
        auto p = store::prisoner(tx, prisoner_id);
        if (!p || !may(actor, Action::prisoners_view, p->site_id))
            return make_error(ErrorKind::not_found, "not_found", "There is no such prisoner, or you may not see them.");
        if (!may(actor, Action::prisoners_manage, p->site_id)) return accounts::role_forbids();
        store::lock_letters(tx, p->site_id);
        p = store::prisoner(tx, prisoner_id);  // as it is once transfers wait
        if (writer_id) {
            auto w = store::writer(tx, writer_id);
            if (!w || w->site_id != p->site_id) return invalid("writer_id", "writer_id names no writer of this site.", "choose");
        }
        store::StoredLetter l = new_letter(tx, p->site_id, prisoner_id, writer_id, p->status == "in_transit", body);
        l.status = "checked";  // written by hand: ready to send
        l.handwritten = true;
        l.warnings = int64_t(text::censor_check(body, rules_of(tx, p->site_id)).size());
        store::insert_letter(tx, l);
        audit_.record(tx, {"letter.handwritten", actor.account_id, "letter", l.id, p->site_id});
        return l.id;
    });
}

Status Letters::send(const Principal& actor, int64_t id, const std::string& channel, int64_t cost_minor, const std::string& currency,
                     int64_t as_printed) {
    if (std::find(letter_channels().begin(), letter_channels().end(), channel) == letter_channels().end())
        return invalid("channel", "channel must be one of post, e_letter, relay.", "choose");
    if (cost_minor < 0 || cost_minor > 100'000'00) return invalid("cost_minor", "cost_minor must be from 0 to 10000000 cents.", "range", 100'000'00);
    if (currency.size() != 3 || !std::all_of(currency.begin(), currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        return invalid("currency", "currency must be an ISO 4217 code in capitals, such as EUR.", "currency");
    return db_.write([&](Tx& tx) -> Status {
        auto s = store::locked_letter(tx, id);
        if (!s || !may(actor, Action::prisoners_view, s->site_id)) return not_found();
        if (!may(actor, Action::prisoners_manage, s->site_id)) return accounts::role_forbids();
        if (s->status != "checked") return conflict("letter_state", "Only a letter its writer has handed in can be sent.");
        if (s->held) return conflict("letter_held", "The prisoner is in transit: the letter waits until their new address is known.");
        if (!s->address_id) return conflict("no_address", "The prisoner has no address yet: record where they are held first.");
        if (as_printed && s->updated_at != as_printed)
            return conflict("letter_changed", "The letter changed after it was printed: print it again before it goes.");
        s->status = "sent";
        s->channel = channel;
        s->cost_minor = cost_minor;
        s->currency = currency;
        s->sent_at = s->updated_at = clock_.now_ms();
        store::update_letter(tx, *s);
        audit_.record(tx, {"letter.send", actor.account_id, "letter", id, s->site_id});
        return {};
    });
}

Status Letters::outcome(const Principal& actor, int64_t id, const std::string& status) {
    if (status != "delivered" && status != "returned" && status != "withheld")
        return invalid("status", "status must be one of delivered, returned, withheld.", "choose");
    return db_.write([&](Tx& tx) -> Status {
        auto s = store::locked_letter(tx, id);
        if (!s || !may(actor, Action::prisoners_view, s->site_id)) return not_found();
        if (!may(actor, Action::prisoners_manage, s->site_id)) return accounts::role_forbids();
        if (s->status != "sent" && s->status != "delivered")
            return conflict("letter_state", "Only a letter sent can be delivered, returned or withheld.");
        s->status = status;
        s->updated_at = clock_.now_ms();
        store::update_letter(tx, *s);
        audit_.record(tx, {"letter.outcome", actor.account_id, "letter", id, s->site_id, status});
        return {};
    });
}

std::string scan_type(std::string_view bytes) {
    if (bytes.starts_with("%PDF-")) return "application/pdf";
    if (bytes.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
    if (bytes.starts_with("\x89PNG\r\n\x1A\n")) return "image/png";
    return {};
}

Status Letters::enter_reply(const Principal& actor, int64_t id, Reply reply) {
    HAVEN_CHECK(plain_text(reply.text, "text", max_reply, true));
    HAVEN_CHECK(plain_text(reply.file_name, "file_name", 200, false));
    if (reply.scan.size() > max_scan) return invalid("scan", "scan is larger than 5 MiB.", "too_long", int64_t(max_scan));
    // What the bytes are, not what the sender said: only a PDF, a JPEG or a PNG is kept, and served as that.
    reply.file_type = scan_type(reply.scan);
    if (!reply.scan.empty() && reply.file_type.empty()) return invalid("scan", "scan must be a PDF, a JPEG or a PNG.", "file_type");
    if (trim(reply.text).empty() && reply.scan.empty()) return invalid("text", "text is required when no scan is given.", "required");
    return db_.write([&](Tx& tx) -> Status {
        auto s = store::locked_letter(tx, id);
        if (!s || !may(actor, Action::prisoners_view, s->site_id)) return not_found();
        if (!may(actor, Action::prisoners_manage, s->site_id)) return accounts::role_forbids();
        if (s->status != "sent" && s->status != "delivered" && s->status != "answered")
            return conflict("letter_state", "A reply can come only to a letter that was sent.");
        store::StoredReply r;
        r.id = new_id();
        r.letter_id = id;
        r.received_at = clock_.now_ms();
        r.body =
            vault_.seal_field("letter_replies", "body", r.id,
                              json::serialize(json::object{{"text", reply.text}, {"file_name", reply.file_name}, {"file_type", reply.file_type}}));
        if (!reply.scan.empty()) r.scan = vault_.seal_field("letter_replies", "scan", r.id, reply.scan);
        store::insert_reply(tx, r);
        s->status = "answered";
        s->updated_at = r.received_at;
        store::update_letter(tx, *s);
        audit_.record(tx, {"letter.reply", actor.account_id, "letter", id, s->site_id});
        return {};
    });
}

Result<std::vector<Reply>> Letters::replies(const Principal& actor, int64_t id, bool with_scans) {
    return db_.write<std::vector<Reply>>([&](Tx& tx) -> Result<std::vector<Reply>> {
        auto s = store::letter(tx, id);
        if (!s) return not_found();
        // Its writer only: prisoner support entered it, and does not read it again.
        auto w = store::writer_by_account(tx, actor.account_id, s->site_id);
        if (!w || w->id != s->writer_id || !may(actor, Action::letters_write, s->site_id)) return not_found();
        std::vector<Reply> out;
        for (const auto& r : store::replies_of(tx, id)) {
            HAVEN_TRY(plain, vault_.open_field("letter_replies", "body", r.id, r.body));
            HAVEN_TRY(v, http::parse_json(plain));
            Reply reply{r.id, id, r.received_at, r.number, "", "", "", "", !r.scan.empty()};
            if (const auto* o = v.if_object()) {
                for (auto [name, to] :
                     {std::pair{"text", &reply.text}, std::pair{"file_name", &reply.file_name}, std::pair{"file_type", &reply.file_type}})
                    if (const auto* x = o->if_contains(name); x && x->is_string()) *to = x->get_string();
            }
            if (with_scans && !r.scan.empty()) {
                HAVEN_TRY(scan, vault_.open_field("letter_replies", "scan", r.id, r.scan));
                reply.scan = std::move(scan);
            }
            out.push_back(std::move(reply));
        }
        audit_.record(tx, {"letter.reply_read", actor.account_id, "letter", id, s->site_id});
        return out;
    });
}

Result<std::vector<Letter>> Letters::batch(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::prisoners_manage, site_id)) return accounts::role_forbids();
    return db_.write<std::vector<Letter>>([&](Tx& tx) -> Result<std::vector<Letter>> {
        std::vector<Letter> out;
        for (const auto& s : store::ready_to_send(tx, site_id, 500)) {
            HAVEN_TRY(l, load(tx, s.id, true));
            out.push_back(std::move(l));
        }
        audit_.record(tx, {"letter.batch", actor.account_id, "site", site_id, site_id});
        return out;
    });
}

Result<text::CensorRules> Letters::censor_rules(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::prisoners_manage, site_id) && !may(actor, Action::letters_write, site_id)) return accounts::role_forbids();
    return db_.read<text::CensorRules>([&](Tx& tx) -> Result<text::CensorRules> { return rules_of(tx, site_id); });
}

Status Letters::save_censor_rules(const Principal& actor, int64_t site_id, const text::CensorRules& rules) {
    if (!may(actor, Action::prisoners_manage, site_id)) return accounts::role_forbids();
    return db_.write([&](Tx& tx) -> Status {
        store::save_censor_rules(tx, site_id, vault_.seal_field("censor_rules", "record", site_id, rules_text(rules)), clock_.now_ms());
        audit_.record(tx, {"censor.rules", actor.account_id, "site", site_id, site_id});
        return {};
    });
}

Result<std::vector<text::CensorWarning>> Letters::check(const Principal& actor, int64_t site_id, std::string_view body) {
    HAVEN_CHECK(plain_text(std::string(body), "body", max_letter, true));
    HAVEN_TRY(rules, censor_rules(actor, site_id));
    return text::censor_check(body, rules);
}

}  // namespace haven::prisoners
