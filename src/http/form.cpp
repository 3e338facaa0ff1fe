#include "http/form.hpp"

#include "core/utf8.hpp"
#include "http/target.hpp"

namespace haven::http {

Result<Form> Form::parse(std::string_view body) {
    Form form;
    size_t start = 0;
    while (start <= body.size()) {
        size_t end = body.find('&', start);
        if (end == std::string_view::npos) end = body.size();
        std::string_view pair = body.substr(start, end - start);
        start = end + 1;
        if (pair.empty()) continue;
        if (form.fields_.size() >= max_form_fields) return make_error(ErrorKind::too_large, "too_many_fields", "The form has more than 1000 fields.");
        size_t eq = pair.find('=');
        std::string name, value;
        if (!percent_decode(pair.substr(0, eq), name, true))
            return make_error(ErrorKind::bad_request, "bad_form", "A form field name has a malformed percent-escape.");
        if (!valid_utf8(name) || has_control_chars(name) || name.find_first_of("\t\r\n") != std::string::npos || name.size() > 256)
            return make_error(ErrorKind::bad_request, "bad_form", "A form field name is not valid.");
        if (eq != std::string_view::npos && !percent_decode(pair.substr(eq + 1), value, true))
            return make_error(ErrorKind::bad_request, "bad_form", "The field has a malformed percent-escape.", name);
        if (!valid_utf8(value)) return make_error(ErrorKind::bad_request, "bad_form", "The field is not valid UTF-8.", name);
        if (has_control_chars(value)) return make_error(ErrorKind::bad_request, "bad_form", "The field holds control characters.", name);
        form.fields_.emplace_back(std::move(name), std::move(value));
    }
    return form;
}

std::string_view Form::get(std::string_view name) const {
    for (const auto& [k, v] : fields_)
        if (k == name) return v;
    return {};
}

bool Form::has(std::string_view name) const {
    for (const auto& [k, v] : fields_)
        if (k == name) return true;
    return false;
}

std::vector<std::string_view> Form::all(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : fields_)
        if (k == name) out.push_back(v);
    return out;
}

}  // namespace haven::http
