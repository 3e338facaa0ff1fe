// Names as typed by anyone: folding, splitting and skeleton keys must never crash or explode.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "text/names.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 4096) return 0;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto& w : haven::text::words(text)) {
        if (haven::text::word_keys(w).size() > 32) __builtin_trap();
    }
    (void)haven::text::may_be_same_person(text, "Шевченко Anna");
    return 0;
}
