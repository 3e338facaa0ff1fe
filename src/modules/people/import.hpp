// Importing residents from a spreadsheet saved as CSV: columns mapped to a person's fields (guessed from the
// headers in English, French, German and Russian, changeable on the preview), every row read and checked
// before anything is written, each error naming the line the record starts on and its column. Writing is
// Service::create_all (one transaction: all or nothing). Exporting writes the same columns back.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "modules/people/person.hpp"

namespace haven::people {

enum class Column { ignore, pseudonym, legal_name, birth_date, nationality, languages, phone, email, messenger, arrival_date, status, needs, notes };

const std::vector<std::pair<Column, std::string_view>>& column_names();  // {Column::legal_name, "legal_name"} …
std::string_view column_name(Column column);
std::optional<Column> parse_column(std::string_view name);
// What a header most likely holds ("Date of birth", "Date de naissance", "Geburtsdatum", "Дата рождения" → birth_date).
Column guess_column(std::string_view header);

// One wrong row, said so that the coordinator finds it in the spreadsheet: its row there (the header is row 1) and
// the line in the file (they differ when notes hold line breaks), the person, the column as the file calls it, the
// value, and what is wrong — `problem` picks the page's words (import.problem_<problem>), `message` is the API's.
struct RowError {
    size_t line = 0;     // physical line the record starts on
    size_t row = 0;      // the spreadsheet's row number
    std::string column;  // the header of the column at fault ("" when the row as a whole is)
    std::string pseudonym, value;
    std::string problem;  // date, no_such_day, future_birth, language, need, cells, text
    std::string message;
};

struct ImportPlan {
    char delimiter = ',';
    std::string format, encoding;     // what was read: "csv" (and its encoding), "xlsx" or "ods"
    std::vector<std::string> sheets;  // a workbook's sheets
    std::string sheet;                // the one read
    std::vector<std::string> headers;
    std::vector<Column> columns;      // one per header
    std::vector<Person> people;       // checked, ready to write (empty when there are errors)
    std::vector<size_t> lines;        // the line each person starts on
    std::vector<size_t> row_numbers;  // the spreadsheet row of each person
    std::vector<RowError> errors;     // at most max_errors are kept
    size_t rows = 0;
};

constexpr size_t max_import_rows = 20000, max_errors = 100;

// Reads `file` — CSV in any encoding Excel writes, an .xlsx or .ods workbook (text/spreadsheet.hpp), `sheet`
// by name or the first — its first record the headers. `columns` empty: guessed. An Error only when the file cannot
// be read at all or the mapping does not fit; bad rows go to plan.errors, each naming its row in the sheet (a
// workbook's own row number; a CSV's record counted from the header as row 1) and its line in the file.
Result<ImportPlan> plan_import(std::string_view file, std::vector<Column> columns, int64_t today_ms, std::string_view sheet = {});

// "28.05.1975", "28/05/1975", "1975-05-28" → "1975-05-28"; anything else is returned as given, so that
// check() names it.
std::string iso_date(std::string_view text);

// The export: a header row and one row per person, as CSV (UTF-8 with BOM, comma, CRLF) safe to open, or as an
// .xlsx workbook (text cells: never run as formulas). Each reads back through the import.
std::string export_csv(const std::vector<Person>& people);
Result<std::string> export_xlsx(const std::vector<Person>& people);

}  // namespace haven::people
