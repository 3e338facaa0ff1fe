// A generated roster of people with realistic Russian, Ukrainian and Belarusian names (many Ivanovs, many
// Elenas: the frequencies of the commonest names), each with the spellings the search claims to meet —
// Cyrillic, passport (ICAO), English (BGN), French, German — made by text::romanize. For the search's accuracy
// test and the bench (issue 17). Deterministic for a seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "text/romanize.hpp"

namespace haven::testing {

struct RosterPerson {
    std::string surname, given, patronymic;  // Cyrillic
    // "Surname Given Patronymic" in Cyrillic, and the passport's "SURNAME GIVEN": the legal names recorded.
    std::vector<std::string> legal_names() const;
    // "Surname Given" or "Given Surname" in a spelling: what someone types to find them. `scheme` < 0: Cyrillic.
    std::string query(int scheme, bool given_first) const;
    // The same name (surname and given name) — two people a search cannot tell apart.
    std::string key() const;
};

std::vector<RosterPerson> make_roster(size_t count, uint32_t seed = 17);

}  // namespace haven::testing
