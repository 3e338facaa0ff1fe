#include "http/message.hpp"

namespace haven::http {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

std::string_view Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return v;
    return {};
}

void Response::set_header(std::string name, std::string value) {
    for (auto& [k, v] : headers) {
        if (iequals(k, name)) {
            v = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
}

void Response::add_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }

std::string_view Response::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return v;
    return {};
}

Response Response::text(int status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.set_header("Content-Type", std::move(content_type));
    return r;
}

Response Response::html(int status, std::string body) { return text(status, std::move(body), "text/html; charset=utf-8"); }

Response Response::json(int status, std::string body) { return text(status, std::move(body), "application/json"); }

Response Response::redirect(std::string location, int status) {
    Response r;
    r.status = status;
    r.set_header("Location", std::move(location));
    return r;
}

Response Response::park(Signal& signal, uint64_t seen, std::chrono::steady_clock::duration wait) {
    Response r;
    r.parked = Park{&signal, seen, std::chrono::steady_clock::now() + wait};
    return r;
}

}  // namespace haven::http
