#include "modules/people/import.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "text/csv.hpp"
#include "text/names.hpp"
#include "text/spreadsheet.hpp"

namespace haven::people {
namespace {

std::vector<std::string> split(std::string_view text, std::string_view separators) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        while (!current.empty() && current.back() == ' ') current.pop_back();
        if (!current.empty()) out.push_back(current);
        current.clear();
    };
    for (char c : text) {
        if (separators.find(c) != std::string_view::npos)
            flush();
        else if (c != ' ' || !current.empty())
            current += c;
    }
    flush();
    return out;
}

// Needs as centres write them; a language course counts as "courses".
std::optional<std::string> need_kind(const std::string& word) {
    static const std::map<std::string, std::string> words = {
        {"housing", "housing"},
        {"logement", "housing"},
        {"wohnung", "housing"},
        {"жильё", "housing"},
        {"жилье", "housing"},
        {"legal", "legal"},
        {"juridique", "legal"},
        {"rechtlich", "legal"},
        {"юридическая", "legal"},
        {"юрист", "legal"},
        {"psychological", "psychological"},
        {"psychologique", "psychological"},
        {"psychologisch", "psychological"},
        {"психолог", "psychological"},
        {"desk", "desk"},
        {"bureau", "desk"},
        {"arbeitsplatz", "desk"},
        {"рабочее место", "desk"},
        {"studio", "studio"},
        {"студия", "studio"},
        {"courses", "courses"},
        {"cours", "courses"},
        {"kurse", "courses"},
        {"курсы", "courses"},
        {"french", "courses"},
        {"german", "courses"},
        {"english", "courses"},
        {"français", "courses"},
        {"francais", "courses"},
        {"allemand", "courses"},
        {"deutsch", "courses"},
        {"französisch", "courses"},
        {"французский", "courses"},
        {"немецкий", "courses"},
        {"английский", "courses"},
    };
    auto it = words.find(text::fold(word));
    if (it == words.end()) return std::nullopt;
    return it->second;
}

}  // namespace

const std::vector<std::pair<Column, std::string_view>>& column_names() {
    static const std::vector<std::pair<Column, std::string_view>> names = {
        {Column::ignore, "ignore"},
        {Column::pseudonym, "pseudonym"},
        {Column::legal_name, "legal_name"},
        {Column::birth_date, "birth_date"},
        {Column::nationality, "nationality"},
        {Column::languages, "languages"},
        {Column::phone, "phone"},
        {Column::email, "email"},
        {Column::messenger, "messenger"},
        {Column::arrival_date, "arrival_date"},
        {Column::status, "status"},
        {Column::needs, "needs"},
        {Column::notes, "notes"},
    };
    return names;
}

std::string_view column_name(Column column) {
    for (const auto& [c, n] : column_names())
        if (c == column) return n;
    return "ignore";
}

std::optional<Column> parse_column(std::string_view name) {
    for (const auto& [c, n] : column_names())
        if (n == name) return c;
    return std::nullopt;
}

Column guess_column(std::string_view header) {
    const std::string h = text::fold(header);
    auto has = [&](std::initializer_list<const char*> words) {
        return std::any_of(words.begin(), words.end(), [&](const char* w) { return h.find(w) != std::string::npos; });
    };
    if (has({"pseudonym", "pseudonyme", "псевдоним", "alias"})) return Column::pseudonym;
    if (has({"birth", "naissance", "geburt", "рожд"})) return Column::birth_date;
    if (has({"arriv", "ankunft", "прибыт", "приезд"})) return Column::arrival_date;
    if (has({"nationalit", "staatsangeh", "гражданств", "citizenship"})) return Column::nationality;
    if (has({"language", "langue", "sprache", "язык"})) return Column::languages;
    if (has({"phone", "téléphone", "telephone", "telefon", "телефон"})) return Column::phone;
    if (has({"mail", "почта"})) return Column::email;
    if (has({"telegram", "signal", "whatsapp", "messenger", "телеграм"})) return Column::messenger;
    if (has({"status", "statut", "статус"})) return Column::status;
    if (has({"need", "besoin", "bedarf", "потребност", "нужд"})) return Column::needs;
    if (has({"note", "comment", "bemerk", "примечан", "заметк", "коммент"})) return Column::notes;
    if (has({"name", "nom", "фио", "имя", "фамилия"})) return Column::legal_name;
    return Column::ignore;
}

std::string iso_date(std::string_view t) {
    std::string s(t);
    while (!s.empty() && s.back() == ' ') s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    if (s.size() >= 10 && s[4] == '-' && s[7] == '-') return s.substr(0, 10);  // ISO, maybe with a time
    const auto sep = s.find_first_of("./");
    if (sep == 1 || sep == 2) {
        const auto sep2 = s.find(s[sep], sep + 1);
        if (sep2 != std::string::npos && s.size() - sep2 - 1 == 4) {
            std::string d = s.substr(0, sep), m = s.substr(sep + 1, sep2 - sep - 1), y = s.substr(sep2 + 1);
            if (d.size() == 1) d = "0" + d;
            if (m.size() == 1) m = "0" + m;
            if (m.size() == 2) return y + "-" + m + "-" + d;
        }
    }
    return s;
}

// Which words the page uses for what check() found wrong with a row's value.
static std::string problem_of(const std::string& field, const std::string& value, const std::string& message) {
    if (field == "birth_date" || field == "arrival_date") {
        if (message.find("future") != std::string::npos) return "future_birth";
        // Shaped like a date, but the day is not in that month (31.02.1980): said as such.
        const std::string iso = iso_date(value);
        if (iso.size() == 10 && iso[4] == '-' && iso[7] == '-' &&
            std::all_of(iso.begin(), iso.end(), [](char ch) { return ch == '-' || std::isdigit(uint8_t(ch)); }))
            return "no_such_day";
        return "date";
    }
    if (field.starts_with("languages")) return "language";
    if (field == "email") return "email";
    return "text";
}

Result<ImportPlan> plan_import(std::string_view file, std::vector<Column> columns, int64_t today_ms, std::string_view sheet) {
    HAVEN_TRY(read, text::read_spreadsheet(file, sheet, {max_import_rows + 1, 200, 10000}));
    const text::CsvTable& table = read.table;
    ImportPlan plan;
    plan.delimiter = table.delimiter;
    plan.format = read.format;
    plan.encoding = read.encoding;
    plan.sheets = read.sheets;
    plan.sheet = read.sheet;
    if (table.records.empty()) return invalid("file", "The file is empty.", "empty_file");
    plan.headers = table.records[0].fields;
    if (columns.empty())
        for (const auto& h : plan.headers) columns.push_back(guess_column(h));
    if (columns.size() != plan.headers.size())
        return invalid("columns",
                       "The mapping names " + std::to_string(columns.size()) + " columns; the file has " + std::to_string(plan.headers.size()) + ".",
                       "columns");
    if (std::count(columns.begin(), columns.end(), Column::pseudonym) != 1)
        return invalid("columns", "Exactly one column must hold the pseudonym.", "pseudonym_column");
    plan.columns = columns;

    auto add_error = [&](size_t line, size_t row, std::string column, std::string pseudonym, std::string value, std::string problem,
                         std::string message) {
        if (plan.errors.size() < max_errors)
            plan.errors.push_back({line, row, std::move(column), std::move(pseudonym), std::move(value), std::move(problem), std::move(message)});
    };
    auto cell = [&](const text::CsvRecord& rec, size_t c) { return c < rec.fields.size() ? rec.fields[c] : std::string(); };
    auto pseudonym_of = [&](const text::CsvRecord& rec) {
        for (size_t c = 0; c < columns.size(); ++c)
            if (columns[c] == Column::pseudonym) return cell(rec, c);
        return std::string();
    };
    for (size_t r = 1; r < table.records.size(); ++r) {
        const auto& rec = table.records[r];
        const size_t row = plan.format == "csv" ? r + 1 : rec.line;  // a workbook numbers its rows itself
        ++plan.rows;
        if (rec.fields.size() > plan.headers.size()) {
            add_error(rec.line, row, "", pseudonym_of(rec), "", "cells",
                      "the row has " + std::to_string(rec.fields.size()) + " cells; the header has " + std::to_string(plan.headers.size()) + ".");
            continue;
        }
        Person p;
        p.status = "resident";
        std::vector<size_t> name_columns;  // the column each legal name came from
        bool row_ok = true;
        for (size_t c = 0; c < rec.fields.size() && row_ok; ++c) {
            const std::string& v = rec.fields[c];
            switch (columns[c]) {
                case Column::ignore: break;
                case Column::pseudonym: p.pseudonym = v; break;
                case Column::legal_name: {  // "A; B" (as the export writes several) is two names; an empty cell keeps its place
                    auto names = split(v, ";");
                    if (names.empty()) names.emplace_back();
                    for (auto& n : names) {
                        p.legal_names.push_back(std::move(n));
                        name_columns.push_back(c);
                    }
                    break;
                }
                case Column::birth_date: p.birth_date = iso_date(v); break;
                case Column::nationality: p.nationality = v; break;
                case Column::languages: p.languages = split(v, ",;/ "); break;
                case Column::phone: p.phone = v; break;
                case Column::email: p.email = v; break;
                case Column::messenger: p.messenger = v; break;
                case Column::arrival_date: p.arrival_date = iso_date(v); break;
                case Column::status:
                    if (!v.empty()) p.status = text::fold(v);
                    break;
                case Column::notes: p.notes = v; break;
                case Column::needs:
                    for (const auto& word : split(v, ";,")) {
                        auto kind = need_kind(word);
                        if (!kind) {
                            add_error(rec.line, row, plan.headers[c], pseudonym_of(rec), word, "need",
                                      "unknown need: use housing, legal, psychological, desk, courses or studio.");
                            row_ok = false;
                            break;
                        }
                        if (std::find(p.needs.begin(), p.needs.end(), *kind) == p.needs.end()) p.needs.push_back(*kind);
                    }
                    break;
            }
        }
        if (!row_ok) continue;
        // Empty legal-name cells do not count as names; check() drops them, but keep their column positions for errors.
        const std::vector<std::string> names_as_read = p.legal_names;  // check() drops the empty ones; errors count them
        if (auto s = check(p, today_ms); !s) {
            std::string column, value;
            const std::string& field = s.error().field;
            if (field.starts_with("legal_names[")) {
                const size_t i = std::stoul(field.substr(12));
                if (i < name_columns.size()) column = plan.headers[name_columns[i]], value = names_as_read[i];
            } else {
                std::string base = field.substr(0, field.find('['));
                for (size_t c = 0; c < columns.size(); ++c)
                    if (column_name(columns[c]) == base) column = plan.headers[c], value = cell(rec, c);
            }
            add_error(rec.line, row, column, pseudonym_of(rec), value, problem_of(field, value, s.error().message), s.error().message);
            continue;
        }
        plan.people.push_back(std::move(p));
        plan.lines.push_back(rec.line);
        plan.row_numbers.push_back(row);
    }
    if (plan.rows > max_import_rows)
        return make_error(ErrorKind::too_large, "too_large", "A file may hold at most " + std::to_string(max_import_rows) + " people.", "file");
    if (!plan.errors.empty()) {
        plan.people.clear();
        plan.lines.clear();
        plan.row_numbers.clear();
    }
    return plan;
}

namespace {

std::vector<std::vector<std::string>> export_rows(const std::vector<Person>& people) {
    std::vector<std::vector<std::string>> rows = {{"pseudonym", "legal_names", "birth_date", "nationality", "languages", "phone", "email",
                                                   "messenger", "arrival_date", "status", "needs", "notes"}};
    auto list = [](const std::vector<std::string>& v, const char* sep) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
        return s;
    };
    for (const auto& p : people)
        rows.push_back({p.pseudonym, list(p.legal_names, "; "), p.birth_date, p.nationality, list(p.languages, ", "), p.phone, p.email, p.messenger,
                        p.arrival_date, p.status, list(p.needs, "; "), p.notes});
    return rows;
}

}  // namespace

std::string export_csv(const std::vector<Person>& people) {
    std::string out = "\xEF\xBB\xBF";
    for (const auto& row : export_rows(people)) out += text::csv_line(row);
    return out;
}

Result<std::string> export_xlsx(const std::vector<Person>& people) { return text::write_xlsx("people", export_rows(people)); }

}  // namespace haven::people
