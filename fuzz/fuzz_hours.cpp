// Opening hours typed by anyone who manages a space: parsing never crashes, what it reads prints in the
// canonical form and reads back the same, and every day's period stays inside the day.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "modules/spaces/hours.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace haven::spaces;
    auto hours = parse_hours(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!hours) {
        if (hours.error().field != "opening_hours") __builtin_trap();
        return 0;
    }
    for (const auto& p : hours->days)
        if (p && (p->open < 0 || p->close > 24 * 60 || p->close <= p->open)) __builtin_trap();
    auto again = parse_hours(format_hours(*hours));
    if (!again || !(*again == *hours)) __builtin_trap();
    return 0;
}
