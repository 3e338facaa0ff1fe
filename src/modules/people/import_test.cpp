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
