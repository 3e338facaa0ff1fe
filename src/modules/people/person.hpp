// A person the centre receives, as one value: what intake records, what the sealed document holds, what the
// API shows. check() is the one place that says what a valid person is; pages, the API and the importer all
// go through it, so a rule changes in one place.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.hpp"
#include "core/result.hpp"

namespace haven::people {

// The lists a person's fields are chosen from. Circumstances are never indexed nor counted.
const std::vector<std::string_view>& statuses();            // applicant, resident, alumni
const std::vector<std::string_view>& need_kinds();          // housing, legal, psychological, desk, courses, studio
const std::vector<std::string_view>& circumstance_kinds();  // deserter, lgbt, journalist_at_risk, …

struct Person {
    int64_t id = 0, site_id = 0;
    int64_t created_at = 0, active_at = 0;  // plaintext metadata, not in the sealed document

    std::string pseudonym;                 // how the person is known in the centre
    std::vector<std::string> legal_names;  // every spelling their papers show
    std::string birth_date;                // YYYY-MM-DD or ""
    std::string nationality;               // free text, e.g. "RU"
    std::vector<std::string> languages;    // "ru", "fr" …
    std::string phone, email, messenger;
    std::string arrival_date;  // YYYY-MM-DD or ""
    std::string status = "applicant";
    std::vector<std::string> needs;
    std::vector<std::string> circumstances;
    std::string notes;

    // Every name to index and compare: the pseudonym and the legal names.
    std::vector<std::string> names() const;
};

// Limits (bytes of UTF-8), in one place.
constexpr size_t max_pseudonym = 100, max_name = 200, max_names = 10, max_languages = 10, max_notes = 4000;

// Trims and checks every field, folding list values to their canonical form. The error names the field
// ("legal_names[2]", "birth_date").
Status check(Person& person, int64_t today_ms);

// What an import row adds to a person recorded already, when the coordinator chose to merge it: the names,
// languages and needs the record lacks, the fields it leaves empty, notes it does not hold yet. Nothing
// recorded is overwritten or taken away.
void merge_into(Person& known, const Person& incoming);

// The sealed document and the API's shape.
boost::json::object to_json(const Person& person, bool with_circumstances = true);
// Reads the members a client may send; ids and site come from elsewhere. Type errors name the field.
Result<Person> from_json(const boost::json::object& object);

}  // namespace haven::people
