#include "modules/people/import.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "text/csv.hpp"

namespace haven::people {
namespace {

constexpr int64_t today = 1795700000000;  // 2026-11-26

std::string shared(const char* name) {
    std::ifstream in(std::string(HAVEN_TEST_DATA) + "/" + name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(Import, GuessesColumnsInFourLanguages) {
    EXPECT_EQ(guess_column("Pseudonym"), Column::pseudonym);
    EXPECT_EQ(guess_column("ФИО (как в паспорте)"), Column::legal_name);
    EXPECT_EQ(guess_column("Name (Latin, passport)"), Column::legal_name);
    EXPECT_EQ(guess_column("Date de naissance"), Column::birth_date);
    EXPECT_EQ(guess_column("Geburtsdatum"), Column::birth_date);
    EXPECT_EQ(guess_column("Дата рождения"), Column::birth_date);
    EXPECT_EQ(guess_column("Date d'arrivée"), Column::arrival_date);
    EXPECT_EQ(guess_column("Telegram"), Column::messenger);
    EXPECT_EQ(guess_column("Téléphone"), Column::phone);
    EXPECT_EQ(guess_column("Sprachen"), Column::languages);
    EXPECT_EQ(guess_column("Примечания"), Column::notes);
    EXPECT_EQ(guess_column("Colonne 12"), Column::ignore);
}

TEST(Import, DatesAsSpreadsheetsWriteThem) {
    EXPECT_EQ(iso_date("28.05.1975"), "1975-05-28");
    EXPECT_EQ(iso_date("8/5/1975"), "1975-05-08");
    EXPECT_EQ(iso_date("1975-05-28"), "1975-05-28");
    EXPECT_EQ(iso_date("1975-05-28 00:00:00"), "1975-05-28");
    EXPECT_EQ(iso_date("31.02.1980"), "1980-02-31");  // check() refuses it, naming the column
    EXPECT_EQ(iso_date("soon"), "soon");
}

TEST(Import, SemicolonSheetFromAFrenchExcel) {
    const std::string csv = "\xEF\xBB\xBFPseudonyme;Nom;Date de naissance;Besoins\r\nGrom;Хохлов Андрей;28/05/1975;juridique, cours\r\n";
    auto plan = plan_import(csv, {}, today);
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    ASSERT_TRUE(plan->errors.empty()) << plan->errors[0].message;
    ASSERT_EQ(plan->people.size(), 1u);
    EXPECT_EQ(plan->people[0].birth_date, "1975-05-28");
    EXPECT_EQ(plan->people[0].needs, (std::vector<std::string>{"legal", "courses"}));
}

TEST(Import, MappingMustNameOnePseudonymColumn) {
    auto plan = plan_import("a,b\n1,2\n", {Column::legal_name, Column::notes}, today);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.error().field, "columns");
    EXPECT_FALSE(plan_import("a,b\n1,2\n", {Column::pseudonym}, today).ok());
}

TEST(Import, TheBadRowOfTheSharedFileIsNamedByLineAndColumn) {
    auto plan = plan_import(shared("residents-2000-bad-row.csv"), {}, today);
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    ASSERT_EQ(plan->errors.size(), 1u);
    EXPECT_EQ(plan->errors[0].line, 1527u);
    EXPECT_EQ(plan->errors[0].column, "Date of birth");
    EXPECT_TRUE(plan->people.empty());  // all or nothing
    EXPECT_EQ(plan->rows, 2000u);
}

TEST(Import, TheGoodFileGivesTwoThousandPeople) {
    auto plan = plan_import(shared("residents-2000.csv"), {}, today);
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_TRUE(plan->errors.empty()) << plan->errors[0].line << " " << plan->errors[0].column << " " << plan->errors[0].message;
    ASSERT_EQ(plan->people.size(), 2000u);
    const Person& first = plan->people[0];
    EXPECT_EQ(first.pseudonym, "Grom1");
    EXPECT_EQ(first.legal_names, (std::vector<std::string>{"Хохлов Андрей Борисович", "KHOKHLOV ANDREI"}));
    EXPECT_EQ(first.birth_date, "1975-05-28");
    EXPECT_EQ(first.languages, (std::vector<std::string>{"ru", "fr"}));
    EXPECT_EQ(first.needs, (std::vector<std::string>{"desk", "studio"}));
    EXPECT_EQ(plan->lines[1], 3u);
}

// The same sheet as people have it (issue 20): the workbook LibreOffice saved, that workbook saved as .ods, the CSV
// as Excel writes it on a Russian Windows (windows-1251, semicolons) and as "Unicode text" (UTF-16, tabs): the
// same 2,000 people, field for field. (windows-1251 has no "é": Excel writes "?", so those notes differ by that.)
TEST(Import, EveryFormOfTheResidentsSheetGivesTheSamePeople) {
    auto csv = plan_import(shared("residents-2000.csv"), {}, today);
    ASSERT_TRUE(csv.ok() && csv->errors.empty());
    EXPECT_EQ(csv->format, "csv");
    EXPECT_EQ(csv->encoding, "UTF-8");
    struct Form {
        const char* file;
        const char* format;
        const char* encoding;
    };
    for (const Form& f : {Form{"residents-2000.xlsx", "xlsx", ""}, Form{"residents-2000.ods", "ods", ""},
                          Form{"residents-2000-cp1251.csv", "csv", "windows-1251"}, Form{"residents-2000-utf16.txt", "csv", "UTF-16LE"}}) {
        auto plan = plan_import(shared(f.file), {}, today);
        ASSERT_TRUE(plan.ok()) << f.file << ": " << plan.error().message;
        EXPECT_TRUE(plan->errors.empty()) << f.file << ": row " << plan->errors[0].row << " " << plan->errors[0].column << " "
                                          << plan->errors[0].message;
        EXPECT_EQ(plan->format, f.format) << f.file;
        EXPECT_EQ(plan->encoding, f.encoding) << f.file;
        EXPECT_EQ(plan->columns, csv->columns) << f.file;
        ASSERT_EQ(plan->people.size(), 2000u) << f.file;
        EXPECT_EQ(plan->row_numbers, csv->row_numbers) << f.file;
        size_t differing = 0;
        for (size_t i = 0; i < 2000; ++i) {
            const Person &a = csv->people[i], &b = plan->people[i];
            std::string notes = a.notes;
            if (std::string_view(f.encoding) == "windows-1251")
                for (size_t at; (at = notes.find("é")) != std::string::npos;) notes.replace(at, 2, "?");
            const bool same = a.pseudonym == b.pseudonym && a.legal_names == b.legal_names && a.birth_date == b.birth_date &&
                              a.nationality == b.nationality && a.languages == b.languages && a.phone == b.phone && a.email == b.email &&
                              a.messenger == b.messenger && a.arrival_date == b.arrival_date && a.status == b.status && a.needs == b.needs &&
                              notes == b.notes;
            if (!same && differing++ < 3)
                ADD_FAILURE() << f.file << " row " << csv->row_numbers[i] << ": " << a.pseudonym << " " << a.birth_date << " " << a.arrival_date
                              << " " << a.phone << " | " << b.pseudonym << " " << b.birth_date << " " << b.arrival_date << " " << b.phone;
        }
        EXPECT_EQ(differing, 0u) << f.file;
    }
}

// The bad row, in the workbook LibreOffice made of the bad CSV, is named by the same row as in the CSV.
TEST(Import, TheBadRowIsTheSameRowInTheWorkbook) {
    auto csv = plan_import(shared("residents-2000-bad-row.csv"), {}, today);
    auto xlsx = plan_import(shared("residents-2000-bad-row.xlsx"), {}, today);
    ASSERT_TRUE(csv.ok() && xlsx.ok());
    ASSERT_EQ(csv->errors.size(), 1u);
    ASSERT_EQ(xlsx->errors.size(), 1u);
    EXPECT_EQ(xlsx->errors[0].row, csv->errors[0].row);
    EXPECT_EQ(xlsx->errors[0].column, "Date of birth");
    EXPECT_EQ(xlsx->errors[0].pseudonym, "Sever1377");
    EXPECT_EQ(xlsx->errors[0].value, csv->errors[0].value);
}

// The export as a workbook imports back as the same people (the export's own column names are understood).
TEST(Import, TheWorkbookExportReadsBack) {
    auto plan = plan_import(shared("residents-2000.csv"), {}, today);
    ASSERT_TRUE(plan.ok() && plan->errors.empty());
    plan->people[0].pseudonym = "=cmd|' /C calc'!A0";  // text in a workbook, never a formula
    auto book = export_xlsx(plan->people);
    ASSERT_TRUE(book.ok()) << book.error().message;
    EXPECT_TRUE(book->starts_with("PK\x03\x04"));
    auto back = plan_import(*book, {}, today);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->format, "xlsx");
    EXPECT_TRUE(back->errors.empty()) << back->errors[0].column << " " << back->errors[0].message;
    ASSERT_EQ(back->people.size(), 2000u);
    for (size_t i = 0; i < 2000; i += 97) {
        EXPECT_EQ(back->people[i].pseudonym, plan->people[i].pseudonym);
        EXPECT_EQ(back->people[i].legal_names, plan->people[i].legal_names);
        EXPECT_EQ(back->people[i].birth_date, plan->people[i].birth_date);
        EXPECT_EQ(back->people[i].phone, plan->people[i].phone);
        EXPECT_EQ(back->people[i].notes, plan->people[i].notes);
    }
}

TEST(Import, ExportReadsBackAndIsSafeToOpen) {
    Person p;
    p.pseudonym = "=cmd|' /C calc'!A0";
    p.legal_names = {"Шевченко Анна"};
    p.phone = "+33 6 99";
    p.notes = "line one\nline two, with \"quotes\"";
    const std::string csv = export_csv({p});
    EXPECT_TRUE(csv.starts_with("\xEF\xBB\xBF"));
    auto table = text::parse_csv(csv);
    ASSERT_TRUE(table.ok());
    ASSERT_EQ(table->records.size(), 2u);
    EXPECT_EQ(table->records[1].fields[0], "'=cmd|' /C calc'!A0");
    EXPECT_EQ(table->records[1].fields[5], "'+33 6 99");
    EXPECT_EQ(table->records[1].fields[11], p.notes);
}

}  // namespace
}  // namespace haven::people
