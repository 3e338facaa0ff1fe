#include "core/money.hpp"

#include <algorithm>

namespace haven {

Result<int64_t> parse_amount(std::string_view text, const char* field) {
    auto digits = [](std::string_view d) { return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; }); };
    const size_t mark = text.find_first_of(".,");
    const std::string_view whole = text.substr(0, mark), part = mark == std::string_view::npos ? std::string_view() : text.substr(mark + 1);
    if (!digits(whole) || whole.size() > 10 || part.size() > 2 || (mark != std::string_view::npos && !digits(part)))
        return invalid(field, std::string(field) + " must be an amount such as 125.50.", "amount");
    int64_t units = 0, cents = 0;
    for (char c : whole) units = units * 10 + (c - '0');
    for (char c : part) cents = cents * 10 + (c - '0');
    return units * 100 + (part.size() == 1 ? cents * 10 : cents);
}

Status check_currency(const std::string& c) {
    if (c.size() != 3 || !std::all_of(c.begin(), c.end(), [](char x) { return x >= 'A' && x <= 'Z'; }))
        return invalid("currency", "currency must be an ISO 4217 code in capitals, such as EUR.", "currency");
    return {};
}

std::string format_amount(int64_t minor) {
    const int64_t a = minor < 0 ? -minor : minor;
    std::string cents = std::to_string(a % 100);
    return (minor < 0 ? "−" : "") + std::to_string(a / 100) + "." + (cents.size() < 2 ? "0" : "") + cents;
}

}  // namespace haven
