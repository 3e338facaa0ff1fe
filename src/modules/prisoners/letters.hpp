// Letters to political prisoners (issue 18). Writers are pseudonymous: an account with the writer role holds a pen
// name and languages, nothing else; the association's address is the only return address, and no route shows one
// writer another. A writer asks for a prisoner and is given the one who received the fewest letters lately
// (weighted), never one in transit nor one whose approved list leaves them out, within a cap of letters in hand;
// requests take turns on a lock row, so that fifty at once spread over fifty prisoners.
//
// A letter: drafted → checked (the censor check has run and the writer hands it in) → sent (post, an e-letter
// service or a relay, with its cost) → delivered / returned / withheld → answered. While the prisoner is in transit
// every letter not yet sent is held; their arrival re-addresses and releases it. A reply is entered by the
// association (text, or a scan as a file) and only the letter's writer reads it. Every text is sealed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/prisoners/registry.hpp"
#include "text/censor.hpp"

namespace haven::prisoners {

namespace store {
struct StoredLetter;
}

struct Writer {
    int64_t id = 0, account_id = 0, site_id = 0;
    std::string pen_name;
    std::vector<std::string> languages;
};

const std::vector<std::string>& letter_states();    // drafted, checked, sent, delivered, returned, withheld, answered
const std::vector<std::string>& letter_channels();  // post, e_letter, relay

struct Letter {
    int64_t id = 0, site_id = 0, prisoner_id = 0, writer_id = 0;
    std::string status, channel, currency;
    bool held = false, handwritten = false;
    int64_t warnings = 0, cost_minor = 0, created_at = 0, updated_at = 0, sent_at = 0;
    std::string body;  // only for its writer and prisoner support
    // Shown beside it: the writer's pen name (prisoner support), how the prisoner is greeted, and where it goes.
    std::string pen_name, prisoner;
    std::optional<Institution> address;  // the institution it is addressed to (none yet, or in transit)
    bool replied = false;
    bool unnamed = false;   // not to be named publicly and no greeting recorded: a writer is shown no name at all
    std::string full_name;  // the prisoner's name as an envelope needs it (prisoner support only)
};

struct Reply {
    int64_t id = 0, letter_id = 0, received_at = 0, number = 0;  // number: the letter's first reply is 1
    std::string text, file_name, file_type, scan;                // scan: the file's bytes
    bool has_scan = false;
};

struct LetterSettings {
    int window_days = 30;  // the matching counts the letters of the last so many days
    int writer_cap = 3;    // letters a writer may hold not yet handed in
};

// What a writer sees of a prisoner they write to: never the case, the address or the notes.
struct PublicPrisoner {
    int64_t id = 0;
    std::string address_as, names, birthday, interests, status;  // names only when they may be named; birthday "MM-DD"
    std::vector<std::string> languages;
};

class Letters {
public:
    Letters(const modules::Shared& shared, accounts::Service& accounts, Registry& registry, LetterSettings settings = {})
        : db_(shared.db), vault_(shared.vault), clock_(shared.clock), audit_(shared.audit), accounts_(accounts), registry_(registry),
          settings_(settings) {}

    // The writer's own profile at the site (none yet: not found).
    Result<Writer> writer(const Principal& actor, int64_t site_id);
    Status save_writer(const Principal& actor, Writer w);
    // The site's writers by pen name (prisoner support: to record a handwritten letter, to approve correspondents).
    Result<std::vector<Writer>> writers(const Principal& actor, int64_t site_id);

    // Matching: a new draft to the prisoner who received the fewest letters lately. 409 when the writer holds the
    // cap, or nobody may be given to them.
    Result<Letter> ask(const Principal& actor, int64_t site_id);
    // A new draft to the prisoner of one of the writer's own letters sent (to answer a reply, to keep writing):
    // within the cap, never past an approved list that leaves them out, never a second draft in hand to them.
    Result<Letter> again(const Principal& actor, int64_t letter_id);
    // The writer's own letters, newest first; the prisoner support's view of a site's (without texts).
    Result<std::vector<Letter>> mine(const Principal& actor, int64_t site_id);
    Result<std::vector<Letter>> of_site(const Principal& actor, int64_t site_id, const std::string& status = {});
    Result<std::vector<Letter>> of_prisoner(const Principal& actor, int64_t prisoner_id);
    // One letter with its text: its writer, or prisoner support (audited).
    Result<Letter> read(const Principal& actor, int64_t id);
    Result<PublicPrisoner> prisoner_of(const Principal& actor, int64_t letter_id);

    // The writer saves the text: the censor's warnings come back (never a block). Only a draft or a checked letter.
    Result<std::vector<text::CensorWarning>> save(const Principal& actor, int64_t id, const std::string& body);
    Status hand_in(const Principal& actor, int64_t id);  // drafted → checked
    // Prisoner support records a letter written by hand (a transcription or a note), ready to send.
    Result<int64_t> record_handwritten(const Principal& actor, int64_t prisoner_id, int64_t writer_id, const std::string& body);
    // With `as_printed` (the letter's updated_at when its page was printed), refused (409) if it changed since.
    Status send(const Principal& actor, int64_t id, const std::string& channel, int64_t cost_minor, const std::string& currency,
                int64_t as_printed = 0);
    Status outcome(const Principal& actor, int64_t id, const std::string& status);  // delivered, returned, withheld
    Status enter_reply(const Principal& actor, int64_t id, Reply reply);
    // The replies to a letter: its writer only.
    // The replies to a letter: its writer only. Scans are opened only `with_scans` (has_scan says which have one).
    Result<std::vector<Reply>> replies(const Principal& actor, int64_t id, bool with_scans = false);
    // The letters ready for one day's post: checked, not held, addressed (prisoner support).
    Result<std::vector<Letter>> batch(const Principal& actor, int64_t site_id);

    Result<text::CensorRules> censor_rules(const Principal& actor, int64_t site_id);
    Status save_censor_rules(const Principal& actor, int64_t site_id, const text::CensorRules& rules);
    Result<std::vector<text::CensorWarning>> check(const Principal& actor, int64_t site_id, std::string_view body);

    int64_t now_ms() const { return clock_.now_ms(); }
    const LetterSettings& settings() const { return settings_; }

private:
    Result<Letter> load(storage::Tx& tx, int64_t id, bool with_body) const;
    // A draft to `prisoner_id`, addressed to where they are held now (not yet inserted).
    store::StoredLetter new_letter(storage::Tx& tx, int64_t site_id, int64_t prisoner_id, int64_t writer_id, bool held,
                                   const std::string& body) const;
    static void for_writer(Letter& l);  // what a writer may not see of their letter: where it goes, a name not public
    std::optional<Writer> writer_of(storage::Tx& tx, int64_t account_id, int64_t site_id) const;
    text::CensorRules rules_of(storage::Tx& tx, int64_t site_id) const;

    storage::Database& db_;
    const crypto::Vault& vault_;
    const Clock& clock_;
    const audit::Recorder& audit_;
    accounts::Service& accounts_;
    Registry& registry_;
    LetterSettings settings_;
};

// What a scan's bytes are: application/pdf, image/jpeg, image/png, or "" for anything else.
std::string scan_type(std::string_view bytes);

// The censor's rules as coordinators edit them: one line per topic, "name: stem, stem, whole$".
std::string rules_text(const text::CensorRules& rules);
Result<text::CensorRules> parse_rules_text(std::string_view text);

}  // namespace haven::prisoners
