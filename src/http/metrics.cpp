#include "http/metrics.hpp"

#include <cstdio>

namespace haven::http {
namespace {

std::string label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string number(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

}  // namespace

void Metrics::record(const std::string& route, const std::string& method, int status, double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, method, status}];
    Histogram& h = latency_[route];
    for (size_t i = 0; i < buckets.size(); ++i)
        if (seconds <= buckets[i]) ++h.counts[i];
    ++h.count;
    h.sum += seconds;
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
    std::lock_guard lock(mutex_);
    gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    out += "# HELP haven_http_requests_total HTTP requests answered, by route pattern, method and status.\n";
    out += "# TYPE haven_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
        const auto& [route, method, status] = key;
        out += "haven_http_requests_total{route=\"" + label(route) + "\",method=\"" + label(method) + "\",status=\"" + std::to_string(status) +
               "\"} " + std::to_string(n) + "\n";
    }
    out += "# HELP haven_http_request_duration_seconds Time from a parsed request to its response, by route pattern.\n";
    out += "# TYPE haven_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        std::string r = label(route);
        for (size_t i = 0; i < buckets.size(); ++i)
            out += "haven_http_request_duration_seconds_bucket{route=\"" + r + "\",le=\"" + number(buckets[i]) + "\"} " +
                   std::to_string(h.counts[i]) + "\n";
        out += "haven_http_request_duration_seconds_bucket{route=\"" + r + "\",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
        out += "haven_http_request_duration_seconds_sum{route=\"" + r + "\"} " + number(h.sum) + "\n";
        out += "haven_http_request_duration_seconds_count{route=\"" + r + "\"} " + std::to_string(h.count) + "\n";
    }
    for (const auto& g : gauges_) {
        out += "# HELP " + g.name + " " + g.help + "\n";
        out += "# TYPE " + g.name + " gauge\n";
        out += g.name + " " + number(g.read()) + "\n";
    }
    return out;
}

}  // namespace haven::http
