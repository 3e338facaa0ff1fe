// application/x-www-form-urlencoded bodies and query strings.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "http/message.hpp"

namespace haven::http {

constexpr size_t max_form_fields = 1000;

class Form {
public:
    // Refuses (400) bad escapes, invalid UTF-8, NUL, names with control characters, and more than
    // max_form_fields fields. An error names the field at fault when it can.
    static Result<Form> parse(std::string_view body);

    // The first value of `name`, or empty.
    std::string_view get(std::string_view name) const;
    bool has(std::string_view name) const;
    std::vector<std::string_view> all(std::string_view name) const;
    const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

// The body of a form post: 415 unless sent as application/x-www-form-urlencoded.
inline Result<http::Form> form_body(const Request& request) {
    if (!request.header("Content-Type").starts_with("application/x-www-form-urlencoded"))
        return make_error(ErrorKind::unsupported_media, "unsupported_media_type", "Send the form as application/x-www-form-urlencoded.");
    return http::Form::parse(request.body);
}

}  // namespace haven::http
