// The home page and the language switcher.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "storage/db.hpp"

namespace haven::home {

using http::Request;
using http::Response;

struct Installation {
    storage::Database& db;
    const Clock& clock;
    int64_t started_ms;
};

// GET /
Result<Response> home_show(Request& request, const Installation& installation);
// POST /language (form: lang, return) — stores the choice in a cookie and goes back to `return`.
Result<Response> language_save(Request& request, bool secure_cookies);

}  // namespace haven::home
