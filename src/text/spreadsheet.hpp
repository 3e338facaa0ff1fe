// Spreadsheets as people have them (issue 20): an Excel workbook (.xlsx), a LibreOffice one (.ods), or CSV in
// the encodings Excel writes on Windows (UTF-8, UTF-16 "Unicode text", windows-1251, windows-1252) — read into
// one table of text cells, whatever came in, and saying what was read.
//
// Workbooks are zip archives of XML: libzip opens them from memory, expat reads the XML as a stream (no entity
// is fetched; expat refuses entity expansion bombs), so a sheet is never held as a tree. Cell values come out as
// the program stored them: text as typed, numbers without a trailing ".0", dates (a number in a date format in
// .xlsx, a date-value in .ods) as YYYY-MM-DD — as the CSV the same program would export. Every limit of the
// CSV reader applies (records, fields, field bytes), and more: what an entry inflates to (a zip bomb stops at
// 64 MiB), how many times a row or cell may repeat (.ods writes "1,048,576 empty rows" in one element).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "text/csv.hpp"

namespace haven::text {

struct Spreadsheet {
    std::string format;               // "csv", "xlsx" or "ods"
    std::string encoding;             // csv: "UTF-8", "UTF-16LE", "UTF-16BE", "windows-1251", "windows-1252"
    std::vector<std::string> sheets;  // a workbook's sheets, in order
    std::string sheet;                // the one read
    CsvTable table;                   // records' `line`: the CSV's physical line, or the sheet's row number
};

constexpr size_t max_inflated_bytes = 64 << 20;  // what one entry of a workbook may inflate to
constexpr size_t max_sheet_bytes = 64 << 20;     // the text of all a sheet's cells together, repeats counted

// Reads `bytes`: a workbook by its zip signature, else text in the encoding detected. `sheet`: a workbook's sheet
// by name ("" the first). Errors (400 "file", or 422 "sheet" for a sheet not in the workbook) say what is wrong.
Result<Spreadsheet> read_spreadsheet(std::string_view bytes, std::string_view sheet = {}, const CsvLimits& limits = {});

// Text as Excel writes it on Windows, in UTF-8: a byte-order mark decides (UTF-8, UTF-16); else valid UTF-8 is
// UTF-8, text with a zero in every other byte UTF-16 without a mark, and the rest is windows-1251 (Cyrillic: runs
// of high bytes) or windows-1252 (Latin: a high byte here and there), ICU's charset detector deciding when the
// text is neither clearly; ICU converts. `encoding` gets the name.
Result<std::string> to_utf8(std::string_view bytes, std::string& encoding);

// A workbook of one sheet named `sheet`, every cell text as given (a value that looks like a formula stays text:
// an .xlsx string cell is never evaluated), the first row bold. Made in memory: no byte of it touches the disk.
Result<std::string> write_xlsx(const std::string& sheet, const std::vector<std::vector<std::string>>& rows);

// A zip archive of `files` (name, contents), made in memory (a workbook is one).
Result<std::string> zip_of(const std::vector<std::pair<std::string, std::string>>& files);

// A serial date of a spreadsheet (days since 1899-12-30, or since 1904-01-01) as YYYY-MM-DD, with " HH:MM" when
// it holds a time of day; "" out of 1900–2200.
std::string serial_date(double serial, bool from_1904 = false);

}  // namespace haven::text
