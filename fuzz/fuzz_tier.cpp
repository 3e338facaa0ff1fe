// A tier typed by an operator (haven-operator activate --tier): parsing never crashes or throws, an error names
// the tier, and what it reads is released within 30 days of t0 with no empty or untrimmed name.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "emergency/tier_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace haven::emergency;
    constexpr int64_t t0 = 1'800'000'000'000;
    auto tier = parse_tier_spec(std::string_view(reinterpret_cast<const char*>(data), size), t0);
    if (!tier) {
        if (tier.error().field != "tier" || tier.error().message.empty()) __builtin_trap();
        return 0;
    }
    if (tier->release_at < t0 || tier->release_at > t0 + 30LL * 24 * 3600 * 1000) __builtin_trap();
    for (const auto* list : {&tier->regions, &tier->skills})
        for (const auto& name : *list)
            if (name.empty() || name.front() == ' ' || name.back() == ' ') __builtin_trap();
    return 0;
}
