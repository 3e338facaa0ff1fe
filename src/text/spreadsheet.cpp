#include "text/spreadsheet.hpp"

#include <expat.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "core/utf8.hpp"

namespace haven::text {

namespace {

Error bad(const std::string& message) { return make_error(ErrorKind::bad_request, "bad_spreadsheet", message, "file"); }

// ---- Text encodings ----

Result<std::string> convert(std::string_view bytes, const char* from) {
    UErrorCode status = U_ZERO_ERROR;
    std::string out(bytes.size() * 3 + 4, '\0');
    const int32_t n = ucnv_convert("UTF-8", from, out.data(), int32_t(out.size()), bytes.data(), int32_t(bytes.size()), &status);
    if (U_FAILURE(status)) return bad(std::string("The file cannot be read as ") + from + ".");
    out.resize(size_t(n));
    return out;
}

// ---- XML, read as a stream ----

// Local names only ("urn:…|table-cell" → "table-cell"): prefixes differ from one writer to the next.
std::string_view local(const XML_Char* name) {
    std::string_view n(name);
    const size_t bar = n.rfind('|');
    return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

const char* attribute(const XML_Char** attrs, std::string_view name) {
    for (size_t i = 0; attrs[i]; i += 2)
        if (local(attrs[i]) == name) return attrs[i + 1];
    return nullptr;
}

// A SAX reader: `open`, `text` and `close` see every element; an error stops it.
struct Xml {
    std::function<void(std::string_view name, const XML_Char** attrs)> open;
    std::function<void(std::string_view text)> text;
    std::function<void(std::string_view name)> close;
    std::optional<Error> failed;
    XML_Parser parser = nullptr;
    int depth = 0;  // a sheet nests a few levels; past max_xml_depth it is an attack on the parser's memory
};
constexpr int max_xml_depth = 256;

// Stops the parser once a handler has failed (expat's own memory grows with what it is still fed).
void stop_if_failed(Xml* x) {
    if (x->failed) XML_StopParser(x->parser, XML_FALSE);
}

class ZipArchive {
public:
    explicit ZipArchive(std::string_view bytes) {
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
        if (source) {
            archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
            if (!archive_) zip_source_free(source);
        }
        zip_error_fini(&error);
    }
    ~ZipArchive() {
        if (archive_) zip_discard(archive_);
    }
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;
    bool ok() const { return archive_ != nullptr; }
    bool has(const std::string& name) const { return zip_name_locate(archive_, name.c_str(), 0) >= 0; }

    // Streams entry `name` through `xml`, inflating at most max_inflated_bytes.
    Status parse(const std::string& name, Xml& xml) const {
        zip_file_t* file = zip_fopen(archive_, name.c_str(), 0);
        if (!file) return bad("The workbook lacks " + name + ".");
        std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> closer(file, zip_fclose);
        std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreateNS(nullptr, '|'), XML_ParserFree);
        xml.parser = parser.get();
        xml.depth = 0;
        XML_SetUserData(parser.get(), &xml);
        XML_SetElementHandler(
            parser.get(),
            [](void* data, const XML_Char* name, const XML_Char** attrs) {
                auto* x = static_cast<Xml*>(data);
                if (x->failed) return;
                if (++x->depth > max_xml_depth) x->failed = bad("The workbook nests its XML deeper than any spreadsheet does.");
                if (x->open && !x->failed) x->open(local(name), attrs);
                stop_if_failed(x);
            },
            [](void* data, const XML_Char* name) {
                auto* x = static_cast<Xml*>(data);
                --x->depth;
                if (x->close && !x->failed) x->close(local(name));
                stop_if_failed(x);
            });
        XML_SetCharacterDataHandler(parser.get(), [](void* data, const XML_Char* s, int len) {
            auto* x = static_cast<Xml*>(data);
            if (x->text && !x->failed) x->text(std::string_view(s, size_t(len)));
            stop_if_failed(x);
        });
        char buffer[64 * 1024];
        size_t total = 0;
        for (;;) {
            const zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
            if (n < 0) return bad("The workbook is damaged (" + name + ").");
            total += size_t(n);
            if (total > max_inflated_bytes) return bad("The workbook is too large: " + name + " inflates past 64 MiB.");
            const bool parsed = XML_Parse(parser.get(), buffer, int(n), n == 0) != XML_STATUS_ERROR;
            if (xml.failed) return *xml.failed;
            if (!parsed)
                return bad("The workbook is damaged: " + name + " line " + std::to_string(XML_GetCurrentLineNumber(parser.get())) + ": " +
                           XML_ErrorString(XML_GetErrorCode(parser.get())) + ".");
            if (xml.failed) return *xml.failed;
            if (n == 0) return {};
        }
    }

    std::string read(const std::string& name, size_t most) const {
        std::string out;
        zip_file_t* file = zip_fopen(archive_, name.c_str(), 0);
        if (!file) return out;
        char buffer[4096];
        zip_int64_t n;
        while (out.size() < most && (n = zip_fread(file, buffer, sizeof buffer)) > 0) out.append(buffer, size_t(n));
        zip_fclose(file);
        return out;
    }

private:
    zip_t* archive_ = nullptr;
};

// ---- Cells into records ----

// Builds the table cell by cell, with the CSV reader's limits.
class Grid {
public:
    Grid(CsvTable& table, const CsvLimits& limits) : table_(table), limits_(limits) {}

    Status cell(size_t row, size_t column, std::string value) {
        if (value.empty()) return {};
        // All the cells together: a few hundred bytes of workbook may repeat one long cell a million times.
        if ((bytes_ += value.size()) > max_sheet_bytes) return bad("The sheet holds more than 64 MiB of text.");
        if (!valid_utf8(value)) return bad("Row " + std::to_string(row) + " holds text that is not valid.");
        if (column >= limits_.max_fields)
            return bad("Row " + std::to_string(row) + " has more than " + std::to_string(limits_.max_fields) + " columns.");
        if (value.size() > limits_.max_field_bytes)
            return bad("Row " + std::to_string(row) + ": a cell is longer than " + std::to_string(limits_.max_field_bytes) + " bytes.");
        if (table_.records.empty() || table_.records.back().line != row) {
            if (!table_.records.empty() && table_.records.back().line > row) return bad("The sheet's rows are out of order.");
            if (table_.records.size() >= limits_.max_records) return bad("The sheet has more than " + std::to_string(limits_.max_records) + " rows.");
            table_.records.push_back({row, {}});
        }
        auto& fields = table_.records.back().fields;
        if (fields.size() <= column) fields.resize(column + 1);
        fields[column] = std::move(value);
        return {};
    }

    // Every record as wide as the widest (CSV records are).
    void square() {
        size_t width = 0;
        for (const auto& r : table_.records) width = std::max(width, r.fields.size());
        for (auto& r : table_.records) r.fields.resize(width);
    }

private:
    CsvTable& table_;
    const CsvLimits& limits_;
    size_t bytes_ = 0;
};

std::string number_text(double v) {
    if (!std::isfinite(v)) return "";
    if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(int64_t(v));
    char out[32];
    std::snprintf(out, sizeof out, "%.15g", v);
    return out;
}

// ---- .xlsx (Office Open XML, ECMA-376) ----

// A number format shows a date when it is one of the built-in date formats, or its code has a day or a year
// outside quotes and brackets ("yyyy\-mm\-dd", "DD.MM.YYYY"; not "0.00" nor "[Red]#,##0").
bool date_format(int id, const std::string& code) {
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58)) return true;
    bool quoted = false, bracket = false, escaped = false;
    for (char c : code) {
        if (escaped) {
            escaped = false;
            continue;
        }
        if (c == '\\')
            escaped = true;
        else if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == '[')
            bracket = true;
        else if (!quoted && c == ']')
            bracket = false;
        else if (!quoted && !bracket && (c == 'd' || c == 'D' || c == 'y' || c == 'Y'))
            return true;
    }
    return false;
}

// "AB12" → column 27 (0-based), row 12; nullopt for anything else.
std::optional<std::pair<size_t, size_t>> reference(std::string_view ref) {
    size_t column = 0, i = 0;
    for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
        column = column * 26 + size_t(ref[i] - 'A' + 1);
        if (column > 16384) return std::nullopt;
    }
    if (i == 0 || i == ref.size() || i + 8 < ref.size()) return std::nullopt;
    size_t row = 0;
    for (; i < ref.size(); ++i) {
        if (ref[i] < '0' || ref[i] > '9') return std::nullopt;
        row = row * 10 + size_t(ref[i] - '0');
    }
    if (row == 0) return std::nullopt;
    return std::pair{column - 1, row};
}

Result<Spreadsheet> read_xlsx(const ZipArchive& zip, std::string_view wanted, const CsvLimits& limits) {
    Spreadsheet out{"xlsx", "", {}, "", {}};
    // The workbook: its sheets (name → relationship), and whether dates count from 1904.
    std::vector<std::pair<std::string, std::string>> sheets;
    bool from_1904 = false;
    Xml workbook;
    workbook.open = [&](std::string_view name, const XML_Char** attrs) {
        if (name == "sheet") {
            const char *n = attribute(attrs, "name"), *id = attribute(attrs, "id");
            if (n && id && sheets.size() < 1000) sheets.emplace_back(n, id);
        } else if (name == "workbookPr") {
            const char* d = attribute(attrs, "date1904");
            from_1904 = d && (std::string_view(d) == "1" || std::string_view(d) == "true");
        }
    };
    HAVEN_CHECK(zip.parse("xl/workbook.xml", workbook));
    if (sheets.empty()) return bad("The workbook has no sheet.");
    for (const auto& s : sheets) out.sheets.push_back(s.first);
    auto chosen = sheets.begin();
    if (!wanted.empty()) {
        chosen = std::find_if(sheets.begin(), sheets.end(), [&](const auto& s) { return s.first == wanted; });
        if (chosen == sheets.end()) return invalid("sheet", "The workbook has no sheet of that name.", "choose");
    }
    out.sheet = chosen->first;
    std::string target;
    Xml rels;
    rels.open = [&](std::string_view name, const XML_Char** attrs) {
        const char *id = attribute(attrs, "Id"), *t = attribute(attrs, "Target");
        if (name == "Relationship" && id && t && id == chosen->second) target = t;
    };
    HAVEN_CHECK(zip.parse("xl/_rels/workbook.xml.rels", rels));
    // Targets are relative to xl/ ("worksheets/sheet1.xml") or absolute in the package ("/xl/worksheets/…").
    if (target.empty() || target.find("..") != std::string::npos) return bad("The workbook does not say where its sheet is.");
    target = target.front() == '/' ? target.substr(1) : "xl/" + target;

    // Shared strings: each <si> is the text of its <t> runs.
    std::vector<std::string> strings;
    if (zip.has("xl/sharedStrings.xml")) {
        bool in_t = false, in_phonetic = false;
        size_t bytes = 0;
        Xml shared;
        shared.open = [&](std::string_view name, const XML_Char**) {
            if (name == "si") {
                if (strings.size() >= 1'000'000) shared.failed = bad("The workbook holds more than a million texts.");
                strings.emplace_back();
            }
            if (name == "rPh") in_phonetic = true;  // reading aids for East Asian text, not the text
            if (name == "t") in_t = true;
        };
        shared.text = [&](std::string_view s) {
            if (!in_t || in_phonetic || strings.empty()) return;
            if ((bytes += s.size()) > max_inflated_bytes) shared.failed = bad("The workbook's text is too large.");
            strings.back() += s;
        };
        shared.close = [&](std::string_view name) {
            if (name == "t") in_t = false;
            if (name == "rPh") in_phonetic = false;
        };
        HAVEN_CHECK(zip.parse("xl/sharedStrings.xml", shared));
    }
    // Styles: which cell formats show dates.
    std::vector<bool> dated;
    if (zip.has("xl/styles.xml")) {
        std::map<int, std::string> codes;
        bool in_cell_xfs = false;
        Xml styles;
        styles.open = [&](std::string_view name, const XML_Char** attrs) {
            if (name == "numFmt") {
                const char *id = attribute(attrs, "numFmtId"), *code = attribute(attrs, "formatCode");
                if (id && code && codes.size() < 10'000) codes[std::atoi(id)] = code;
            } else if (name == "cellXfs") {
                in_cell_xfs = true;
            } else if (name == "xf" && in_cell_xfs && dated.size() < 100000) {
                const char* id = attribute(attrs, "numFmtId");
                const int n = id ? std::atoi(id) : 0;
                dated.push_back(date_format(n, codes.count(n) ? codes[n] : ""));
            }
        };
        styles.close = [&](std::string_view name) {
            if (name == "cellXfs") in_cell_xfs = false;
        };
        HAVEN_CHECK(zip.parse("xl/styles.xml", styles));
    }

    // The sheet: <row r="2"><c r="B2" t="s" s="3"><v>7</v></c> … ; <is><t> for inline strings.
    Grid grid(out.table, limits);
    size_t row = 0, column = 0, next_row = 1, next_column = 0;
    std::string type, value;
    bool in_value = false, date = false;
    Xml sheet;
    sheet.open = [&](std::string_view name, const XML_Char** attrs) {
        if (name == "row") {
            const char* r = attribute(attrs, "r");
            row = r ? size_t(std::strtoull(r, nullptr, 10)) : next_row;
            if (row == 0 || row > 1048576) sheet.failed = bad("The sheet numbers a row " + std::string(r ? r : "") + ".");
            next_row = row + 1;
            next_column = 0;
        } else if (name == "c") {
            const char* r = attribute(attrs, "r");
            column = next_column;
            if (r) {
                auto at = reference(r);
                if (!at || at->second != row) {
                    sheet.failed = bad("Row " + std::to_string(row) + " holds a cell named " + std::string(r).substr(0, 12) + ".");
                    return;
                }
                column = at->first;
            }
            next_column = column + 1;
            const char* t = attribute(attrs, "t");
            type = t ? t : "n";
            const char* s = attribute(attrs, "s");
            const size_t style = s ? size_t(std::strtoull(s, nullptr, 10)) : 0;
            date = style < dated.size() && dated[style];
            value.clear();
        } else if (name == "v" || name == "t") {
            in_value = true;
        }
    };
    sheet.text = [&](std::string_view s) {
        if (!in_value) return;
        if (value.size() + s.size() > limits.max_field_bytes * 4 + 64) {
            sheet.failed = bad("Row " + std::to_string(row) + ": a cell is too long.");
            return;
        }
        value += s;
    };
    sheet.close = [&](std::string_view name) {
        if (name == "v" || name == "t") in_value = false;
        if (name != "c") return;
        std::string shown;
        if (type == "s") {
            char* end = nullptr;
            const unsigned long long i = std::strtoull(value.c_str(), &end, 10);
            if (value.empty() || *end || i >= strings.size()) {
                sheet.failed = bad("Row " + std::to_string(row) + " points at text the workbook does not hold.");
                return;
            }
            shown = strings[size_t(i)];
        } else if (type == "b") {
            shown = value == "1" ? "TRUE" : value == "0" ? "FALSE" : value;
        } else if (type == "n" && !value.empty()) {
            char* end = nullptr;
            const double v = std::strtod(value.c_str(), &end);
            if (*end) {
                sheet.failed = bad("Row " + std::to_string(row) + " holds a number that is not one.");
                return;
            }
            shown = date ? serial_date(v, from_1904) : number_text(v);
            if (shown.empty()) shown = number_text(v);
        } else {  // str (a formula's text), inlineStr, e (an error such as #N/A): as written
            shown = value;
        }
        if (auto s = grid.cell(row, column, std::move(shown)); !s) sheet.failed = s.error();
    };
    HAVEN_CHECK(zip.parse(target, sheet));
    grid.square();
    return out;
}

// ---- .ods (OpenDocument, ISO/IEC 26300) ----

Result<Spreadsheet> read_ods(const ZipArchive& zip, std::string_view wanted, const CsvLimits& limits) {
    Spreadsheet out{"ods", "", {}, "", {}};
    Grid grid(out.table, limits);
    // One pass over content.xml: every table's name is collected; only the chosen one's cells are kept.
    int depth_in_table = -1, depth = 0;
    bool reading = false, done = false;
    size_t row = 0, column = 0, row_repeat = 1, cell_repeat = 1, paragraphs = 0;
    std::string value, text;
    bool in_text = false;
    std::vector<std::pair<size_t, std::string>> cells;  // the row's cells (column, value), repeated rows copy them
    Xml content;
    auto fail_past = [&](size_t n, size_t most, const char* what) {
        if (n <= most) return false;
        content.failed = bad(std::string("The sheet has more than ") + std::to_string(most) + " " + what + ".");
        return true;
    };
    content.open = [&](std::string_view name, const XML_Char** attrs) {
        ++depth;
        if (name == "table" && depth_in_table < 0) {
            const char* n = attribute(attrs, "name");
            out.sheets.emplace_back(n ? n : "");
            if (out.sheets.size() > 1000) content.failed = bad("The workbook has too many sheets.");
            reading = !done && (wanted.empty() ? out.sheets.size() == 1 : out.sheets.back() == wanted);
            depth_in_table = depth;
            return;
        }
        if (!reading) return;
        if (name == "table-row") {
            const char* r = attribute(attrs, "number-rows-repeated");  // clamped: the sheet's rows are at most 1,048,576
            row_repeat = r ? std::clamp<size_t>(size_t(std::strtoull(r, nullptr, 10)), 1, 1 << 20) : 1;
            column = 0;
            cells.clear();
        } else if (name == "table-cell" || name == "covered-table-cell") {
            const char* c = attribute(attrs, "number-columns-repeated");  // clamped: the sheet's columns are at most 16,384
            cell_repeat = c ? std::clamp<size_t>(size_t(std::strtoull(c, nullptr, 10)), 1, 1 << 14) : 1;
            const char* type = attribute(attrs, "value-type");
            const std::string_view t = type ? type : "";
            value.clear();
            text.clear();
            paragraphs = 0;
            if (t == "float" || t == "percentage" || t == "currency") {
                const char* v = attribute(attrs, "value");
                value = v ? number_text(std::strtod(v, nullptr)) : "";
            } else if (t == "date") {
                const char* v = attribute(attrs, "date-value");
                value = v ? std::string(v) : "";
                if (value.size() > 10 && value.compare(10, 9, "T00:00:00") == 0 && value.size() == 19) value.resize(10);
                if (value.size() > 10) value[10] = ' ', value.resize(std::min<size_t>(value.size(), 16));
            } else if (t == "boolean") {
                const char* v = attribute(attrs, "boolean-value");
                value = v && std::string_view(v) == "true" ? "TRUE" : "FALSE";
            } else if (t == "time") {
                const char* v = attribute(attrs, "time-value");
                value = v ? std::string(v) : "";
            }
            if (!type) value = "\x01";  // no value type: the cell's text, if any, as typed
        } else if (name == "p") {
            if (paragraphs++) text += '\n';
            in_text = true;
        } else if (in_text && name == "s") {
            const char* c = attribute(attrs, "c");
            const size_t n = c ? std::min<size_t>(size_t(std::strtoull(c, nullptr, 10)), 1000) : 1;
            text.append(n, ' ');
        } else if (in_text && name == "tab") {
            text += '\t';
        } else if (in_text && name == "line-break") {
            text += '\n';
        }
        if (text.size() > limits.max_field_bytes * 4 + 64) content.failed = bad("Row " + std::to_string(row + 1) + ": a cell is too long.");
    };
    content.text = [&](std::string_view s) {
        if (!reading || !in_text) return;
        if (text.size() + s.size() > limits.max_field_bytes * 4 + 64) {
            content.failed = bad("Row " + std::to_string(row + 1) + ": a cell is too long.");
            return;
        }
        text += s;
    };
    content.close = [&](std::string_view name) {
        if (depth-- == depth_in_table && name == "table") {
            depth_in_table = -1;
            if (reading) done = true;
            reading = false;
            return;
        }
        if (!reading) return;
        if (name == "p") {
            in_text = false;
        } else if (name == "table-cell" || name == "covered-table-cell") {
            // Text cells carry their text; typed cells their value (what the program stored, not how it shows it).
            std::string v = value == "\x01" || (value.empty() && !text.empty() && name == "table-cell") ? text : value;
            if (!v.empty()) {
                if (fail_past(column + cell_repeat, limits.max_fields, "columns")) return;
                for (size_t i = 0; i < cell_repeat; ++i) cells.emplace_back(column + i, v);
            }
            column += cell_repeat;
        } else if (name == "table-row") {
            if (cells.empty()) {
                row += row_repeat;  // empty rows, often a million of them: counted, not kept
                return;
            }
            if (fail_past(out.table.records.size() + row_repeat, limits.max_records, "rows")) return;
            for (size_t r = 0; r < row_repeat; ++r) {
                ++row;
                for (const auto& [c, v] : cells)
                    if (auto s = grid.cell(row, c, v); !s) {
                        content.failed = s.error();
                        return;
                    }
            }
        }
    };
    HAVEN_CHECK(zip.parse("content.xml", content));
    if (out.sheets.empty()) return bad("The workbook has no sheet.");
    if (!wanted.empty() && std::find(out.sheets.begin(), out.sheets.end(), wanted) == out.sheets.end())
        return invalid("sheet", "The workbook has no sheet of that name.", "choose");
    out.sheet = wanted.empty() ? out.sheets.front() : std::string(wanted);
    grid.square();
    return out;
}

}  // namespace

std::string serial_date(double serial, bool from_1904) {
    if (!std::isfinite(serial) || serial < 0 || serial > 200000) return "";
    // Days from 1970-01-01 of the serial's day: 1899-12-30 is day -25,569 (Excel's 1900 system, its leap-year bug
    // included), 1904-01-01 is day -24,107.
    // Before March 1900 Excel counts a 29 February 1900 that never was: its serials there are one day late.
    const double days = std::floor(serial) + (from_1904 ? -24107 : serial < 61 ? -25568 : -25569);
    const int64_t minutes = int64_t(std::llround((serial - std::floor(serial)) * 1440));
    int64_t z = int64_t(days) + 719468;  // civil_from_days (H. Hinnant)
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
    if (y < 1900 || y > 2200) return "";
    char out[32];
    if (minutes == 0 || minutes == 1440)
        std::snprintf(out, sizeof out, "%04d-%02d-%02d", int(y), int(m), int(d));
    else
        std::snprintf(out, sizeof out, "%04d-%02d-%02d %02d:%02d", int(y), int(m), int(d), int(minutes / 60), int(minutes % 60));
    return out;
}

Result<std::string> to_utf8(std::string_view bytes, std::string& encoding) {
    if (bytes.starts_with("\xEF\xBB\xBF")) {
        encoding = "UTF-8";
        bytes.remove_prefix(3);
        if (!valid_utf8(bytes)) return bad("The file says it is UTF-8 but is not.");
        return std::string(bytes);
    }
    if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
        encoding = bytes[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
        if (bytes.size() % 2) return bad("The file says it is UTF-16 but has an odd number of bytes.");
        return convert(bytes.substr(2), encoding.c_str());
    }
    // UTF-16 without a mark: no text file holds a zero byte, and UTF-16 of Latin or Cyrillic text has its high
    // bytes (0x00, 0x04) at every other place — odd places little-endian, even places big-endian.
    if (bytes.size() >= 2 && bytes.size() % 2 == 0 && bytes.find('\0') != std::string_view::npos) {
        size_t odd = 0, even = 0;
        for (size_t i = 0; i < bytes.size(); ++i)
            if (bytes[i] == 0 || bytes[i] == 4) ++(i % 2 ? odd : even);
        encoding = odd >= even ? "UTF-16LE" : "UTF-16BE";
        return convert(bytes, encoding.c_str());
    }
    if (valid_utf8(bytes)) {
        encoding = "UTF-8";
        return std::string(bytes);
    }
    // An 8-bit code page. Cyrillic words are runs of high bytes (nearly every letter); Western European text has a
    // high byte here and there between ASCII letters. Clear either way, that decides (ICU's detector, tried first,
    // named a Russian list with Latin columns windows-1252); in between, ICU's detector weighs the two.
    size_t high = 0, paired = 0;
    for (size_t i = 0; i < bytes.size(); ++i)
        if (uint8_t(bytes[i]) >= 0x80) {
            ++high;
            paired += (i + 1 < bytes.size() && uint8_t(bytes[i + 1]) >= 0x80) || (i > 0 && uint8_t(bytes[i - 1]) >= 0x80);
        }
    encoding = paired * 10 >= high * 7 ? "windows-1251" : "windows-1252";
    if (paired * 10 > high * 3 && paired * 10 < high * 7) {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<UCharsetDetector, void (*)(UCharsetDetector*)> detector(ucsdet_open(&status), ucsdet_close);
        if (U_SUCCESS(status)) ucsdet_setText(detector.get(), bytes.data(), int32_t(std::min<size_t>(bytes.size(), 65536)), &status);
        int32_t found = 0;
        const UCharsetMatch** matches = U_SUCCESS(status) ? ucsdet_detectAll(detector.get(), &found, &status) : nullptr;
        for (int32_t i = 0; U_SUCCESS(status) && i < found; ++i) {
            const std::string_view name = ucsdet_getName(matches[i], &status);
            if (name == "windows-1251" || name == "KOI8-R" || name == "ISO-8859-5") {  // Cyrillic: Excel writes windows-1251
                encoding = "windows-1251";
                break;
            }
            if (name == "windows-1252" || name == "ISO-8859-1" || name == "ISO-8859-15") {
                encoding = "windows-1252";
                break;
            }
        }
    }
    return convert(bytes, encoding.c_str());
}

namespace {

std::string xml_text(std::string_view text) {
    std::string out;
    for (char c : text) switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default:
                if (uint8_t(c) >= 0x20 || c == '\n' || c == '\t') out += c;  // XML 1.0 has no other control characters
        }
    return out;
}

std::string column_letters(size_t column) {
    std::string out;
    for (++column; column > 0; column = (column - 1) / 26) out.insert(out.begin(), char('A' + (column - 1) % 26));
    return out;
}

}  // namespace

// Written in memory, never on disk (what a seized disk could give back, even deleted): the package's parts by hand,
// every cell an inline string, zipped by libzip into a buffer.
Result<std::string> write_xlsx(const std::string& sheet, const std::vector<std::vector<std::string>>& rows) {
    const char* main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const char* rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    std::string cells = head + "<worksheet xmlns=\"" + main_ns + "\"><sheetData>";
    for (size_t r = 0; r < rows.size() && r < 1048576; ++r) {
        cells += "<row r=\"" + std::to_string(r + 1) + "\">";
        for (size_t c = 0; c < rows[r].size() && c < 16384; ++c)
            if (!rows[r][c].empty())
                cells += "<c r=\"" + column_letters(c) + std::to_string(r + 1) + "\" t=\"inlineStr\"" + (r == 0 ? " s=\"1\"" : "") +
                         "><is><t xml:space=\"preserve\">" + xml_text(rows[r][c]) + "</t></is></c>";
        cells += "</row>";
    }
    cells += "</sheetData></worksheet>";
    const std::vector<std::pair<std::string, std::string>> parts = {
        {"[Content_Types].xml",
         head + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
                "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                "<Override PartName=\"/xl/styles.xml\" "
                "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>"},
        {"_rels/.rels",
         head + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" + rel_ns +
             "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
        {"xl/workbook.xml", head + "<workbook xmlns=\"" + main_ns + "\" xmlns:r=\"" + rel_ns + "\"><sheets><sheet name=\"" + xml_text(sheet) +
                                "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         head + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" + rel_ns +
             "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" + rel_ns +
             "/styles\" Target=\"styles.xml\"/></Relationships>"},
        {"xl/styles.xml",
         head + "<styleSheet xmlns=\"" + main_ns +
             "\"><fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name "
             "val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill "
             "patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border>"
             "</borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs "
             "count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" "
             "fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" "
             "xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"},
        {"xl/worksheets/sheet1.xml", cells},
    };
    return zip_of(parts);
}

Result<std::string> zip_of(const std::vector<std::pair<std::string, std::string>>& files) {
    const Error failed = make_error(ErrorKind::unavailable, "io", "An archive could not be written.");
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* target = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_error_fini(&error);
    if (!target) return failed;
    zip_source_keep(target);  // ours after the archive closes: the bytes are read back from it
    std::unique_ptr<zip_source_t, void (*)(zip_source_t*)> owned(target, zip_source_free);
    zip_t* archive = zip_open_from_source(target, ZIP_TRUNCATE, nullptr);
    if (!archive) return failed;
    for (const auto& [name, data] : files) {
        zip_source_t* part = zip_source_buffer(archive, data.data(), data.size(), 0);
        if (!part || zip_file_add(archive, name.c_str(), part, 0) < 0) {
            if (part) zip_source_free(part);
            zip_discard(archive);
            return failed;
        }
    }
    if (zip_close(archive) != 0) {
        zip_discard(archive);
        return failed;
    }
    std::string out;
    if (zip_source_open(target) != 0) return failed;
    char buffer[65536];
    zip_int64_t n;
    while ((n = zip_source_read(target, buffer, sizeof buffer)) > 0) out.append(buffer, size_t(n));
    zip_source_close(target);
    if (n < 0 || out.empty()) return failed;
    return out;
}

Result<Spreadsheet> read_spreadsheet(std::string_view bytes, std::string_view sheet, const CsvLimits& limits) {
    if (bytes.starts_with("PK\x03\x04")) {
        ZipArchive zip(bytes);
        if (!zip.ok()) return bad("The file looks like a workbook but cannot be opened.");
        if (zip.has("xl/workbook.xml")) return read_xlsx(zip, sheet, limits);
        if (zip.has("content.xml") && zip.read("mimetype", 100) == "application/vnd.oasis.opendocument.spreadsheet")
            return read_ods(zip, sheet, limits);
        return bad("The file is an archive, but neither an Excel (.xlsx) nor a LibreOffice (.ods) workbook.");
    }
    Spreadsheet out{"csv", "", {}, "", {}};
    HAVEN_TRY(text, to_utf8(bytes, out.encoding));
    HAVEN_TRY(table, parse_csv(text, limits));
    out.table = std::move(table);
    return out;
}

}  // namespace haven::text
