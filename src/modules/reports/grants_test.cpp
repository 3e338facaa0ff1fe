// Grants as people type them: budget lines, and the checks that name the field at fault.
#include "modules/reports/grants.hpp"

#include <gtest/gtest.h>

namespace haven::reports {
namespace {

TEST(Grants, BudgetLinesAsPeopleTypeThem) {
    auto lines = parse_budget_lines("Rent | 12000 | 8000,50\n\n  Salaries|30000  \nTravel | 500 | \n");
    ASSERT_TRUE(lines.ok()) << lines.error().message;
    ASSERT_EQ(lines->size(), 3u);
    EXPECT_EQ((*lines)[0].label, "Rent");
    EXPECT_EQ((*lines)[0].budget_minor, 1'200'000);
    EXPECT_EQ((*lines)[0].actual_minor, 800'050);
    EXPECT_EQ((*lines)[1].actual_minor, 0);
    EXPECT_EQ(parse_budget_lines(format_budget_lines(*lines))->size(), 3u);
    for (const char* bad : {"Rent", "Rent | 12 000", "Rent | -5", "Rent | 1 | 2 | 3", "Rent | 12.345"}) {
        auto r = parse_budget_lines(bad);
        EXPECT_FALSE(r.ok()) << bad;
    }
}

TEST(Grants, ACheckNamesTheFieldAtFault) {
    Grant g;
    g.title = "Accueil";
    EXPECT_TRUE(check(g).ok());
    auto field = [](Grant x) { return check(x).error().field; };
    Grant bad = g;
    bad.status = "won";
    EXPECT_EQ(field(bad), "status");
    bad = g;
    bad.tranches = {{"2027-01-15", 100, ""}, {"2027-02-30", 100, ""}};
    EXPECT_EQ(field(bad), "tranches[1].due");
    bad = g;
    bad.starts = "2027-06-01";
    bad.ends = "2027-01-01";
    EXPECT_EQ(field(bad), "ends");
    bad = g;
    bad.targets = {{"people_new", 10}, {"people_new", 20}};
    EXPECT_EQ(field(bad), "targets[1].indicator");
    bad = g;
    bad.deadlines = {{"2027-01-01", "", false}};
    bad.deadlines[0].what = "Report \xE2\x80\xAE gnp.exe";  // a right-to-left override
    EXPECT_EQ(field(bad), "deadlines[0].what");
    bad = g;
    bad.currency = "eur";
    EXPECT_EQ(field(bad), "currency");
}

}  // namespace
}  // namespace haven::reports
