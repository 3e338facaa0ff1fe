// Cyrillic names written in the Latin spellings a welcome centre meets on papers and forms: the passport's
// (ICAO Doc 9303, as Russian passports print it since 2013, capitals), English/BGN-PCGN, French and German.
// Used to generate test rosters and checked against the spellings text/names_test.cpp lists; the search does
// not use it (it matches any spelling through text::word_keys).
#pragma once

#include <string>
#include <string_view>

namespace haven::text {

enum class Scheme { passport, english, french, german };

// `name` in Cyrillic (Russian; Ukrainian and Belarusian letters too), written in `scheme`. Non-Cyrillic
// characters pass through.
std::string romanize(std::string_view name, Scheme scheme);

}  // namespace haven::text
