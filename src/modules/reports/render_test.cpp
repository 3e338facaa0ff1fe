// The report's outputs, each read back by an independent reader: CSV by text::parse_csv, SVG by a small
// well-formedness check, XLSX by openpyxl and by LibreOffice, PDF by poppler (pdftotext, pdftoppm, pdfinfo).
// The tools are part of the test: one missing fails it, so a run that checked nothing cannot pass.
#include "modules/reports/render.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "text/csv.hpp"

namespace haven::reports {
namespace {

namespace fs = std::filesystem;

// A quarter's report in Russian, with hidden cells, a mark that needs escaping and labels that would run as a
// formula or break markup.
View sample() {
    View view;
    view.title = "Отчёт за I квартал 2027 — Фонд «Помощь»";
    view.subtitle = "Январь–март 2027 · Париж, Лион · утверждён 2027-04-03";
    view.first_column = "Показатель";
    view.columns = {"янв. 2027", "февр. 2027", "март 2027", "Итого"};
    view.hidden_mark = "<10";
    view.chart_hidden = "скрыто";
    view.note = "Числа меньше 10 и числа, которые позволили бы их вычислить, скрыты (<10).";
    view.groups.push_back({"Юридические дела открыты",
                           {{"Юридические дела открыты — Париж", {14, std::nullopt, 12, 35}, false},
                            {"Юридические дела открыты — Лион", {std::nullopt, std::nullopt, 11, 22}, false},
                            {"Юридические дела открыты — всего", {21, 13, 23, 57}, true}}});
    view.groups.push_back({"Консультации & встречи <важно>", {{"Консультации & встречи <важно> — Париж", {std::nullopt, 40, 38, 87}, false}}});
    view.groups.push_back({"=HYPERLINK(\"http://x\")", {{"=HYPERLINK(\"http://x\")", {15, 16, 17, 48}, true}}});
    return view;
}

std::string expected_cell(const View& view, const View::Row& row, size_t column) {
    return row.cells[column] ? std::to_string(*row.cells[column]) : view.hidden_mark;
}

// A directory of the test's own, removed at the end.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "haven-render-test-XXXXXX").string();
        if (mkdtemp(pattern.data())) path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

struct ToolRun {
    int status = -1;  // the exit status; 127: the tool is missing
    std::string out;
};

ToolRun run_tool(const std::string& command) {
    ToolRun result;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return result;
    char buffer[4096];
    size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
    const int raw = pclose(pipe);
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return result;
}

void write_file(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// pdfinfo's "Page size:      595 x 842 pts" with the padding squeezed to one space, so a test names a field plainly.
std::string squeezed(const std::string& text) {
    std::string out;
    for (char c : text)
        if (c != ' ' || out.empty() || out.back() != ' ') out += c;
    return out;
}

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// Enough of XML to catch what a renderer gets wrong: every '<' opens a tag, tags balance, every '&' is one of
// the five entities.
bool well_formed(const std::string& xml) {
    std::vector<std::string> open;
    for (size_t i = 0; i < xml.size(); ++i) {
        if (xml[i] == '&') {
            bool entity = false;
            for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) entity = entity || xml.compare(i, std::strlen(e), e) == 0;
            if (!entity) return false;
        }
        if (xml[i] == '>') return false;  // a '>' outside a tag: the renderer escapes it too
        if (xml[i] != '<') continue;
        const size_t end = xml.find('>', i);
        if (end == std::string::npos) return false;
        const std::string tag = xml.substr(i + 1, end - i - 1);
        if (tag.find('<') != std::string::npos) return false;
        if (tag.empty() || !(std::isalpha(static_cast<unsigned char>(tag[0])) || tag[0] == '/')) return false;
        const std::string name = tag.substr(tag[0] == '/' ? 1 : 0, tag.find_first_of(" />", 1) - (tag[0] == '/' ? 1 : 0));
        if (tag[0] == '/') {
            if (open.empty() || open.back() != name) return false;
            open.pop_back();
        } else if (tag.back() != '/') {
            open.push_back(name);
        }
        i = end;
    }
    return open.empty();
}

// Between two markers, e.g. a <desc>'s text.
std::string between(const std::string& text, const std::string& from, const std::string& to) {
    const size_t start = text.find(from);
    if (start == std::string::npos) return {};
    const size_t end = text.find(to, start + from.size());
    return end == std::string::npos ? std::string{} : text.substr(start + from.size(), end - start - from.size());
}

TEST(RenderCsv, ReadsBackCellForCellWithTheMarkInHiddenCells) {
    const View view = sample();
    const std::string csv = render_csv(view);
    auto table = text::parse_csv(csv);
    ASSERT_TRUE(table.ok()) << table.error().message;
    const auto& records = table->records;
    ASSERT_EQ(records.size(), 1u + 5u + 1u);  // the header, five rows, the note (the blank line is left out)
    EXPECT_EQ(records[0].fields, (std::vector<std::string>{"Показатель", "янв. 2027", "февр. 2027", "март 2027", "Итого"}));
    size_t r = 1;
    for (const View::Group& group : view.groups)
        for (const View::Row& row : group.rows) {
            const auto& fields = records[r++].fields;
            ASSERT_EQ(fields.size(), 1 + view.columns.size());
            if (row.label[0] != '=') {
                EXPECT_EQ(fields[0], row.label);
            }
            for (size_t c = 0; c < view.columns.size(); ++c) EXPECT_EQ(fields[c + 1], expected_cell(view, row, c)) << row.label << " " << c;
        }
    EXPECT_EQ(records[2].fields[2], "<10");
    EXPECT_EQ(records.back().fields, std::vector<std::string>{view.note});
    EXPECT_NE(csv.find("\r\n\r\n"), std::string::npos) << "a blank line before the note";
}

TEST(RenderCsv, ALabelThatWouldRunAsAFormulaIsShownAsText) {
    const std::string csv = render_csv(sample());
    auto table = text::parse_csv(csv);
    ASSERT_TRUE(table.ok());
    EXPECT_EQ(table->records[5].fields[0], "'=HYPERLINK(\"http://x\")");
    for (const auto& record : table->records)
        for (const std::string& field : record.fields) EXPECT_NE(field[0], '=') << field;
}

TEST(RenderCharts, OneAccessibleScalableChartPerGroup) {
    const View view = sample();
    const std::vector<std::string> charts = render_charts(view);
    ASSERT_EQ(charts.size(), view.groups.size());
    std::vector<std::string> ids;
    for (size_t i = 0; i < charts.size(); ++i) {
        const std::string& svg = charts[i];
        SCOPED_TRACE(svg);
        EXPECT_TRUE(well_formed(svg));
        const std::string root = svg.substr(0, svg.find('>'));
        EXPECT_EQ(root.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
        EXPECT_NE(root.find("viewBox=\"0 0 "), std::string::npos);
        EXPECT_NE(root.find("width=\"100%\""), std::string::npos);
        EXPECT_EQ(root.find("height="), std::string::npos);
        EXPECT_NE(root.find("role=\"img\""), std::string::npos);
        EXPECT_EQ(svg.find("style"), std::string::npos) << "the pages' CSP blocks inline styles";
        // aria-labelledby names the <title> and the <desc>, by ids no other chart uses.
        const std::string labelled = between(root, "aria-labelledby=\"", "\"");
        const std::string title_id = labelled.substr(0, labelled.find(' ')), desc_id = labelled.substr(labelled.find(' ') + 1);
        EXPECT_NE(svg.find("<title id=\"" + title_id + "\">"), std::string::npos);
        EXPECT_NE(svg.find("<desc id=\"" + desc_id + "\">"), std::string::npos);
        for (const std::string& id : ids) EXPECT_TRUE(id != title_id && id != desc_id);
        ids.push_back(title_id);
        ids.push_back(desc_id);
    }
    EXPECT_EQ(between(charts[1], "-title\">", "</title>"), "Консультации &amp; встречи &lt;важно&gt;");
    EXPECT_EQ(charts[1].find("<важно"), std::string::npos);
}

TEST(RenderCharts, TheTextAlternativeSaysEveryValueAndEveryHiddenBar) {
    const View view = sample();
    const std::vector<std::string> charts = render_charts(view);
    ASSERT_EQ(charts.size(), 3u);
    EXPECT_EQ(between(charts[0], "-desc\">", "</desc>"), "янв. 2027: 21; февр. 2027: 13; март 2027: 23; Итого: 57");
    EXPECT_EQ(between(charts[1], "-desc\">", "</desc>"), "янв. 2027: скрыто (&lt;10); февр. 2027: 40; март 2027: 38; Итого: 87");
    // The bars: the total row's months (not the total column); a hidden one dashed, with the mark, escaped.
    EXPECT_EQ(count(charts[0], "stroke-dasharray"), 0u);
    EXPECT_EQ(count(charts[1], "stroke-dasharray"), 1u);
    EXPECT_EQ(count(charts[1], ">&lt;10</text>"), 1u);
    EXPECT_EQ(count(charts[0], ">57</text>"), 0u) << "the total column is no bar";
    for (const char* value : {">21</text>", ">13</text>", ">23</text>", ">янв. 2027</text>", ">март 2027</text>"})
        EXPECT_EQ(count(charts[0], value), 1u) << value;
    // Only the total row is drawn: Paris's 14 is in no chart of the first group.
    EXPECT_EQ(count(charts[0], ">14</text>"), 0u);
}

TEST(RenderCharts, ManyColumnsTurnTheirLabelsAndWidenTheChart) {
    View view = sample();
    view.columns = {"январь 2027", "февраль 2027",  "март 2027",    "апрель 2027", "май 2027",     "июнь 2027", "июль 2027",
                    "август 2027", "сентябрь 2027", "октябрь 2027", "ноябрь 2027", "декабрь 2027", "Итого"};
    for (View::Group& group : view.groups)
        for (View::Row& row : group.rows) row.cells.assign(13, 12);
    const std::vector<std::string> charts = render_charts(view);
    EXPECT_TRUE(well_formed(charts[0]));
    EXPECT_EQ(count(charts[0], "rotate(-45"), 12u);
    // Twelve months are a series over time: a line through twelve points, no bars but the white ground.
    EXPECT_EQ(count(charts[0], "<rect"), 1u);
    EXPECT_EQ(count(charts[0], "<circle"), 12u);
    EXPECT_EQ(count(charts[0], "<path d=\"M"), 1u);
    // A hidden month breaks the line in two and shows its mark on the axis.
    view.groups[0].rows.back().cells[5] = std::nullopt;
    const std::string broken = render_charts(view)[0];
    EXPECT_TRUE(well_formed(broken));
    EXPECT_EQ(count(broken, " M"), 1u) << "a second segment starts after the gap";
    EXPECT_EQ(count(broken, ">&lt;10</text>"), 1u) << "the sample's mark, escaped";
}

// The tools' tests share a directory of their own, and their reports.
class RenderFiles : public ::testing::Test {
protected:
    fs::path file(const std::string& name) const { return dir_.path() / name; }
    TempDir dir_;
};

TEST_F(RenderFiles, XlsxHoldsNumbersAsNumbersAndTheMarkInHiddenCells) {
    const View view = sample();
    auto xlsx = render_xlsx(view);
    ASSERT_TRUE(xlsx.ok()) << xlsx.error().message;
    write_file(file("report.xlsx"), *xlsx);
    write_file(file("read.py"),
               "import sys, openpyxl\n"
               "sheet = openpyxl.load_workbook(sys.argv[1]).active\n"
               "print('sheet', sheet.title)\n"
               "for row in sheet.iter_rows():\n"
               "    for c in row:\n"
               "        if c.value is not None:\n"
               "            kind = 'number' if isinstance(c.value, (int, float)) else type(c.value).__name__\n"
               "            print(c.coordinate, kind, 'bold' if c.font.b else 'plain', c.value, sep='\\t')\n");
    const ToolRun read = run_tool("PYTHONIOENCODING=utf-8 /usr/bin/python3 " + quoted(file("read.py")) + " " + quoted(file("report.xlsx")));
    ASSERT_EQ(read.status, 0) << read.out;
    std::map<std::string, std::vector<std::string>> cells;  // coordinate → kind, weight, value
    std::istringstream lines(read.out);
    for (std::string line; std::getline(lines, line);) {
        std::vector<std::string> parts;
        std::istringstream fields(line);
        for (std::string part; std::getline(fields, part, '\t');) parts.push_back(part);
        if (parts.size() == 4) cells[parts[0]] = {parts[1], parts[2], parts[3]};
    }
    EXPECT_NE(read.out.find("sheet Report\n"), std::string::npos) << read.out;
    EXPECT_EQ(cells["A1"], (std::vector<std::string>{"str", "bold", view.title}));
    EXPECT_EQ(cells["A2"], (std::vector<std::string>{"str", "plain", view.subtitle}));
    EXPECT_EQ(cells["A4"], (std::vector<std::string>{"str", "bold", "Показатель"}));
    EXPECT_EQ(cells["E4"], (std::vector<std::string>{"str", "bold", "Итого"}));
    EXPECT_EQ(cells["A5"], (std::vector<std::string>{"str", "plain", "Юридические дела открыты — Париж"}));
    EXPECT_EQ(cells["B5"], (std::vector<std::string>{"number", "plain", "14"}));
    EXPECT_EQ(cells["C5"], (std::vector<std::string>{"str", "plain", "<10"}));
    EXPECT_EQ(cells["E7"], (std::vector<std::string>{"number", "bold", "57"}));
    EXPECT_EQ(cells["A9"], (std::vector<std::string>{"str", "bold", "=HYPERLINK(\"http://x\")"})) << "a string, never a formula";
    EXPECT_EQ(cells["A11"], (std::vector<std::string>{"str", "plain", view.note}));
    EXPECT_EQ(cells.count("A10"), 0u);

    // LibreOffice, a second reader: its CSV export (UTF-8) has the label and the total as a bare number.
    const ToolRun convert =
        run_tool("timeout 120 soffice --headless --norestore -env:UserInstallation=file://" + file("lo").string() +
                 " --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir " + quoted(dir_.path()) + " " + quoted(file("report.xlsx")));
    ASSERT_EQ(convert.status, 0) << convert.out;
    const std::string csv = read_file(file("report.csv"));
    EXPECT_NE(csv.find("\n\"Юридические дела открыты — всего\",21,13,23,57\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\n\"Юридические дела открыты — Париж\",14,\"<10\",12,35\n"), std::string::npos) << csv;
}

TEST_F(RenderFiles, XlsxLeavesNoTemporaryFileAndFailsCleanlyWithoutADirectory) {
    const char* saved = getenv("TMPDIR");
    const std::string before = saved ? saved : "";
    fs::create_directory(file("tmp"));
    setenv("TMPDIR", file("tmp").c_str(), 1);
    const auto written = render_xlsx(sample());
    const bool left_empty = fs::is_empty(file("tmp"));
    setenv("TMPDIR", file("missing").c_str(), 1);
    const auto refused = render_xlsx(sample());
    saved ? setenv("TMPDIR", before.c_str(), 1) : unsetenv("TMPDIR");

    EXPECT_TRUE(written.ok());
    EXPECT_TRUE(left_empty);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(refused.error().code, "render_failed");
    EXPECT_EQ(refused.error().message, "The spreadsheet could not be written.");
}

TEST_F(RenderFiles, PdfShapesCyrillicAndDrawsThePage) {
    const View view = sample();
    auto pdf = render_pdf(view);
    ASSERT_TRUE(pdf.ok()) << pdf.error().message;
    ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
    write_file(file("report.pdf"), *pdf);

    const ToolRun text = run_tool("pdftotext -layout " + quoted(file("report.pdf")) + " -");
    ASSERT_EQ(text.status, 0) << text.out;
    for (const std::string& expected : {view.title, std::string("Юридические дела открыты — Париж"), std::string("Консультации & встречи <важно>"),
                                        std::string("Показатель"), std::string("57"), std::string("<10"), std::string("февр. 2027")})
        EXPECT_NE(text.out.find(expected), std::string::npos) << expected << "\n" << text.out;
    const ToolRun info = run_tool("pdfinfo " + quoted(file("report.pdf")));
    ASSERT_EQ(info.status, 0) << info.out;
    EXPECT_NE(squeezed(info.out).find("Page size: 595 x 842 pts (A4)\n"), std::string::npos) << info.out;
    EXPECT_NE(squeezed(info.out).find("Title: " + view.title + "\n"), std::string::npos) << info.out;

    // Drawn, not only written: the first page's picture is far from a blank page's (an empty report's).
    auto blank = render_pdf(View{});
    ASSERT_TRUE(blank.ok());
    write_file(file("blank.pdf"), *blank);
    for (const char* name : {"report", "blank"}) {
        const ToolRun png =
            run_tool("pdftoppm -r 50 -png -singlefile -f 1 -l 1 " + quoted(file(std::string(name) + ".pdf")) + " " + quoted(file(name)));
        ASSERT_EQ(png.status, 0) << png.out;
    }
    const std::string picture = read_file(file("report.png"));
    ASSERT_EQ(picture.rfind("\x89PNG", 0), 0u);
    EXPECT_GT(picture.size(), 3 * fs::file_size(file("blank.png")));
}

TEST_F(RenderFiles, PdfOfFortyRowsRunsOnWithTheHeaderRepeated) {
    View view = sample();
    view.groups.resize(1);
    view.groups[0].rows.clear();
    for (int i = 0; i < 40; ++i)
        view.groups[0].rows.push_back({"Юридические дела открыты — площадка " + std::to_string(i + 1) +
                                           ", с подписью достаточно длинной, чтобы занять две строки в первой колонке таблицы отчёта",
                                       {i + 10, std::nullopt, 12, 99},
                                       false});
    auto pdf = render_pdf(view);
    ASSERT_TRUE(pdf.ok());
    write_file(file("long.pdf"), *pdf);
    const ToolRun info = run_tool("pdfinfo " + quoted(file("long.pdf")));
    ASSERT_EQ(info.status, 0) << info.out;
    const std::string pages = between(info.out, "Pages:", "\n");
    EXPECT_GT(std::stoi(pages), 1) << info.out;
    const ToolRun second = run_tool("pdftotext -layout -f 2 -l 2 " + quoted(file("long.pdf")) + " -");
    ASSERT_EQ(second.status, 0);
    EXPECT_NE(second.out.find("Показатель"), std::string::npos) << second.out;
    EXPECT_NE(second.out.find("февр. 2027"), std::string::npos) << second.out;
}

TEST_F(RenderFiles, PdfTurnsThePageForAYearOfMonths) {
    View view = sample();
    view.columns = {"янв.", "февр.", "март", "апр.", "май", "июнь", "июль", "авг.", "сент.", "окт.", "нояб.", "дек.", "Итого"};
    for (View::Group& group : view.groups)
        for (View::Row& row : group.rows) row.cells.assign(13, 1234);
    auto pdf = render_pdf(view);
    ASSERT_TRUE(pdf.ok());
    write_file(file("year.pdf"), *pdf);
    const ToolRun info = run_tool("pdfinfo " + quoted(file("year.pdf")));
    EXPECT_NE(squeezed(info.out).find("Page size: 842 x 595 pts (A4)\n"), std::string::npos) << info.out;
    view.columns.resize(31, "x");
    EXPECT_EQ(render_pdf(view).error().code, "too_many_columns");
}

}  // namespace
}  // namespace haven::reports
