#include "text/names.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

namespace haven::text {
namespace {

constexpr size_t max_alternatives = 32;

// Cyrillic letters (folded, without diacritics) to skeleton classes. Vowels, й, ь and ъ vanish; г may be
// Ukrainian h. Classes: B D F G H J(ж) K L M N P Q(щ) R S(с/ш) T V X(ц) Z C(ч).
const std::map<std::u32string, std::vector<std::string>>& cyrillic() {
    static const std::map<std::u32string, std::vector<std::string>> m = {
        {U"а", {""}},  {U"б", {"B"}}, {U"в", {"V"}}, {U"г", {"G", "H"}}, {U"ґ", {"G"}}, {U"д", {"D"}}, {U"е", {""}},  {U"є", {""}},
        {U"ж", {"J"}}, {U"з", {"Z"}}, {U"и", {""}},  {U"і", {""}},       {U"ї", {""}},  {U"й", {""}},  {U"к", {"K"}}, {U"л", {"L"}},
        {U"м", {"M"}}, {U"н", {"N"}}, {U"о", {""}},  {U"п", {"P"}},      {U"р", {"R"}}, {U"с", {"S"}}, {U"т", {"T"}}, {U"у", {""}},
        {U"ў", {""}},  {U"ф", {"F"}}, {U"х", {"H"}}, {U"ц", {"X"}},      {U"ч", {"C"}}, {U"ш", {"S"}}, {U"щ", {"Q"}}, {U"ъ", {""}},
        {U"ы", {""}},  {U"ь", {""}},  {U"э", {""}},  {U"ю", {""}},       {U"я", {""}},
    };
    return m;
}

// Latin spellings to the same classes, longest first. Where schemes disagree a spelling has several
// readings: German "sch" is ш, ж or щ; "ch" is ч (English), ш (French) or х (German); "z" is з or German ц;
// "s" is с or German з; "j" is French ж or German/ICAO й.
const std::vector<std::pair<std::u32string, std::vector<std::string>>>& latin() {
    static const std::vector<std::pair<std::u32string, std::vector<std::string>>> rules = {
        {U"schtsch", {"Q"}},
        {U"shtch", {"Q"}},
        {U"chtch", {"Q"}},
        {U"shch", {"Q"}},
        {U"sch", {"S", "J", "Q"}},
        {U"tsch", {"C"}},
        {U"tch", {"C"}},
        {U"zh", {"J"}},
        {U"kh", {"H"}},
        {U"sh", {"S"}},
        {U"ch", {"C", "S", "H"}},
        {U"ts", {"X"}},
        {U"tz", {"X", "TX"}},  // German ц, or тц (Kopytzow)
        {U"ks", {"KS"}},
        {U"ph", {"F"}},
        {U"ck", {"K"}},
        {U"gu", {"G"}},
        {U"x", {"KS"}},
        {U"w", {"V"}},
        {U"v", {"V"}},
        {U"j", {"J", ""}},
        {U"z", {"Z", "X"}},
        {U"s", {"S", "Z"}},
        {U"c", {"X", "K"}},
        {U"q", {"K"}},
        {U"h", {"H", ""}},
        {U"g", {"G", "H"}},
        {U"a", {""}},
        {U"e", {""}},
        {U"i", {""}},
        {U"o", {""}},
        {U"u", {""}},
        {U"y", {""}},
        {U"b", {"B"}},
        {U"d", {"D"}},
        {U"f", {"F", "V"}},
        {U"k", {"K"}},
        {U"l", {"L"}},
        {U"m", {"M"}},
        {U"n", {"N"}},
        {U"p", {"P"}},
        {U"r", {"R"}},
        {U"t", {"T"}},
    };
    return rules;
}

std::u32string to_u32(std::string_view utf8) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), int32_t(utf8.size())));
    std::u32string out;
    for (int32_t i = 0; i < u.length();) {
        UChar32 c = u.char32At(i);
        out += char32_t(c);
        i += U16_LENGTH(c);
    }
    return out;
}

// Doubled classes collapse ("NN" → "N"): Tarassov and Тарасов, Ivanoff and Иванов meet.
std::string collapse(const std::string& s) {
    std::string out;
    for (char c : s)
        if (out.empty() || out.back() != c) out += c;
    return out;
}

}  // namespace

std::string fold(std::string_view text) {
    // Decompose, drop combining marks (ё→е, й→и, ï→i, é→e), recompose, lower-case. A Transliterator is not safe
    // for concurrent use, so each thread folds with its own copy of one made at first use.
    static const std::unique_ptr<icu::Transliterator> prototype = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> t(
            icu::Transliterator::createInstance("NFKD; [:Nonspacing Mark:] Remove; NFC; Any-Lower", UTRANS_FORWARD, status));
        if (U_FAILURE(status)) t.reset();
        return t;
    }();
    thread_local const std::unique_ptr<icu::Transliterator> folder(prototype ? prototype->clone() : nullptr);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
    if (folder)
        folder->transliterate(u);
    else
        u.foldCase();
    std::string out;
    u.toUTF8String(out);
    return out;
}

std::vector<std::string> words(std::string_view name) {
    std::vector<std::string> out;
    std::u32string current;
    auto flush = [&] {
        if (current.empty()) return;
        icu::UnicodeString u;
        for (char32_t c : current) u.append(UChar32(c));
        std::string w;
        u.toUTF8String(w);
        out.push_back(w);
        current.clear();
    };
    for (char32_t c : to_u32(fold(name))) {
        if (u_isalpha(UChar32(c)))
            current += c;
        else
            flush();
    }
    flush();
    return out;
}

namespace {

// Vowels kept, for spelling_keys: each Cyrillic vowel as the Latin spellings write it, the iotation (е je ie ye,
// ё yo jo io o, ю yu ju iu, я ya ja ia) optional; й and Latin i, y as I; j as ж or й; "ou" as French у or German оу.
const std::map<std::u32string, std::vector<std::string>>& vowel_readings() {
    static const std::map<std::u32string, std::vector<std::string>> m = {
        {U"а", {"A"}},
        {U"о", {"O"}},
        {U"у", {"U"}},
        {U"ў", {"U"}},
        {U"э", {"E"}},
        {U"ы", {"I"}},
        {U"и", {"I"}},
        {U"і", {"I"}},
        {U"ї", {"I"}},
        {U"й", {"I"}},
        {U"е", {"E", "IE", "O", "IO"}},
        {U"є", {"E", "IE"}},
        {U"ю", {"U", "IU"}},
        {U"я", {"A", "IA"}},
        {U"a", {"A"}},
        {U"o", {"O"}},
        {U"u", {"U"}},
        {U"e", {"E"}},
        {U"i", {"I"}},
        {U"y", {"I"}},
        {U"j", {"J", "I"}},
        {U"ou", {"U", "OU"}},
    };
    return m;
}

std::set<std::string> keys_of(std::string_view folded_word, bool vowels, bool strict = false) {
    const std::u32string w = to_u32(folded_word);
    std::vector<std::string> partial = {""};
    const size_t most = vowels ? 2 * max_alternatives : max_alternatives;
    for (size_t i = 0; i < w.size();) {
        const std::vector<std::string>* readings = nullptr;
        size_t used = 1;
        if (vowels && w.compare(i, 2, U"ou") == 0) {
            readings = &vowel_readings().at(U"ou");
            used = 2;
        } else if (auto v = vowel_readings().find(std::u32string(1, w[i])); vowels && v != vowel_readings().end()) {
            // A word's first я or ю is always written with its glide (Yana, Jana, Iana): Яна is not Анна.
            static const std::vector<std::string> ia = {"IA"}, iu = {"IU"};
            // Strict: е as it is written, not as the ё folding hid (Березев is not Березов).
            static const std::vector<std::string> e = {"E", "IE"};
            readings = i == 0 && w[i] == U'я' ? &ia : i == 0 && w[i] == U'ю' ? &iu : strict && w[i] == U'е' ? &e : &v->second;
        } else if (auto it = cyrillic().find(std::u32string(1, w[i])); it != cyrillic().end()) {
            readings = &it->second;
        } else {
            for (const auto& [spelling, r] : latin()) {
                if (w.compare(i, spelling.size(), spelling) == 0) {
                    readings = &r;
                    used = spelling.size();
                    break;
                }
            }
        }
        i += used;
        if (!readings) continue;  // a letter of another script: ignored
        std::vector<std::string> next;
        for (const auto& p : partial)
            for (const auto& r : *readings)
                if (next.size() < most) next.push_back(p + r);
        partial = std::move(next);
    }
    std::set<std::string> keys;
    for (const auto& p : partial) keys.insert(collapse(p));
    return keys;
}

}  // namespace

std::set<std::string> word_keys(std::string_view folded_word) { return keys_of(folded_word, false); }
std::set<std::string> spelling_keys(std::string_view folded_word) { return keys_of(folded_word, true); }
std::set<std::string> strict_spelling_keys(std::string_view folded_word) { return keys_of(folded_word, true, true); }

NameKeys name_keys(std::string_view name) {
    NameKeys k;
    for (const auto& w : words(name)) k.words.push_back(word_keys(w));
    return k;
}

namespace {

// Every word of `a` shares a key with some word of `b`.
bool covers(const NameKeys& a, const NameKeys& b) {
    if (a.words.empty() || b.words.empty()) return false;
    for (const auto& ka : a.words) {
        bool found = std::any_of(b.words.begin(), b.words.end(), [&](const std::set<std::string>& other) {
            return std::any_of(ka.begin(), ka.end(), [&](const std::string& k) { return other.count(k) > 0; });
        });
        if (!found) return false;
    }
    return true;
}

}  // namespace

bool may_be_same_person(const NameKeys& a, const NameKeys& b) { return a.words.size() <= b.words.size() ? covers(a, b) : covers(b, a); }
bool may_be_same_person(std::string_view a, std::string_view b) { return may_be_same_person(name_keys(a), name_keys(b)); }

bool matches_query(const NameKeys& query, const NameKeys& name) { return covers(query, name); }
bool matches_query(std::string_view query, std::string_view name) { return covers(name_keys(query), name_keys(name)); }

}  // namespace haven::text
