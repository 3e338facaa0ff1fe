// A grant's budget lines as a report editor types them ("Rent | 12000 | 8000,50"): parsing never crashes, an error
// names a line, amounts are never negative, and what is read prints in a form that reads back the same.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "modules/reports/grants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace haven::reports;
    auto lines = parse_budget_lines(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!lines) {
        if (!lines.error().field.starts_with("lines[") && lines.error().field != "budget" && lines.error().field != "spent") __builtin_trap();
        return 0;
    }
    for (const auto& l : *lines)
        if (l.budget_minor < 0 || l.actual_minor < 0) __builtin_trap();
    auto again = parse_budget_lines(format_budget_lines(*lines));
    if (!again || again->size() != lines->size()) __builtin_trap();
    for (size_t i = 0; i < lines->size(); ++i)
        if ((*again)[i].label != (*lines)[i].label || (*again)[i].budget_minor != (*lines)[i].budget_minor ||
            (*again)[i].actual_minor != (*lines)[i].actual_minor)
            __builtin_trap();
    return 0;
}
