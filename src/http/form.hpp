// application/x-www-form-urlencoded bodies and query strings.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "http/message.hpp"

namespace haven::http {

constexpr size_t max_form_fields = 1000;

// A file sent in a multipart form as it came (a scan, a photo): its bytes are never a form value.
struct UploadedFile {
    std::string filename;      // as the browser named it: valid UTF-8, no control characters, at most 255 bytes
    std::string content_type;  // as declared (not to be trusted: read the bytes)
    std::string bytes;
};

class Form {
public:
    // Refuses (400) bad escapes, invalid UTF-8, NUL, names with control characters, and more than
    // max_form_fields fields. An error names the field at fault when it can.
    static Result<Form> parse(std::string_view body);
    // multipart/form-data (RFC 7578), for the one form that uploads a file without JavaScript (an import): each
    // part a field, a file's contents its value, held to the same rules (UTF-8, no control characters but tab and
    // line breaks, at most max_form_fields). `content_type` is the request's header, which names the boundary.
    // Parts named in `binary` are files kept as they came (any bytes), read with file(), never with get(); "*" names
    // every part that carries a filename (for a reader that wants only the other fields, as the CSRF check).
    static Result<Form> parse_multipart(std::string_view body, std::string_view content_type, std::initializer_list<std::string_view> binary = {});

    // The first value of `name`, or empty.
    std::string_view get(std::string_view name) const;
    bool has(std::string_view name) const;
    std::vector<std::string_view> all(std::string_view name) const;
    const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
    // The file part `name` (one of the `binary` names), if one was sent with any bytes.
    const UploadedFile* file(std::string_view name) const;

private:
    std::vector<std::pair<std::string, std::string>> fields_;
    std::vector<std::pair<std::string, UploadedFile>> files_;
};

// The body of a form post: 415 unless sent as application/x-www-form-urlencoded or multipart/form-data.
inline Result<http::Form> form_body(const Request& request, std::initializer_list<std::string_view> binary = {}) {
    const std::string_view type = request.header("Content-Type");
    if (type.starts_with("multipart/form-data")) return http::Form::parse_multipart(request.body, type, binary);
    if (!type.starts_with("application/x-www-form-urlencoded"))
        return make_error(ErrorKind::unsupported_media, "unsupported_media_type", "Send the form as application/x-www-form-urlencoded.");
    return http::Form::parse(request.body);
}

}  // namespace haven::http
