// Times from anyone: RFC 3339 parsing must never crash; what it reads must print and read back the same
// (to the second); recurrences built from the input never pass their bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "modules/spaces/calendar.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace haven::spaces;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto ms = parse_rfc3339(text);
    if (!ms) return 0;
    auto again = parse_rfc3339(format_rfc3339(*ms));
    if (!again || *again != *ms / 1000 * 1000) __builtin_trap();
    // A rule from the input's bytes, in a zone with daylight saving.
    Recurrence r;
    r.freq = size % 3 == 0 ? "" : size % 3 == 1 ? "daily" : "weekly";
    r.interval = int(size % 5);
    r.count = int(data[0] % 50);
    if (r.count == 0) r.until = "2026-12-31";
    auto occurrences = expand(*ms, *ms + int64_t(data[size - 1]) * 60'000, r, size % 2 ? "Europe/Paris" : "Europe/Berlin");
    if (occurrences && (occurrences->empty() || occurrences->size() > size_t(max_occurrences))) __builtin_trap();
    if (occurrences)
        for (const auto& o : *occurrences)
            if (o.end <= o.start) __builtin_trap();
    return 0;
}
