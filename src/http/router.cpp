#include "http/router.hpp"

#include <stdexcept>

namespace haven::http {
namespace {

bool is_param(const std::string& s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }

std::vector<std::string> split_pattern(const std::string& pattern) {
    if (pattern.empty() || pattern.front() != '/') throw std::logic_error("route pattern must start with '/': " + pattern);
    std::vector<std::string> out;
    if (pattern == "/") return out;
    size_t start = 1;
    while (start <= pattern.size()) {
        size_t end = pattern.find('/', start);
        if (end == std::string::npos) end = pattern.size();
        out.push_back(pattern.substr(start, end - start));
        if (out.back().empty()) throw std::logic_error("route pattern has an empty segment: " + pattern);
        start = end + 1;
    }
    return out;
}

// Higher is more specific: each literal segment outranks any parameter.
int specificity(const Route& r) {
    int score = 0;
    for (const auto& s : r.segments) score = score * 2 + (is_param(s) ? 0 : 1);
    return score;
}

bool path_matches(const Route& r, const std::vector<std::string>& segments, std::map<std::string, std::string>* params) {
    if (r.segments.size() != segments.size()) return false;
    for (size_t i = 0; i < segments.size(); ++i) {
        if (is_param(r.segments[i])) {
            if (segments[i].empty()) return false;
            if (params) (*params)[r.segments[i].substr(1, r.segments[i].size() - 2)] = segments[i];
        } else if (r.segments[i] != segments[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace

Route& Router::add(std::string method, std::string pattern, std::string access, Handler handler) {
    if (access.empty()) throw std::logic_error("route without an access rule: " + pattern);
    Route r{std::move(method), std::move(pattern), {}, std::move(access), std::move(handler)};
    r.segments = split_pattern(r.pattern);
    for (const auto& existing : routes_) {
        if (existing.method == r.method && existing.segments.size() == r.segments.size()) {
            bool same = true;
            for (size_t i = 0; i < r.segments.size() && same; ++i)
                same = (is_param(existing.segments[i]) && is_param(r.segments[i])) || existing.segments[i] == r.segments[i];
            if (same) throw std::logic_error("duplicate route: " + r.method + " " + r.pattern);
        }
    }
    routes_.push_back(std::move(r));
    return routes_.back();
}

RouteMatch Router::match(std::string_view method, const std::vector<std::string>& segments) const {
    RouteMatch best;
    int best_score = -1;
    std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
    for (const auto& r : routes_) {
        if (!path_matches(r, segments, nullptr)) continue;
        if (r.method != wanted && r.method != method) {
            if (best.allow.find(r.method) == std::string::npos) best.allow += (best.allow.empty() ? "" : ", ") + r.method;
            continue;
        }
        int score = specificity(r);
        if (score > best_score) {
            best_score = score;
            best.route = &r;
        }
    }
    if (best.route) {
        best.params.clear();
        path_matches(*best.route, segments, &best.params);
        best.allow.clear();
    }
    return best;
}

}  // namespace haven::http
