// multipart/form-data bodies (http/form.hpp Form::parse_multipart): the first line of the input is the Content-Type
// header (so the fuzzer varies the boundary too), the rest the body. A part named "scan" is a file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/utf8.hpp"
#include "http/form.hpp"

using namespace haven::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    const size_t eol = input.find('\n');
    if (eol == std::string_view::npos) return 0;
    // "scan" parts are files (any bytes); every other part a value held to the rules.
    auto form = Form::parse_multipart(input.substr(eol + 1), input.substr(0, eol), {"scan"});
    if (!form.ok()) return 0;
    if (const auto* f = form->file("scan"))
        if (f->bytes.empty() || !haven::valid_utf8(f->filename) || haven::has_control_chars(f->filename)) __builtin_trap();
    if (!form->get("scan").empty()) __builtin_trap();
    if (form->fields().size() > max_form_fields) __builtin_trap();
    for (const auto& [name, value] : form->fields()) {
        if (name.empty() || !haven::valid_utf8(name) || !haven::valid_utf8(value)) __builtin_trap();
        if (value.find('\0') != std::string::npos) __builtin_trap();
    }
    return 0;
}
