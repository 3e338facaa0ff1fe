#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/utf8.hpp"
#include "http/form.hpp"

using namespace haven::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto form = Form::parse(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!form.ok()) return 0;
    if (form->fields().size() > max_form_fields) __builtin_trap();
    for (const auto& [name, value] : form->fields()) {
        // What the parser lets through is valid UTF-8 with no NUL.
        if (!haven::valid_utf8(name) || !haven::valid_utf8(value)) __builtin_trap();
        if (value.find('\0') != std::string::npos) __builtin_trap();
    }
    return 0;
}
