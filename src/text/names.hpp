// Names across alphabets. A person's name reaches a welcome centre in Cyrillic (Russian, Ukrainian,
// Belarusian) and in the Latin spellings of their papers: English/BGN, French, German, passport (ICAO 9303).
// name_keys() reduces each word of a name to a small set of consonant skeletons under which those spellings
// meet: Шевченко, Shevchenko, Chevtchenko and Schewtschenko all give "SFCNK"-like keys that intersect.
//
// The reduction is lossy on purpose (vowels dropped, letters folded into classes): it finds candidates for a
// blind index, which are then decrypted and shown to a person. Different people can share keys (e.g. Иванов
// and Иванова, Анна and Инна); tests/…/names_test.cpp lists what must meet and what must not.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace haven::text {

// Lower case, no diacritics, Cyrillic kept: "Ёлкина" → "елкина", "Andreï" → "andrei". ICU does the folding.
std::string fold(std::string_view text);

// Words of a name (letters only; hyphens and spaces split): "Анна-Мария Петровна" → {"анна", "мария", "петровна"}.
std::vector<std::string> words(std::string_view name);

// The skeleton keys of one folded word (at most 32 alternatives).
std::set<std::string> word_keys(std::string_view folded_word);

// Finer keys of one folded word, for ranking (never indexed): the skeleton with its vowels kept as one class, so
// Левина (LAVANA) and Львовна (LVAVNA), Иванов and Иванова, stay apart while Елена, Elena and Jelena meet.
std::set<std::string> spelling_keys(std::string_view folded_word);
// The same without reading е as the ё that folding hid: breaks ties between Березов and Березев for "Beresow".
std::set<std::string> strict_spelling_keys(std::string_view folded_word);

// A name's words' keys, computed once to compare a name with many others.
struct NameKeys {
    std::vector<std::set<std::string>> words;
};
NameKeys name_keys(std::string_view name);

// Whether two names may be the same person: every word of the shorter name shares a key with some word of
// the other, whatever the order (so patronymics and name order do not matter).
bool may_be_same_person(const NameKeys& a, const NameKeys& b);
bool may_be_same_person(std::string_view a, std::string_view b);

// Whether a search finds a name: every word of the query shares a key with some word of the name.
bool matches_query(const NameKeys& query, const NameKeys& name);
bool matches_query(std::string_view query, std::string_view name);

}  // namespace haven::text
