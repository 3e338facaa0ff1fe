#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/cookies.hpp"

using namespace haven::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view header(reinterpret_cast<const char*>(data), size);
    auto cookies = parse_cookies(header);
    if (cookies.size() > max_cookies) __builtin_trap();
    for (const auto& [name, value] : cookies) {
        // Whatever was parsed must be writable back as a valid Set-Cookie.
        if (!set_cookie(name, value, {})) __builtin_trap();
    }
    (void)find_cookie(header, "haven_lang");
    return 0;
}
