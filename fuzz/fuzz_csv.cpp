// Spreadsheets from anyone: the CSV reader must never crash, hang or pass its limits, and what the writer
// produces must read back as the same fields (apart from the formula guard's apostrophe).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "text/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    haven::text::CsvLimits limits{1000, 50, 4096};
    auto table = haven::text::parse_csv(text, limits);
    if (!table) return 0;
    if (table->records.size() > limits.max_records) __builtin_trap();
    size_t last_line = 0;
    for (const auto& r : table->records) {
        if (r.fields.size() > limits.max_fields || r.line < last_line + (last_line ? 1 : 0)) __builtin_trap();
        last_line = r.line;
    }
    // Round trip of the first record (fields without a formula prefix or bare CRs).
    if (table->records.empty()) return 0;
    std::vector<std::string> fields;
    for (const auto& f : table->records[0].fields) {
        if (f.empty() || f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@' || f[0] == '\t' || f[0] == '\r' || f[0] == '\xEF') return 0;
        if (f.find('\r') != std::string::npos) return 0;
        fields.push_back(f);
    }
    auto again = haven::text::parse_csv(haven::text::csv_line(fields), limits);
    if (!again || again->records.size() != 1 || again->records[0].fields != fields) __builtin_trap();
    return 0;
}
