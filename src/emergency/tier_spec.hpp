// A tier as an operator types it on the command line: "regions=tver,pskov; skills=driver; after=15m". Parsed
// strictly (every error names what is wrong, nothing throws): parts are separated by ';' (spaces around parts,
// keys and items allowed), each key at most once; `after` is a whole number with a unit s, m or h (a bare
// number means minutes), at most 30 days. Fuzzed (fuzz/fuzz_tier.cpp).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"
#include "emergency/alert.hpp"

namespace haven::emergency {

// The tier released `after` from `t0` (epoch ms).
Result<Tier> parse_tier_spec(std::string_view text, int64_t t0);

}  // namespace haven::emergency
