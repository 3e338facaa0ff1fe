// A spreadsheet as an import receives it — any bytes: a workbook (.xlsx, .ods: zip archives of XML), or text in
// any encoding. Reading never crashes nor hangs, an error names the file (or the sheet), and what is read holds
// to the limits: valid UTF-8 cells, no record wider or longer than allowed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/utf8.hpp"
#include "text/spreadsheet.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace haven::text;
    const CsvLimits limits{200, 20, 1000};
    auto sheet = read_spreadsheet(std::string_view(reinterpret_cast<const char*>(data), size), {}, limits);
    if (!sheet) {
        if (sheet.error().field != "file" && sheet.error().field != "sheet") __builtin_trap();
        return 0;
    }
    if (sheet->table.records.size() > limits.max_records) __builtin_trap();
    for (const auto& r : sheet->table.records) {
        if (r.fields.size() > limits.max_fields) __builtin_trap();
        for (const auto& f : r.fields)
            if (f.size() > limits.max_field_bytes || !haven::valid_utf8(f)) __builtin_trap();
    }
    return 0;
}
