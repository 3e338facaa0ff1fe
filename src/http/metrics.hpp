// Counters and latencies in Prometheus text format (exposition format 0.0.4). Labels carry route
// patterns, methods and status codes only — never a path or anything a person typed.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace haven::http {

class Metrics {
public:
    static constexpr std::array<double, 12> buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};

    void record(const std::string& route, const std::string& method, int status, double seconds);

    // A gauge read when /metrics is rendered (pool sizes, queue depths).
    void add_gauge(std::string name, std::string help, std::function<double()> read);

    std::string render() const;

private:
    struct Histogram {
        std::array<uint64_t, buckets.size()> counts{};
        uint64_t count = 0;
        double sum = 0;
    };
    struct Gauge {
        std::string name, help;
        std::function<double()> read;
    };
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
    std::map<std::string, Histogram> latency_;  // by route
    std::vector<Gauge> gauges_;
};

}  // namespace haven::http
