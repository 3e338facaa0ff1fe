// Cyrillic names written in the Latin spellings a welcome centre meets on papers and forms: the passport's
// (ICAO Doc 9303, as Russian passports print it since 2013, capitals), English/BGN-PCGN, French and German.
// Generates the test rosters, checked against the spellings text/names_test.cpp lists. The search finds any
// spelling through text::word_keys; the ranking (text/ranking) puts a word written exactly as a scheme writes it
// before one that only spells alike.
#pragma once

#include <string>
#include <string_view>

namespace haven::text {

enum class Scheme { passport, english, french, german };

// `name` in Cyrillic (Russian; Ukrainian and Belarusian letters too), written in `scheme`. Non-Cyrillic
// characters pass through.
std::string romanize(std::string_view name, Scheme scheme);

}  // namespace haven::text
