// A resident list from anyone: planning an import (CSV, column guessing, date and list conversions, the
// person checks) must never crash or hang, and never keep people when a row is at fault.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "modules/people/import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto plan = haven::people::plan_import(text, {}, 1795700000000);
    if (!plan) return 0;
    if (!plan->errors.empty() && !plan->people.empty()) __builtin_trap();
    if (plan->people.size() != plan->lines.size()) __builtin_trap();
    for (const auto& p : plan->people)
        if (p.pseudonym.empty()) __builtin_trap();
    return 0;
}
