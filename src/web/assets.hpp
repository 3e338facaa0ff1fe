// The CSS and JS compiled into the binary, served at content-hashed URLs (/assets/app.<hash>.css) with
// a year-long immutable cache: a new build changes the URL, so nobody runs stale code.
#pragma once

#include <string>
#include <string_view>

namespace haven::web {

struct Asset {
    std::string url;  // "/assets/app.1a2b3c4d5e6f7a8b.css"
    std::string content_type;
    std::string_view body;
};

// The hashed URL for a shipped file ("app.css"); throws std::logic_error for an unknown one.
const std::string& asset_url(std::string_view file);
// The asset at a hashed file name ("app.1a2b….css"), or nullptr.
const Asset* find_asset(std::string_view hashed_name);

}  // namespace haven::web
