#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto v = haven::http::parse_json(std::string_view(reinterpret_cast<const char*>(data), size));
    if (v.ok()) {
        // What parses serialises, and parses again.
        auto again = haven::http::parse_json(haven::http::to_json(v.value()));
        if (!again.ok()) __builtin_trap();
    }
    return 0;
}
