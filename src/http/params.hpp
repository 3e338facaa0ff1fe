// A request's path parameters, read as what they name.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "http/message.hpp"

namespace haven::http {

// The path parameter `name` as a row id: 404 unless a whole positive number.
inline Result<int64_t> id_param(const Request& request, const char* name) {
    const std::string& text = request.params.at(name);
    int64_t id = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
        return make_error(ErrorKind::not_found, "not_found", "There is nothing at this address.");
    return id;
}

}  // namespace haven::http
