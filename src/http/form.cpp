#include "http/form.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

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
        if (form.fields_.size() + form.files_.size() >= max_form_fields)
            return make_error(ErrorKind::too_large, "too_many_fields", "The form has more than 1000 fields.");
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

namespace {

Error bad_multipart(const std::string& what, const std::string& field = {}) {
    return make_error(ErrorKind::bad_request, "bad_form", "The form's multipart body is malformed: " + what + ".", field);
}

// The value of `key=` in a header's parameters (`; name="x"`, `; boundary=abc`), unquoted; none when absent.
std::optional<std::string> parameter(std::string_view header, std::string_view key) {
    for (size_t at = header.find(';'); at != std::string_view::npos; at = header.find(';', at + 1)) {
        std::string_view rest = header.substr(at + 1);
        rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
        if (!rest.starts_with(key) || rest.substr(key.size(), 1) != "=") continue;
        rest.remove_prefix(key.size() + 1);
        if (rest.starts_with('"')) {
            const size_t end = rest.find('"', 1);
            if (end == std::string_view::npos) return std::nullopt;
            return std::string(rest.substr(1, end - 1));
        }
        return std::string(rest.substr(0, rest.find(';')));
    }
    return std::nullopt;
}

}  // namespace

Result<Form> Form::parse_multipart(std::string_view body, std::string_view content_type, std::initializer_list<std::string_view> binary) {
    const auto boundary = parameter(content_type, "boundary");
    if (!boundary || boundary->empty() || boundary->size() > 70 || boundary->find_first_of("\r\n") != std::string::npos)
        return bad_multipart("no boundary of 1 to 70 characters in Content-Type");
    const std::string delimiter = "--" + *boundary, separator = "\r\n" + delimiter;
    if (!body.starts_with(delimiter)) return bad_multipart("it does not begin with its boundary");
    Form form;
    size_t at = delimiter.size();
    for (;;) {
        if (body.substr(at, 2) == "--") return form;  // the closing delimiter; what follows is ignored (RFC 2046)
        if (body.substr(at, 2) != "\r\n") return bad_multipart("a boundary is not followed by a line break");
        at += 2;
        const size_t headers_end = body.find("\r\n\r\n", at);
        const size_t next = body.find(separator, at);
        if (headers_end == std::string_view::npos || next == std::string_view::npos || headers_end > next)
            return bad_multipart("a part is not closed by the boundary");
        if (form.fields_.size() >= max_form_fields) return make_error(ErrorKind::too_large, "too_many_fields", "The form has more than 1000 fields.");
        std::optional<std::string> name, filename;
        std::string part_type;
        std::string_view headers = body.substr(at, headers_end - at);
        while (!headers.empty()) {
            const size_t eol = std::min(headers.find("\r\n"), headers.size());
            std::string_view line = headers.substr(0, eol);
            headers.remove_prefix(std::min(eol + 2, headers.size()));
            std::string lower(line.substr(0, line.find(':')));
            for (auto& ch : lower) ch = char(std::tolower(uint8_t(ch)));
            if (lower == "content-disposition") {
                if (line.find("form-data") == std::string_view::npos) return bad_multipart("a part is not form-data");
                name = parameter(line, "name");
                filename = parameter(line, "filename");
            }
            if (lower == "content-type") part_type = trim(line.substr(line.find(':') + 1));
        }
        if (!name || name->empty() || name->size() > 256 || !valid_utf8(*name) || has_control_chars(*name))
            return bad_multipart("a part has no valid name");
        std::string value(body.substr(headers_end + 4, next - headers_end - 4));
        if (std::find(binary.begin(), binary.end(), *name) != binary.end() ||
            (filename && std::find(binary.begin(), binary.end(), "*") != binary.end())) {
            const std::string fname = filename.value_or("");
            if (fname.size() > 255 || !valid_utf8(fname) || has_control_chars(fname) || has_bidi_controls(fname))
                return make_error(ErrorKind::bad_request, "bad_form", "The file's name is not valid.", *name);
            if (part_type.size() > 100 || !valid_utf8(part_type) || has_control_chars(part_type)) part_type.clear();
            if (!value.empty()) form.files_.push_back({*name, UploadedFile{fname, part_type, std::move(value)}});
            at = next + separator.size();
            continue;
        }
        if (!valid_utf8(value)) return make_error(ErrorKind::bad_request, "bad_form", "The field is not valid UTF-8.", *name);
        if (has_control_chars(value)) return make_error(ErrorKind::bad_request, "bad_form", "The field holds control characters.", *name);
        form.fields_.emplace_back(std::move(*name), std::move(value));
        at = next + separator.size();
    }
}

const UploadedFile* Form::file(std::string_view name) const {
    for (const auto& [k, f] : files_)
        if (k == name) return &f;
    return nullptr;
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
