#include "text/names.hpp"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <memory>
#include <unordered_map>

namespace haven::text {
namespace {

constexpr size_t max_alternatives = 32;

// Cyrillic letters (folded, without diacritics) to skeleton classes. Vowels, й, ь and ъ vanish; г may be
// Ukrainian h. Classes: B D F G H J(ж) K L M N P Q(щ) R S(с/ш) T V X(ц) Z C(ч).
const std::unordered_map<char32_t, std::vector<std::string>>& cyrillic() {
    static const std::unordered_map<char32_t, std::vector<std::string>> m = {
        {U'а', {""}},  {U'б', {"B"}}, {U'в', {"V"}}, {U'г', {"G", "H"}}, {U'ґ', {"G"}}, {U'д', {"D"}}, {U'е', {""}},  {U'є', {""}},
        {U'ж', {"J"}}, {U'з', {"Z"}}, {U'и', {""}},  {U'і', {""}},       {U'ї', {""}},  {U'й', {""}},  {U'к', {"K"}}, {U'л', {"L"}},
        {U'м', {"M"}}, {U'н', {"N"}}, {U'о', {""}},  {U'п', {"P"}},      {U'р', {"R"}}, {U'с', {"S"}}, {U'т', {"T"}}, {U'у', {""}},
        {U'ў', {""}},  {U'ф', {"F"}}, {U'х', {"H"}}, {U'ц', {"X"}},      {U'ч', {"C"}}, {U'ш', {"S"}}, {U'щ', {"Q"}}, {U'ъ', {""}},
        {U'ы', {""}},  {U'ь', {""}},  {U'э', {""}},  {U'ю', {""}},       {U'я', {""}},
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
        {U"ts", {"X", "TS"}},  // ц, or тс (Filatskiy, Bratskaya)
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
    std::u32string out;
    out.reserve(utf8.size());
    for (int32_t i = 0, n = int32_t(utf8.size()); i < n;) {
        UChar32 c;
        U8_NEXT(utf8.data(), i, n, c);
        out += char32_t(c < 0 ? 0xFFFD : c);  // invalid UTF-8 as U+FFFD, as ICU's converters read it
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

// Decompose, drop combining marks (ё→е, й→и, ï→i, é→e), recompose, lower-case. A Transliterator is not safe for
// concurrent use, so each thread folds with its own copy of one made at first use.
std::string fold_by_icu(std::string_view text) {
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

// Most names are ASCII and Cyrillic (U+0400–U+045F, Ґ ґ): each such letter folds alone, to what ICU gives it, so a
// table made once by ICU folds them letter by letter — the same result, without the Transliterator's cost (which
// was most of ranking a search's candidates). Anything else, a combining mark included, goes through ICU whole.
const std::string* folded_alone(char32_t c) {
    static const auto table = [] {
        std::unordered_map<char32_t, std::string> t;
        auto add = [&](char32_t c) {
            const icu::UnicodeString u{UChar32(c)};
            std::string utf8;
            u.toUTF8String(utf8);
            t[c] = fold_by_icu(utf8);
        };
        for (char32_t c = 0; c < 0x80; ++c) add(c);
        for (char32_t c = 0x400; c < 0x460; ++c) add(c);
        add(0x490);
        add(0x491);
        return t;
    }();
    auto it = table.find(c);
    return it == table.end() ? nullptr : &it->second;
}

}  // namespace

std::string fold(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (int32_t i = 0, n = int32_t(text.size()); i < n;) {
        UChar32 c;
        U8_NEXT(text.data(), i, n, c);
        const std::string* f = c < 0 ? nullptr : folded_alone(char32_t(c));
        if (!f) return fold_by_icu(text);
        out += *f;
    }
    return out;
}

std::vector<std::string> words(std::string_view name) {
    std::vector<std::string> out;
    std::string current;
    const std::string folded = fold(name);
    for (int32_t i = 0, n = int32_t(folded.size()); i < n;) {
        const int32_t start = i;
        UChar32 c;
        U8_NEXT(folded.data(), i, n, c);
        if (c >= 0 && u_isalpha(c)) {
            current.append(folded, size_t(start), size_t(i - start));
        } else if (!current.empty()) {
            out.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) out.push_back(std::move(current));
    return out;
}

namespace {

// Vowels kept, for spelling_keys: each Cyrillic vowel as the Latin spellings write it, the iotation (е je ie ye,
// ё yo jo io o, ю yu ju iu, я ya ja ia) optional; й and Latin i, y as I; j as ж or й; "ou" as French у or German оу.
const std::unordered_map<char32_t, std::vector<std::string>>& vowel_readings() {
    static const std::unordered_map<char32_t, std::vector<std::string>> m = {
        {U'а', {"A"}},
        {U'о', {"O"}},
        {U'у', {"U"}},
        {U'ў', {"U"}},
        {U'э', {"E"}},
        {U'ы', {"I"}},
        {U'и', {"I"}},
        {U'і', {"I"}},
        {U'ї', {"I"}},
        {U'й', {"I"}},
        {U'е', {"E", "IE", "O", "IO"}},
        {U'є', {"E", "IE"}},
        {U'ю', {"U", "IU"}},
        {U'я', {"A", "IA"}},
        {U'a', {"A"}},
        {U'o', {"O"}},
        {U'u', {"U"}},
        {U'e', {"E"}},
        {U'i', {"I"}},
        {U'y', {"I"}},
        {U'j', {"J", "I"}},
    };
    return m;
}
const std::vector<std::string> ou_readings = {"U", "OU"};

// The Latin rules that may start with a letter, longest first as latin() lists them.
const std::vector<const std::pair<std::u32string, std::vector<std::string>>*>& latin_from(char32_t c) {
    static const auto by_first = [] {
        std::unordered_map<char32_t, std::vector<const std::pair<std::u32string, std::vector<std::string>>*>> m;
        for (const auto& rule : latin()) m[rule.first[0]].push_back(&rule);
        return m;
    }();
    static const std::vector<const std::pair<std::u32string, std::vector<std::string>>*> none;
    auto it = by_first.find(c);
    return it == by_first.end() ? none : it->second;
}

std::set<std::string> keys_of(std::string_view folded_word, bool vowels, bool strict = false) {
    const std::u32string w = to_u32(folded_word);
    std::vector<std::string> partial = {""};
    const size_t most = vowels ? 2 * max_alternatives : max_alternatives;
    for (size_t i = 0; i < w.size();) {
        const std::vector<std::string>* readings = nullptr;
        size_t used = 1;
        if (vowels && w.compare(i, 2, U"ou") == 0) {
            readings = &ou_readings;
            used = 2;
        } else if (auto v = vowels ? vowel_readings().find(w[i]) : vowel_readings().end(); v != vowel_readings().end()) {
            // A word's first я or ю is always written with its glide (Yana, Jana, Iana): Яна is not Анна.
            static const std::vector<std::string> ia = {"IA"}, iu = {"IU"};
            // Strict: е as it is written, not as the ё folding hid (Березев is not Березов).
            static const std::vector<std::string> e = {"E", "IE"};
            // A word's first Latin e may be a Е the passport writes E and English Ye (Egor, Yegor).
            readings = i == 0 && w[i] == U'я'   ? &ia
                       : i == 0 && w[i] == U'ю' ? &iu
                       : strict && w[i] == U'е' ? &e
                       : i == 0 && w[i] == U'e' ? &e
                                                : &v->second;
        } else if (auto it = cyrillic().find(w[i]); it != cyrillic().end()) {
            readings = &it->second;
        } else {
            for (const auto* rule : latin_from(w[i])) {
                if (w.compare(i, rule->first.size(), rule->first) == 0) {
                    readings = &rule->second;
                    used = rule->first.size();
                    break;
                }
            }
        }
        i += used;
        if (!readings) continue;      // a letter of another script: ignored
        if (readings->size() == 1) {  // most letters: one reading, no copies
            for (auto& p : partial) p += readings->front();
            continue;
        }
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
