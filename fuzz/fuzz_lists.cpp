// The operators' lists of regions and skills as a member's device reads them (after opening them with the code):
// parsing never crashes or throws, a refusal names its field, and what is accepted is within the limits and
// reads back the same after writing it out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "emergency/lists.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace haven::emergency;
    auto lists = parse_lists(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!lists) {
        if (lists.error().field.empty() || lists.error().message.empty()) __builtin_trap();
        return 0;
    }
    for (const auto* list : {&lists->regions, &lists->skills}) {
        if (list->size() > max_list_entries) __builtin_trap();
        for (const auto& e : *list)
            if (e.id.empty() || e.id.size() > 40 || e.names.empty()) __builtin_trap();
    }
    const std::string out = lists_json(*lists);
    auto again = parse_lists(out);
    if (!again || lists_json(*again) != out) __builtin_trap();
    return 0;
}
