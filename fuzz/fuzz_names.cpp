// Names as typed by anyone: folding, splitting, skeleton and spelling keys, the ranking and the duplicate rule
// must never crash or explode; folding (a table for ASCII and Cyrillic) must give what ICU gives, and a Keyer's
// words what keyed_words gives.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include "text/names.hpp"
#include "text/ranking.hpp"
#include "text/romanize.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 4096) return 0;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    static const std::unique_ptr<icu::Transliterator> icu_fold = [] {
        UErrorCode status = U_ZERO_ERROR;
        return std::unique_ptr<icu::Transliterator>(
            icu::Transliterator::createInstance("NFKD; [:Nonspacing Mark:] Remove; NFC; Any-Lower", UTRANS_FORWARD, status));
    }();
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
    icu_fold->transliterate(u);
    std::string by_icu;
    u.toUTF8String(by_icu);
    if (haven::text::fold(text) != by_icu) __builtin_trap();
    for (const auto& w : haven::text::words(text)) {
        if (haven::text::word_keys(w).size() > 32) __builtin_trap();
        if (haven::text::spelling_keys(w).size() > 64 || haven::text::strict_spelling_keys(w).size() > 64) __builtin_trap();
    }
    (void)haven::text::may_be_same_person(text, "Шевченко Anna");
    // As a query against a person, and as a person's name against a query.
    const auto query = haven::text::keyed_words(text);
    static const std::vector<std::vector<haven::text::KeyedWord>> person = {
        {}, haven::text::keyed_words("Левина Елена Сергеевна"), haven::text::keyed_words("LEVINA ELENA")};
    static const auto elena = haven::text::keyed_words("Elena Levina");
    const auto met = haven::text::meet(query, person);
    if (met.words > int(query.size())) __builtin_trap();
    const auto as_name = haven::text::keyed_words(text, elena);
    haven::text::Keyer keyer(&elena);
    (void)keyer.words("Elena");
    const auto kept = keyer.words(text), again = keyer.words(text);
    if (kept.size() != as_name.size() || again.size() != as_name.size()) __builtin_trap();
    for (size_t i = 0; i < kept.size(); ++i)
        if (kept[i].folded != as_name[i].folded || kept[i].spelled != as_name[i].spelled || again[i].patronymic != as_name[i].patronymic)
            __builtin_trap();
    (void)haven::text::meet(elena, {{}, as_name});
    (void)haven::text::likely_same_person({{}, query}, person);
    (void)haven::text::best_first({met, met}, {0, 1});
    (void)haven::text::romanize(text, haven::text::Scheme::german);
    return 0;
}
