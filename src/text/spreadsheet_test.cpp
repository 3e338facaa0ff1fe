// Spreadsheets as people have them, and as an attacker would send them: encodings told apart, workbooks read
// cell by cell as the program stored them, and every limit held (a zip bomb, a million repeated rows, a cell
// past the CSV reader's size, a sheet that is not there).
#include "text/spreadsheet.hpp"

#include <gtest/gtest.h>

#include <unicode/ucnv.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

namespace haven::text {
namespace {

// A zip archive made in memory from (name, contents) pairs (what a workbook is).
std::string zip_bytes(const std::vector<std::pair<std::string, std::string>>& entries) { return zip_of(entries).value(); }

std::string xlsx(const std::string& sheet, const std::string& shared = "", const std::string& styles = "") {
    std::vector<std::pair<std::string, std::string>> e = {
        {"xl/workbook.xml",
         R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Residents" sheetId="1" r:id="rId1"/><sheet name="Other" sheetId="2" r:id="rId2"/></sheets></workbook>)"},
        {"xl/_rels/workbook.xml.rels",
         R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>)"},
        {"xl/worksheets/sheet1.xml", sheet},
        {"xl/worksheets/sheet2.xml",
         R"(<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>second</t></is></c></row></sheetData></worksheet>)"},
    };
    if (!shared.empty()) e.push_back({"xl/sharedStrings.xml", shared});
    if (!styles.empty()) e.push_back({"xl/styles.xml", styles});
    return zip_bytes(e);
}

std::string ods(const std::string& table) {
    return zip_bytes(
        {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
         {"content.xml",
          R"(<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>)" +
              table + "</office:spreadsheet></office:body></office:document-content>"}});
}

struct Case_ {
    const char* what;
    std::string bytes;
};

std::string encode(const std::string& utf8, const char* to) {
    UErrorCode status = U_ZERO_ERROR;
    std::string out(utf8.size() * 4 + 4, '\0');
    out.resize(size_t(ucnv_convert(to, "UTF-8", out.data(), int32_t(out.size()), utf8.data(), int32_t(utf8.size()), &status)));
    return out;
}

TEST(Spreadsheet, EncodingsExcelWritesAreToldApart) {
    const std::string ru = "Псевдоним;ФИО\nГром;Хохлов Андрей Борисович\nЛуна;Иванова Мария\n";
    const std::string fr = "Pseudonyme;Remarque\nLuna;Besoin du récépissé, rendez-vous à la préfecture\nSova;Élève, garçon très motivé\n";
    const std::string de = "Pseudonym;Notiz\nGrom;Straße, Grüße an Frau Müller\n";
    struct Case {
        std::string bytes, want, text;
    };
    const Case cases[] = {
        {ru, "UTF-8", ru},
        {"\xEF\xBB\xBF" + ru, "UTF-8", ru},
        {encode(ru, "windows-1251"), "windows-1251", ru},
        {encode(fr, "windows-1252"), "windows-1252", fr},
        {encode(de, "windows-1252"), "windows-1252", de},
        {"\xFF\xFE" + encode(ru, "UTF-16LE"), "UTF-16LE", ru},
        {"\xFE\xFF" + encode(fr, "UTF-16BE"), "UTF-16BE", fr},
        {encode(ru, "UTF-16LE"), "UTF-16LE", ru},  // no mark
    };
    for (const auto& c : cases) {
        std::string encoding;
        auto text = to_utf8(c.bytes, encoding);
        ASSERT_TRUE(text.ok()) << c.want;
        EXPECT_EQ(encoding, c.want);
        EXPECT_EQ(*text, c.text) << c.want;
        auto sheet = read_spreadsheet(c.bytes);
        ASSERT_TRUE(sheet.ok());
        EXPECT_EQ(sheet->format, "csv");
        EXPECT_EQ(sheet->table.records.size(), size_t(std::count(c.text.begin(), c.text.end(), '\n')));
    }
    std::string encoding;
    EXPECT_FALSE(to_utf8("\xEF\xBB\xBF\xFF\xFE", encoding).ok());  // a UTF-8 mark on what is not
    EXPECT_FALSE(to_utf8("\xFF\xFE\x41", encoding).ok());          // UTF-16 of an odd length
}

TEST(Spreadsheet, AnXlsxSheetReadsAsTheProgramStoredIt) {
    const std::string shared = R"(<sst><si><t>Pseudonym</t></si><si><t>Arrival</t></si><si><r><t>Гр</t></r><r><t>ом</t></r></si></sst>)";
    const std::string styles =
        R"(<styleSheet><numFmts><numFmt numFmtId="165" formatCode="yyyy\-mm\-dd"/><numFmt numFmtId="166" formatCode="0.00"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="14"/></cellXfs></styleSheet>)";
    const std::string sheet = R"(<worksheet><sheetData>
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
        <row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="1"><v>45251</v></c><c r="C3" s="2"><v>12.5</v></c><c r="D3"><v>491516538289</v></c><c r="E3" t="b"><v>1</v></c></row>
        <row r="4"><c r="A4" t="inlineStr"><is><t>Sova</t></is></c><c r="B4" s="3"><v>45251.5</v></c><c r="C4" t="str"><v>=A1</v></c></row>
      </sheetData></worksheet>)";
    auto s = read_spreadsheet(xlsx(sheet, shared, styles));
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->format, "xlsx");
    EXPECT_EQ(s->sheets, (std::vector<std::string>{"Residents", "Other"}));
    EXPECT_EQ(s->sheet, "Residents");
    ASSERT_EQ(s->table.records.size(), 3u);
    EXPECT_EQ(s->table.records[1].line, 3u);  // the sheet's own row number
    EXPECT_EQ(s->table.records[1].fields, (std::vector<std::string>{"Гром", "2023-11-21", "12.5", "491516538289", "TRUE"}));
    EXPECT_EQ(s->table.records[2].fields, (std::vector<std::string>{"Sova", "2023-11-21 12:00", "=A1", "", ""}));
    auto other = read_spreadsheet(xlsx(sheet, shared, styles), "Other");
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(other->table.records.at(0).fields.at(0), "second");
    auto missing = read_spreadsheet(xlsx(sheet, shared, styles), "Nope");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().field, "sheet");
}

TEST(Spreadsheet, AnOdsSheetReadsAsTheProgramStoredIt) {
    const std::string table = R"(<table:table table:name="Лист1">
        <table:table-row><table:table-cell office:value-type="string"><text:p>Pseudonym</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Born</text:p></table:table-cell></table:table-row>
        <table:table-row><table:table-cell office:value-type="string"><text:p>Гром</text:p><text:p>second<text:s text:c="2"/>line</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="1975-05-28T00:00:00"><text:p>28.05.75</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="491516538289"><text:p>4.9E+11</text:p></table:table-cell></table:table-row>
        <table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
        <table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="string"><text:p>Twice</text:p></table:table-cell></table:table-row>
      </table:table><table:table table:name="Second"><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>)";
    auto s = read_spreadsheet(ods(table));
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->format, "ods");
    EXPECT_EQ(s->sheets, (std::vector<std::string>{"Лист1", "Second"}));
    ASSERT_EQ(s->table.records.size(), 4u);
    EXPECT_EQ(s->table.records[1].fields, (std::vector<std::string>{"Гром\nsecond  line", "1975-05-28", "491516538289"}));
    EXPECT_EQ(s->table.records[2].line, 1048573u);  // the empty rows counted, never kept
    EXPECT_EQ(s->table.records[3].fields.at(0), "Twice");
    auto second = read_spreadsheet(ods(table), "Second");
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->table.records.size(), 1u);
}

TEST(Spreadsheet, HostileWorkbooksAreRefusedWithAReason) {
    const std::string zeros(80u << 20, '0');  // deflates to ~80 KB, inflates past the 64 MiB limit
    const std::string bomb =
        xlsx("<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>" + zeros + "</t></is></c></row></sheetData></worksheet>");
    EXPECT_LT(bomb.size(), 1u << 20);
    const Case_ cases[] = {
        {"a zip bomb", bomb},
        {"a truncated archive", xlsx("<worksheet/>").substr(0, 200)},
        {"an archive of something else", zip_bytes({{"readme.txt", "hello"}})},
        {"broken XML", xlsx("<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></row></worksheet>")},
        {"an entity expansion",
         xlsx(
             R"(<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&f;&f;&f;&f;</t></is></c></row></sheetData></worksheet>)")},
        {"a shared string that is not there", xlsx(R"(<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData></worksheet>)")},
        {"a cell in the wrong row", xlsx(R"(<worksheet><sheetData><row r="1"><c r="A9"><v>1</v></c></row></sheetData></worksheet>)")},
        {"a column past the limit", xlsx(R"(<worksheet><sheetData><row r="1"><c r="ZZ1"><v>1</v></c></row></sheetData></worksheet>)")},
        {"rows out of order",
         xlsx(R"(<worksheet><sheetData><row r="5"><c r="A5"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row></sheetData></worksheet>)")},
        {"a repeated row past the limit",
         ods(R"(<table:table table:name="a"><table:table-row table:number-rows-repeated="100001"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>)")},
        {"a repeated cell past the limit",
         ods(R"(<table:table table:name="a"><table:table-row><table:table-cell table:number-columns-repeated="300" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>)")},
        {"an ods without its mimetype", zip_bytes({{"content.xml", "<x/>"}})},
    };
    for (const auto& c : cases) {
        auto s = read_spreadsheet(c.bytes);
        EXPECT_FALSE(s.ok()) << c.what;
        if (!s.ok()) {
            EXPECT_EQ(s.error().field, "file") << c.what;
            EXPECT_FALSE(s.error().message.empty()) << c.what;
        }
    }
}

// More of what an attacker sends, each of which once took the reader's memory (an attack review): a repeat count
// that wraps around, one long cell repeated across rows and columns, one shared text used by every cell, XML
// nested millions deep. Each is refused within the limits, quickly.
TEST(Spreadsheet, RepeatsAndNestingCannotTakeTheMemory) {
    const std::string cell = "<table:table-cell office:value-type=\"string\"><text:p>" + std::string(10000, 'x') + "</text:p></table:table-cell>";
    std::string shared_sheet = "<worksheet><sheetData>";
    for (int r = 1; r <= 20000; ++r) shared_sheet += "<row r=\"" + std::to_string(r) + "\"><c t=\"s\"><v>0</v></c><c t=\"s\"><v>0</v></c></row>";
    shared_sheet += "</sheetData></worksheet>";
    std::string deep = "<worksheet>";
    for (int i = 0; i < 100000; ++i) deep += "<a>";
    const Case_ cases[] = {
        {"a repeat count that wraps around",
         ods(R"(<table:table table:name="a"><table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell><table:table-cell table:number-columns-repeated="18446744073709551615" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>)")},
        {"a long cell repeated", ods("<table:table table:name=\"a\"><table:table-row table:number-rows-repeated=\"20000\">" +
                                     std::string("<table:table-cell table:number-columns-repeated=\"199\" office:value-type=\"string\"><text:p>") +
                                     std::string(10000, 'x') + "</text:p></table:table-cell></table:table-row></table:table>")},
        {"one shared text in every cell", xlsx(shared_sheet, "<sst><si><t>" + std::string(9000, 'y') + "</t></si></sst>")},
        {"XML nested deep", xlsx(deep)},
        {"one paragraph too long", ods("<table:table table:name=\"a\"><table:table-row>" + cell + cell.substr(0, 60) + std::string(50000, 'z') +
                                       "</text:p></table:table-cell></table:table-row></table:table>")},
    };
    for (const auto& c : cases) {
        const auto started = std::chrono::steady_clock::now();
        auto s = read_spreadsheet(c.bytes, {}, {20001, 200, 10000});
        EXPECT_FALSE(s.ok()) << c.what;
        if (!s.ok()) {
            EXPECT_EQ(s.error().field, "file") << c.what;
        }
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5)) << c.what;
    }
}

// What Haven writes, other programs read (LibreOffice's openpyxl-compatible reader: Python's openpyxl).
TEST(Spreadsheet, TheWorkbookWrittenOpensInOpenpyxl) {
    auto book = write_xlsx("people", {{"pseudonym", "notes"}, {"=cmd|' /C calc'!A0", "Нужен «récépissé» & <срочно>\nвторая строка"}});
    ASSERT_TRUE(book.ok());
    auto back = read_spreadsheet(*book);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->table.records.at(1).fields.at(1), "Нужен «récépissé» & <срочно>\nвторая строка");
    const std::string path = ::testing::TempDir() + "/haven-written.xlsx";
    {
        std::ofstream out(path, std::ios::binary);
        out << *book;
    }
    const std::string command =
        "/usr/bin/python3 -c \"import sys, openpyxl; s = openpyxl.load_workbook(sys.argv[1]).active; "
        "print(s['A2'].value, s['A2'].data_type, s['A1'].font.b)\" " +
        path + " 2>&1";
    std::string out;
    if (FILE* pipe = popen(command.c_str(), "r")) {
        char buffer[512];
        while (fgets(buffer, sizeof buffer, pipe)) out += buffer;
        pclose(pipe);
    }
    std::remove(path.c_str());
    EXPECT_EQ(out, "=cmd|' /C calc'!A0 s True\n") << "a string, not a formula";
}

TEST(Spreadsheet, SerialDatesAsExcelCountsThem) {
    EXPECT_EQ(serial_date(1), "1900-01-01");  // before March 1900, Excel counts a 29 February that never was
    EXPECT_EQ(serial_date(61), "1900-03-01");
    EXPECT_EQ(serial_date(27906), "1976-05-26");
    EXPECT_EQ(serial_date(45251), "2023-11-21");
    EXPECT_EQ(serial_date(45251.75), "2023-11-21 18:00");
    EXPECT_EQ(serial_date(0, true), "1904-01-01");
    EXPECT_EQ(serial_date(-1), "");
    EXPECT_EQ(serial_date(1e300), "");
}

}  // namespace
}  // namespace haven::text
