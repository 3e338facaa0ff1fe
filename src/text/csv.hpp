// CSV as spreadsheets write it (RFC 4180 and what LibreOffice and Excel do in English, French, German and
// Russian locales): comma, semicolon or tab, chosen from the first line; UTF-8 with or without a BOM;
// quoted fields with "" inside and line breaks; CRLF, LF or CR line ends. Each record knows the physical
// line it starts on, so an error can point at it. Also the writer, safe against formula injection.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace haven::text {

struct CsvRecord {
    size_t line = 0;  // the physical line (1-based) the record starts on
    std::vector<std::string> fields;
};

struct CsvTable {
    char delimiter = ',';
    std::vector<CsvRecord> records;  // blank records (every field empty) are left out
};

struct CsvLimits {
    size_t max_records = 100000;
    size_t max_fields = 200;
    size_t max_field_bytes = 10000;
};

// Refuses (400, field "file", the line named in the message) invalid UTF-8, an unterminated quote, and
// anything past the limits.
Result<CsvTable> parse_csv(std::string_view text, const CsvLimits& limits = {});

// One field for export: quoted when it must be; a value a spreadsheet would run as a formula (starting with
// = + - @ tab or CR) gets a leading apostrophe (OWASP's advice), so it is shown, never evaluated.
std::string csv_field(std::string_view value);
// A record: fields joined by commas, CRLF at the end.
std::string csv_line(const std::vector<std::string>& fields);

}  // namespace haven::text
