// The rules of people: intake with a duplicate warning, search in any alphabet, reading (audited, by site
// role or by assignment), consent, retention and erasure. Every function checks the acting Principal itself.
//
// Storage (migrations/0006_people.sql): a person is one JSON document sealed under the person's own random
// key; that key is sealed by the vault. Erasure deletes both (crypto-shredding). Names are found through a
// truncated blind index, then confirmed after decryption.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/principal.hpp"
#include "core/result.hpp"
#include "crypto/vault.hpp"
#include "modules/accounts/service.hpp"
#include "modules/people/person.hpp"
#include "storage/db.hpp"
#include "text/ranking.hpp"

namespace haven::people {

// What binds a value sealed under a person's key to its table and row (sealer.cpp): moved or swapped, it does not open.
std::string record_ad(std::string_view table, int64_t id);

namespace store {
struct StoredPerson;
}

// A person as a list shows them.
struct Match {
    int64_t id = 0, site_id = 0;
    std::string pseudonym;
    std::vector<std::string> legal_names;
    int64_t active_at = 0;
    // Why a search found them: which name met best (0 the pseudonym, 1… the legal names in order; -1 not a
    // search) and, for each word of the query, the word of that name it met (-1 none).
    int matched_name = -1;
    std::vector<int> matched_words = {};
};

// What a person agreed to, when, and who recorded it.
const std::vector<std::string_view>& consent_purposes();  // data_processing, contact, share_with_partners, photo_video, funder_reports
struct Consent {
    int64_t id = 0;
    std::vector<std::string> purposes;  // what was agreed (absent = refused)
    std::string note;
    int64_t recorded_at = 0;
    std::string recorded_by;  // username
};

struct Settings {
    int retention_months = 24;
    int name_index_bits = 14;
};

class Service {
public:
    Service(const modules::Shared& shared, accounts::Service& accounts, Settings settings = {});

    struct Created {
        int64_t id = 0;
        std::vector<Match> possible_duplicates;  // people at the site whose names may be the same person's
    };
    // Intake. The site must be one where the actor may manage people (0: the actor's only such site).
    // `look_for_duplicates` false when the caller has just looked (the intake page).
    Result<Created> create(const Principal& actor, Person person, bool look_for_duplicates = true);
    // People at `site_id` the actor may see whose names may belong to the same person (any alphabet).
    // For an import's preview: the people of the site each planned person may already be (same rules as intake;
    // within the list too), by index in `people`. Audited once.
    Result<std::vector<std::pair<size_t, Match>>> import_duplicates(const Principal& actor, int64_t site_id, const std::vector<Person>& people);
    Result<std::vector<Match>> possible_duplicates(const Principal& actor, int64_t site_id, const std::vector<std::string>& names);

    // Reads one person (audited; counts towards the mass-read alarm). Not found when the actor may not see them.
    Result<Person> read(const Principal& actor, int64_t id);
    Status update(const Principal& actor, Person person);

    // Every name in every alphabet and spelling; people the actor may see, best first, at most `limit`.
    // With `site_id`, only that site's people.
    Result<std::vector<Match>> search(const Principal& actor, std::string_view query, size_t limit = 50,
                                      std::optional<int64_t> site_id = std::nullopt);
    // The people of a site, most recently active first (no query): `limit` from `offset`, and how many there are
    // in all (those the reader may see: the whole site, or their assigned people).
    struct Listing {
        std::vector<Match> people;
        int64_t total = 0;
    };
    Result<Listing> listing(const Principal& actor, int64_t site_id, size_t offset = 0, size_t limit = 50);
    Result<std::vector<Match>> recent(const Principal& actor, int64_t site_id, size_t limit = 50);

    Status add_consent(const Principal& actor, int64_t person_id, Consent consent);
    Result<std::vector<Consent>> consents(const Principal& actor, int64_t person_id);

    // Retention: people of the site not active for the configured period, proposed for erasure.
    Result<std::vector<Match>> retention_due(const Principal& actor, int64_t site_id);
    // Erasure: deletes the person, their key, index entries, consents and assignments; leaves one audit entry.
    // Returns the site the person was at.
    Result<int64_t> erase(const Principal& actor, int64_t id);
    // Runs in erasure's transaction before the person's rows go: a module gives up what the person held (a
    // course place goes to the first waiting). Registered at start-up.
    void on_erase(std::function<void(storage::Tx&, int64_t person_id)> hook) { erase_hooks_.push_back(std::move(hook)); }

    // Import: all or nothing. `people` are checked already; `progress(done)` is called between batches.
    // `merges`: rows the coordinator chose to add to a person of the site recorded already (id, the row), in the
    // same transaction (merge_into).
    Result<std::vector<int64_t>> create_all(const Principal& actor, int64_t site_id, std::vector<Person> people,
                                            const std::function<void(size_t)>& progress = {},
                                            const std::vector<std::pair<int64_t, Person>>& merges = {});
    // Export: every person of the site, audited as one export.
    // `code`: the actor's second factor, asked again (accounts::Service::reconfirm).
    Result<std::vector<Person>> export_site(const Principal& actor, int64_t site_id, const std::string& code);

    // The site the actor acts for when none is named: their only site where `action` is allowed.
    Result<int64_t> default_site(const Principal& actor, accounts::Action action) const;
    bool may_read(storage::Tx& tx, const Principal& actor, int64_t site_id, int64_t person_id) const;

    int64_t now_ms() const { return clock_.now_ms(); }

    // Sealing under a person's key, for modules that keep data about a person (cases, requests): each
    // value bound to its table and row. Erasing the person shreds these too.
    // It also opens the person themself (one read, one key), for modules that show a person in passing.
    class Sealer {
    public:
        std::string seal(std::string_view table, int64_t row_id, std::string_view plaintext) const;
        Result<std::string> open(std::string_view table, int64_t row_id, std::string_view sealed) const;
        Result<Person> person() const;
        // Only what a list shows (id, site, pseudonym, legal names, activity): ranking a search's candidates
        // needs no more, and most candidates are turned away.
        Result<Match> listed() const;
        ~Sealer();
        Sealer(Sealer&&) = default;
        int64_t person_id = 0, site_id = 0;

    private:
        friend class Service;
        Sealer() = default;
        std::string key_, record_;
        int64_t created_at_ = 0, active_at_ = 0;
    };
    // Not found when there is no such person.
    Result<Sealer> sealer(storage::Tx& tx, int64_t person_id);
    // The same, but the same "not found" when the actor may not read the person: another site's person and no
    // person at all answer alike, so ids cannot be probed.
    Result<Sealer> readable_sealer(storage::Tx& tx, const Principal& actor, int64_t person_id);

    // For the reports' breakdowns (the app wires it; the reports module has checked reports.prepare at every site):
    // of each person registered at one of `sites` in [from_ms, to_ms), where and when, and only the two values a
    // breakdown counts. More than `most` people: too_large, nothing opened.
    struct Profile {
        int64_t site_id = 0, created_at = 0;
        std::string birth_date, nationality;
    };
    Result<std::vector<Profile>> profiles(storage::Tx& tx, const std::vector<int64_t>& sites, int64_t from_ms, int64_t to_ms, size_t most) const;

    // Arrivals per month ("2026-11") at a site, counted at intake.
    std::vector<std::pair<std::string, int64_t>> arrivals(int64_t site_id, size_t months);

private:
    Result<std::vector<Match>> duplicates_of(const Principal& actor, int64_t site_id, const std::vector<std::string>& names);  // not counted
    Result<Sealer> sealer_for(const store::StoredPerson& row) const;  // the one place a person's key is opened
    static std::vector<int64_t> ids_of(const std::vector<Match>& shown);
    Status count_shown(const Principal& actor, const std::vector<Match>& shown);
    Result<Person> open(const store::StoredPerson& row) const;
    // Gives new people their ids and inserts them (checked), their names' index and arrivals: a few statements for
    // many people (an import's).
    void insert(storage::Tx& tx, std::span<Person> people, int64_t now);
    std::set<int64_t> index_values(const std::vector<std::string>& names) const;
    // Seals `person` (checked) as the record of `row` and indexes its names again.
    Status rewrite(storage::Tx& tx, const store::StoredPerson& row, const Person& person);
    void write_index(storage::Tx& tx, int64_t id, const std::vector<std::string>& names);
    // Ids that may match `query`: whoever bears it as pseudonym first, then (with `words`) those holding every word
    // (or every one of `only`, when given: a name's words without its patronymic).
    // Candidates from the blind index: whoever bears `query` as their pseudonym (if `as_pseudonym`), then those
    // holding a value of each of `words` (none if null), most values held first.
    std::vector<int64_t> candidates(storage::Tx& tx, std::string_view query, const std::vector<std::string>* words, bool as_pseudonym);
    // Whether a candidate opened by `ranked` is kept, seeing the person and their names keyed (names()' order).
    using Keep = std::function<bool(const Match&, const std::vector<std::vector<text::KeyedWord>>&)>;
    // The readable candidates among `ids` (at most max_ranked) that `keep` keeps, met with `query` and ordered best
    // first; whoever bears `pseudonym` (folded) whole comes first. A search shows only the best (text::best_first);
    // with `every_kept`, all of them by score (the duplicate warning). At most `limit`.
    std::vector<Match> ranked(storage::Tx& tx, const Principal& actor, std::optional<int64_t> site_id, const std::vector<int64_t>& ids,
                              const std::vector<text::KeyedWord>& query, const std::string& pseudonym, size_t limit, const Keep& keep,
                              bool every_kept = false);
    std::vector<Match> matches(storage::Tx& tx, const Principal& actor, std::optional<int64_t> site_id, std::vector<int64_t> ids,
                               const std::function<bool(const Person&)>& keep, size_t limit);

    storage::Database& db_;
    const crypto::Vault& vault_;
    const Clock& clock_;
    const audit::Recorder& audit_;
    accounts::Service& accounts_;
    Settings settings_;
    std::vector<std::function<void(storage::Tx&, int64_t)>> erase_hooks_;
};

}  // namespace haven::people
