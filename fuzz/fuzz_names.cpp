// Names as typed by anyone: folding, splitting, skeleton and spelling keys, the ranking and the duplicate rule
// must never crash or explode.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "text/names.hpp"
#include "text/ranking.hpp"
#include "text/romanize.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 4096) return 0;
    std::string_view text(reinterpret_cast<const char*>(data), size);
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
    (void)haven::text::meet(elena, {{}, haven::text::keyed_words(text, elena)});
    (void)haven::text::likely_same_person({{}, query}, person);
    (void)haven::text::best_first({met, met}, {0, 1});
    (void)haven::text::romanize(text, haven::text::Scheme::german);
    return 0;
}
