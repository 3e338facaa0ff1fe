// The frame of every page: header (Haven, site, account), navigation, main, footer with the language
// switcher. Pages write only what goes inside <main>.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/message.hpp"
#include "web/html.hpp"
#include "web/i18n.hpp"

namespace haven::web {

struct PageContext {
    const http::Request& request;
    const Messages& messages;
    std::string site_name;  // empty until the deployment has sites
    std::string user_name;  // empty when nobody is signed in

    std::string t(std::string_view key) const { return messages.t(request.locale, key); }
    std::string t(std::string_view key, std::initializer_list<std::pair<std::string_view, MessageArg>> args) const {
        return messages.t(request.locale, key, args);
    }
};

// A whole page; `title_key` is a message key. Pages with personal data keep the pipeline's no-store.
http::Response page(const PageContext& ctx, int status, std::string_view title_key, const std::function<void(Html&)>& main);

// The page for an error (404, 400, 500 …) in the reader's language: the catalogue's "error.<code>" when it
// has one, else the error's own message.
http::Response error_page(const http::Request& request, int status, const Error& error);

}  // namespace haven::web
