#include "text/censor.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "text/names.hpp"

namespace haven::text {

CensorRules default_censor_rules() {
    // Stems chosen to catch the word's forms and little else; a false warning costs a second look, a missed one a
    // withheld letter.
    return {{
        // Russian stems, then Belarusian ones (Belarusian colonies read letters in either language).
        {"war",
         {"войн", "военн", "сво$", "фронт", "мобилиз", "оккупац", "обстрел", "бомб", "ракет", "украин", "всу$", "солдат", "мобик", "вагнер", "вайн",
          "ваенн", "акупац", "мабіліз", "салдат"}},
        {"case", {"приговор", "следовател", "следстви",  "обвинен",    "уголовн",  "статья",    "статьи",    "статье",
                  "апелляц",  "показани",   "свидетел",  "адвокат",    "прокурор", "экстремис", "терроризм", "госизмен",
                  "прысуд",   "следч",      "абвінавач", "крымінальн", "адвакат",  "пракурор",  "экстрэміс"}},
        {"lgbt", {"лгбт", "гей$", "геи$", "гея$", "геев$", "лесби", "бисексу", "трансгендер", "квир", "однопол"}},
        {"state", {"путин",    "лукашенк", "режим",    "диктатор",  "фашис",  "митинг",  "протест",   "революц",  "свергн",
                   "долой",    "бандит",   "навальн",  "тихановск", "фсб",    "фсин",    "кгб",       "омон",     "полицай",
                   "лукашэнк", "рэжым",    "дыктатар", "пратэст",   "мітынг", "рэвалюц", "цiханоўск", "ціханоўск"}},
    }};
}

namespace {

struct Word {
    std::string text;
    size_t offset = 0;
    bool latin = false, cyrillic = false, digit = false, upper = true;
    int letters = 0;
};

// A stem folded as words are (й as и, ё as е), and whether it must be the whole word.
struct Stem {
    std::string text;
    bool whole = false;
};
using FoldedTopics = std::vector<std::pair<const CensorTopic*, std::vector<Stem>>>;

FoldedTopics folded_topics(const CensorRules& rules) {
    FoldedTopics out;
    for (const auto& topic : rules.topics) {
        std::vector<Stem> stems;
        for (const auto& stem : topic.stems) {
            const bool whole = !stem.empty() && stem.back() == '$';
            std::string f = fold(whole ? std::string_view(stem).substr(0, stem.size() - 1) : std::string_view(stem));
            if (!f.empty()) stems.push_back({std::move(f), whole});
        }
        out.emplace_back(&topic, std::move(stems));
    }
    return out;
}

bool meets(const std::string& folded, const Stem& stem) {
    return stem.whole ? folded == stem.text : folded.compare(0, stem.text.size(), stem.text) == 0;
}

void judge(const Word& w, const FoldedTopics& topics, std::vector<CensorWarning>& out) {
    if (w.latin && w.letters >= 2) out.push_back({"latin", "", w.text, w.offset});
    // Letters and digits in one word (в2ч, x5), or an abbreviation: two or more capitals and nothing else (ВСУ, СИЗО).
    if ((w.digit && w.letters > 0) || (w.cyrillic && !w.latin && w.upper && w.letters >= 2 && w.letters <= 6))
        out.push_back({"cipher", "", w.text, w.offset});
    if (!w.cyrillic || w.letters < 2) return;
    // The word, and each part of a hyphenated one (гей-парад).
    const std::string folded = fold(w.text);
    std::vector<std::string> parts = {folded};
    for (size_t at = 0, dash; (dash = folded.find('-', at)) != std::string::npos; at = dash + 1) {
        parts.push_back(folded.substr(at, dash - at));
        if (folded.find('-', dash + 1) == std::string::npos) parts.push_back(folded.substr(dash + 1));
    }
    for (const auto& [topic, stems] : topics)
        for (const auto& stem : stems)
            for (const auto& part : parts)
                if (meets(part, stem)) {
                    out.push_back({"topic", topic->name, w.text, w.offset});
                    return;
                }
}

}  // namespace

std::vector<CensorWarning> censor_check(std::string_view letter, const CensorRules& rules, size_t max_warnings) {
    constexpr size_t max_letter = 64 * 1024;
    letter = letter.substr(0, std::min(letter.size(), max_letter));
    std::vector<CensorWarning> out;
    const FoldedTopics topics = folded_topics(rules);
    Word w;
    auto flush = [&] {
        if (!w.text.empty() && out.size() < max_warnings) judge(w, topics, out);
        w = Word{};
    };
    for (int32_t i = 0, n = int32_t(letter.size()); i < n && out.size() < max_warnings;) {
        const int32_t start = i;
        UChar32 c;
        U8_NEXT(letter.data(), i, n, c);
        const bool alpha = c >= 0 && u_isalpha(c), digit = c >= 0 && u_isdigit(c);
        // A combining mark (a stress mark, the breve of a decomposed й) stays in its word.
        if (c >= 0 && !w.text.empty() && (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0) {
            w.text.append(letter.substr(size_t(start), size_t(i - start)));
            continue;
        }
        if (!alpha && !digit && !(c == '-' && !w.text.empty())) {
            flush();
            continue;
        }
        if (w.text.empty()) w.offset = size_t(start);
        w.text.append(letter.substr(size_t(start), size_t(i - start)));
        if (digit) w.digit = true;
        if (alpha) {
            ++w.letters;
            UErrorCode status = U_ZERO_ERROR;
            const UScriptCode script = uscript_getScript(c, &status);
            w.latin = w.latin || script == USCRIPT_LATIN;
            w.cyrillic = w.cyrillic || script == USCRIPT_CYRILLIC;
            w.upper = w.upper && u_isupper(c);
        }
    }
    flush();
    if (out.size() > max_warnings) out.resize(max_warnings);
    return out;
}

}  // namespace haven::text
