#include "text/csv.hpp"

#include <gtest/gtest.h>

namespace haven::text {
namespace {

TEST(Csv, ReadsQuotedFieldsWithDelimitersQuotesAndLineBreaks) {
    auto t = parse_csv("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"line one\r\nline two\"\r\nlast,,\r\n");
    ASSERT_TRUE(t.ok());
    ASSERT_EQ(t->records.size(), 3u);
    EXPECT_EQ(t->records[1].fields, (std::vector<std::string>{"x, y", "say \"hi\"", "line one\nline two"}));
    EXPECT_EQ(t->records[1].line, 2u);
    EXPECT_EQ(t->records[2].line, 4u);  // the record after a two-line field starts on line 4
    EXPECT_EQ(t->records[2].fields, (std::vector<std::string>{"last", "", ""}));
}

TEST(Csv, SniffsSemicolonAndTabAndSkipsTheBom) {
    auto semi = parse_csv("\xEF\xBB\xBFname;date\nАнна;01.02.1990\n");
    ASSERT_TRUE(semi.ok());
    EXPECT_EQ(semi->delimiter, ';');
    EXPECT_EQ(semi->records[0].fields[0], "name");
    EXPECT_EQ(semi->records[1].fields[0], "Анна");
    auto tab = parse_csv("a\tb\n1\t2");
    ASSERT_TRUE(tab.ok());
    EXPECT_EQ(tab->delimiter, '\t');
    EXPECT_EQ(tab->records[1].fields, (std::vector<std::string>{"1", "2"}));
}

TEST(Csv, LeavesOutBlankRowsAndReadsCrOnlyLineEnds) {
    auto t = parse_csv("a,b\r,\r1,2\r\r");
    ASSERT_TRUE(t.ok());
    ASSERT_EQ(t->records.size(), 2u);
    EXPECT_EQ(t->records[1].line, 3u);
}

TEST(Csv, RefusesUnclosedQuotesBadUtf8AndPassingLimits) {
    auto open = parse_csv("a,b\n1,\"never closed\n2,3\n");
    ASSERT_FALSE(open.ok());
    EXPECT_EQ(open.error().field, "file");
    EXPECT_NE(open.error().message.find("Line 2"), std::string::npos);
    auto latin1 = parse_csv("a\n\xE9t\xE9\n");  // Windows-1252 "été"
    ASSERT_FALSE(latin1.ok());
    EXPECT_NE(latin1.error().message.find("UTF-8"), std::string::npos);
    EXPECT_FALSE(parse_csv("a\n1\n2\n3\n", {2, 10, 100}).ok());
    EXPECT_FALSE(parse_csv("a,b,c\n", {10, 2, 100}).ok());
    EXPECT_FALSE(parse_csv("\"" + std::string(200, 'x') + "\"", {10, 10, 100}).ok());
}

TEST(Csv, WriterQuotesAndDisarmsFormulas) {
    EXPECT_EQ(csv_field("plain"), "plain");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
    EXPECT_EQ(csv_field("=HYPERLINK(\"http://evil\")"), "\"'=HYPERLINK(\"\"http://evil\"\")\"");
    EXPECT_EQ(csv_field("+49 151"), "'+49 151");
    EXPECT_EQ(csv_field("-1+2"), "'-1+2");
    EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csv_line({"a", "b;c", ""}), "a,\"b;c\",\r\n");
    auto back = parse_csv(csv_line({"Шевченко", "x\ny", "q\"r"}));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->records[0].fields, (std::vector<std::string>{"Шевченко", "x\ny", "q\"r"}));
}

}  // namespace
}  // namespace haven::text
