#include "text/csv.hpp"

#include <algorithm>

#include "core/utf8.hpp"

namespace haven::text {
namespace {

Error bad(size_t line, const std::string& message) {
    return make_error(ErrorKind::bad_request, "bad_csv", "Line " + std::to_string(line) + ": " + message, "file");
}

// The delimiter with the most occurrences outside quotes on the first line (comma when there are none).
char sniff(std::string_view text) {
    size_t counts[3] = {0, 0, 0};
    const char candidates[3] = {',', ';', '\t'};
    bool quoted = false;
    for (char c : text) {
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted)
            for (int i = 0; i < 3; ++i)
                if (c == candidates[i]) ++counts[i];
    }
    int best = 0;
    for (int i = 1; i < 3; ++i)
        if (counts[i] > counts[best]) best = i;
    return candidates[best];
}

}  // namespace

Result<CsvTable> parse_csv(std::string_view text, const CsvLimits& limits) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    CsvTable table;
    table.delimiter = sniff(text);
    const char d = table.delimiter;

    size_t line = 1, i = 0;
    CsvRecord record{1, {}};
    std::string field;
    bool field_started = false;  // something (even "") was read for the current field

    auto end_field = [&]() -> Status {
        if (!valid_utf8(field)) return bad(record.line, "the text is not UTF-8. Save the sheet as CSV with UTF-8 encoding.");
        if (record.fields.size() >= limits.max_fields) return bad(record.line, "more than " + std::to_string(limits.max_fields) + " columns.");
        record.fields.push_back(std::move(field));
        field.clear();
        field_started = false;
        return {};
    };
    auto end_record = [&]() -> Status {
        if (auto s = end_field(); !s) return s;
        const bool blank = std::all_of(record.fields.begin(), record.fields.end(), [](const std::string& f) { return f.empty(); });
        if (!blank) {
            if (table.records.size() >= limits.max_records) return bad(record.line, "more than " + std::to_string(limits.max_records) + " rows.");
            table.records.push_back(std::move(record));
        }
        record = CsvRecord{line, {}};
        return {};
    };
    auto newline = [&]() {  // consumes CRLF, LF or CR at i
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
    };

    while (i < text.size()) {
        const char c = text[i];
        if (c == '"' && !field_started && field.empty()) {
            // A quoted field: up to the closing quote; "" is one quote; line breaks are kept.
            const size_t opened = line;
            ++i;
            for (;;) {
                if (i >= text.size()) return bad(opened, "a quoted field is never closed.");
                const char q = text[i];
                if (q == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (q == '\r' || q == '\n') {
                    const bool crlf = q == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
                    field += '\n';
                    i += crlf ? 2 : 1;
                    ++line;
                } else {
                    field += q;
                    ++i;
                }
                if (field.size() > limits.max_field_bytes)
                    return bad(opened, "a field is longer than " + std::to_string(limits.max_field_bytes) + " bytes.");
            }
            field_started = true;
            continue;
        }
        if (c == d) {
            if (auto s = end_field(); !s) return s.error();
            ++i;
        } else if (c == '\r' || c == '\n') {
            newline();
            if (auto s = end_record(); !s) return s.error();
        } else {
            // Text after a closing quote, or a quote inside an unquoted field: kept as written.
            field += c;
            field_started = true;
            ++i;
            if (field.size() > limits.max_field_bytes)
                return bad(record.line, "a field is longer than " + std::to_string(limits.max_field_bytes) + " bytes.");
        }
    }
    if (field_started || !field.empty() || !record.fields.empty())
        if (auto s = end_record(); !s) return s.error();
    return table;
}

std::string csv_field(std::string_view value) {
    std::string v(value);
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) v.insert(v.begin(), '\'');
    if (v.find_first_of(",;\"\r\n\t") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
    return out + "\r\n";
}

}  // namespace haven::text
