// A letter as anyone may type it: the censor check never crashes, stays within its limits, and every warning
// points at its word in the letter.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "text/censor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view letter(reinterpret_cast<const char*>(data), size);
    static const auto rules = haven::text::default_censor_rules();
    const auto warnings = haven::text::censor_check(letter, rules, 50);
    if (warnings.size() > 50) __builtin_trap();
    for (const auto& w : warnings)
        if (w.offset + w.word.size() > letter.size() || letter.substr(w.offset, w.word.size()) != w.word) __builtin_trap();
    return 0;
}
