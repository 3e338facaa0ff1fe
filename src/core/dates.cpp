#include "core/dates.hpp"

#include <ctime>

namespace haven {

bool valid_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return false;
    const int y = std::stoi(std::string(s.substr(0, 4))), m = std::stoi(std::string(s.substr(5, 2))), d = std::stoi(std::string(s.substr(8, 2)));
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::optional<int64_t> day_start(std::string_view date) {
    if (!valid_date(date)) return std::nullopt;
    std::tm tm{};
    tm.tm_year = std::stoi(std::string(date.substr(0, 4))) - 1900;
    tm.tm_mon = std::stoi(std::string(date.substr(5, 2))) - 1;
    tm.tm_mday = std::stoi(std::string(date.substr(8, 2)));
    return int64_t(timegm(&tm)) * 1000;
}

std::string date_of(int64_t ms) {
    std::time_t t = std::time_t(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

}  // namespace haven
