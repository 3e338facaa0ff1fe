#include "text/romanize.hpp"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <map>

namespace haven::text {

namespace {

// Per letter: passport, english, french, german. Letters whose spelling depends on their place (е, ё, и, й,
// с, ь, ъ, ю, я) are decided in romanize().
struct Spellings {
    const char* passport;
    const char* english;
    const char* french;
    const char* german;
};

const std::map<char32_t, Spellings>& table() {
    static const std::map<char32_t, Spellings> t = {
        {U'а', {"a", "a", "a", "a"}},      {U'б', {"b", "b", "b", "b"}},
        {U'в', {"v", "v", "v", "w"}},      {U'г', {"g", "g", "g", "g"}},
        {U'ґ', {"g", "g", "g", "g"}},      {U'д', {"d", "d", "d", "d"}},
        {U'ж', {"zh", "zh", "j", "sch"}},  {U'з', {"z", "z", "z", "s"}},
        {U'і', {"i", "i", "i", "i"}},      {U'ї', {"i", "yi", "ii", "ji"}},
        {U'к', {"k", "k", "k", "k"}},      {U'л', {"l", "l", "l", "l"}},
        {U'м', {"m", "m", "m", "m"}},      {U'н', {"n", "n", "n", "n"}},
        {U'о', {"o", "o", "o", "o"}},      {U'п', {"p", "p", "p", "p"}},
        {U'р', {"r", "r", "r", "r"}},      {U'т', {"t", "t", "t", "t"}},
        {U'у', {"u", "u", "ou", "u"}},     {U'ў', {"u", "w", "ou", "u"}},
        {U'ф', {"f", "f", "f", "f"}},      {U'х', {"kh", "kh", "kh", "ch"}},
        {U'ц', {"ts", "ts", "ts", "z"}},   {U'ч', {"ch", "ch", "tch", "tsch"}},
        {U'ш', {"sh", "sh", "ch", "sch"}}, {U'щ', {"shch", "shch", "chtch", "schtsch"}},
        {U'ы', {"y", "y", "y", "y"}},      {U'э', {"e", "e", "e", "e"}},
        {U'є', {"ie", "ye", "ie", "je"}},
    };
    return t;
}

bool is_vowel(char32_t c) { return std::u32string_view(U"аеёиоуыэюяєіїАЕЁИОУЫЭЮЯЄІЇ").find(c) != std::u32string_view::npos; }

std::string utf8(char32_t c) {
    std::string out;
    icu::UnicodeString(UChar32(c)).toUTF8String(out);
    return out;
}

}  // namespace

std::string romanize(std::string_view name, Scheme scheme) {
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), int32_t(name.size())));
    std::u32string in;
    for (int32_t i = 0; i < u.length();) {
        const UChar32 c = u.char32At(i);
        in += char32_t(c);
        i += U16_LENGTH(c);
    }
    const int s = int(scheme);
    auto pick = [&](const char* p, const char* e, const char* f, const char* g) { return std::string(s == 0 ? p : s == 1 ? e : s == 2 ? f : g); };
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
        const bool upper = u_isupper(UChar32(in[i]));
        const char32_t c = char32_t(u_tolower(UChar32(in[i])));
        const char32_t prev = i ? char32_t(u_tolower(UChar32(in[i - 1]))) : 0, next = i + 1 < in.size() ? char32_t(u_tolower(UChar32(in[i + 1]))) : 0;
        const bool first = !prev || !u_isalpha(UChar32(prev)), after_vowel = prev && (is_vowel(prev) || prev == U'ь' || prev == U'ъ');
        const bool last = !next || !u_isalpha(UChar32(next));
        std::string w;
        if (c == U'г' && scheme == Scheme::french && next && std::u32string_view(U"еёиюяєі").find(next) != std::u32string_view::npos) {
            w = "gu";  // Sergueï, Evgueni
        } else if (auto it = table().find(c); it != table().end()) {
            const auto& t = it->second;
            w = pick(t.passport, t.english, t.french, t.german);
        } else if (c == U'е') {
            w = first ? pick("e", "ye", "e", "je") : after_vowel ? pick("e", "ye", "ie", "je") : "e";
        } else if (c == U'ё') {
            const bool soft = !first && !after_vowel && prev != U'ж' && prev != U'ш' && prev != U'ч' && prev != U'щ';
            w = pick("e",
                     first || after_vowel ? "yo"
                     : soft               ? "yo"
                                          : "o",
                     first || after_vowel ? "io"
                     : soft               ? "io"
                                          : "o",
                     first || after_vowel ? "jo"
                     : soft               ? "jo"
                                          : "o");
            if ((scheme == Scheme::english || scheme == Scheme::french) && (prev == U'ж' || prev == U'ш' || prev == U'ч' || prev == U'щ'))
                w = "e";  // Khrushchev, Khrouchtchev
        } else if (c == U'и') {
            w = scheme == Scheme::french && after_vowel ? "ï" : "i";
        } else if (c == U'й') {
            w = pick("i", "y", last && prev == U'и' ? "" : "ï", "j");
            if (scheme == Scheme::french && !last) w = "ï";
            if (scheme == Scheme::french && last) w = prev == U'и' || prev == U'ы' ? "" : "ï";                                   // Iouri, Andreï
            if (scheme == Scheme::german) w = last && (prev == U'и' || prev == U'ы') ? "" : next && is_vowel(next) ? "j" : "i";  // Juri, Tschaikowski
        } else if (c == U'с') {
            w = (scheme == Scheme::french || scheme == Scheme::german) && !first && !last && is_vowel(prev) && is_vowel(next) ? "ss" : "s";
        } else if (c == U'ь') {
            w = "";  // the soft sign is not written (the vowel after it carries its j/y/i)
        } else if (c == U'ъ') {
            w = pick("ie", "", "", "");
        } else if (c == U'ю') {
            w = pick("iu", "yu", "iou", "ju");
        } else if (c == U'я') {
            w = pick("ia", "ya", prev == U'и' ? "a" : "ia", "ja");  // Ioulia
        } else {
            w = utf8(in[i]);
        }
        if (scheme == Scheme::passport) {
            for (auto& ch : w) ch = char(std::toupper(static_cast<unsigned char>(ch)));
        } else if (upper && !w.empty() && w[0] >= 'a' && w[0] <= 'z') {
            w[0] = char(w[0] - 'a' + 'A');
        }
        out += w;
    }
    return out;
}

}  // namespace haven::text
