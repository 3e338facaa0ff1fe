#include "web/i18n.hpp"

#include "web/assets.hpp"

#include <gtest/gtest.h>

namespace haven::web {
namespace {

TEST(Messages, EveryCatalogueHasTheSameKeysAndValidPatterns) {
    const auto& m = Messages::shipped();
    ASSERT_EQ(m.locales(), (std::vector<std::string>{"en", "de", "fr", "ru", "uk"}));
    const auto* en = m.catalogue("en");
    for (const auto& locale : m.locales()) {
        const auto* cat = m.catalogue(locale);
        ASSERT_NE(cat, nullptr);
        for (const auto& [key, pattern] : *en) EXPECT_TRUE(cat->count(key)) << locale << " lacks " << key;
        for (const auto& [key, pattern] : *cat) {
            EXPECT_TRUE(en->count(key)) << locale << " has an extra key " << key;
            std::string out;
            EXPECT_TRUE(format_message(locale, pattern,
                                       {{"count", int64_t(1)},
                                        {"minutes", int64_t(1)},
                                        {"name", std::string("x")},
                                        {"id", std::string("x")},
                                        {"engine", std::string("x")},
                                        {"time", std::string("x")},
                                        {"what", std::string("x")},
                                        {"rows", int64_t(2)},
                                        {"errors", int64_t(0)},
                                        {"done", int64_t(1)},
                                        {"total", int64_t(5)}},
                                       out))
                << locale << " " << key;
        }
    }
}

// Every language has every key, with the same arguments as the English, and each plural a branch for every
// category the language's whole numbers take (a Ukrainian "few" missing would print the "other" form for 3).
TEST(Messages, EveryLanguageHasEveryKeyItsArgumentsAndItsPluralForms) {
    const auto& m = Messages::shipped();
    ASSERT_EQ(integer_plural_categories("uk"), (std::set<std::string>{"one", "few", "many"}));  // "other" is for fractions
    ASSERT_EQ(integer_plural_categories("fr"), (std::set<std::string>{"one", "other"}));
    const auto* en = m.catalogue("en");
    for (const auto& locale : m.locales()) {
        auto needed = integer_plural_categories(locale);
        needed.insert("other");  // MessageFormat's fallback, required by its syntax
        const auto* cat = m.catalogue(locale);
        for (const auto& [key, english] : *en) {
            const auto found = cat->find(key);
            if (found == cat->end()) continue;  // reported by the test above
            const auto want = shape_of(english), got = shape_of(found->second);
            ASSERT_TRUE(want && got) << locale << " " << key;
            EXPECT_EQ(got->arguments, want->arguments) << locale << " " << key << ": " << found->second;
            for (const auto& plural : got->plurals)
                for (const auto& category : needed)
                    EXPECT_TRUE(plural.count(category)) << locale << " " << key << " lacks the plural form " << category;
        }
    }
    EXPECT_FALSE(shape_of("{count, plural, one {#} other {#}").has_value());
    EXPECT_EQ(shape_of("{n, plural, =0 {none} one {# of {total}} other {#}}")->plurals.at(0), (std::set<std::string>{"one", "other"}));
    EXPECT_EQ(shape_of("{n, plural, =0 {none} one {# of {total}} other {#}}")->arguments, (std::set<std::string>{"n", "total"}));
}

// The member app's and its service worker's own words (JavaScript: they run on the phone, offline) exist in every
// language the server's pages do.
TEST(Messages, TheMemberAppSpeaksEveryLanguage) {
    for (const char* file : {"network-member.js", "network-sw.js"}) {
        const std::string& url = asset_url(file);
        const Asset* asset = find_asset(url.substr(url.rfind('/') + 1));
        ASSERT_NE(asset, nullptr) << file;
        for (const auto& locale : Messages::shipped().locales())
            EXPECT_NE(asset->body.find("  " + locale + ": {"), std::string_view::npos) << file << " lacks " << locale;
    }
}

TEST(Messages, UkrainianPluralsFollowCldr) {
    const auto& m = Messages::shipped();
    for (int64_t n : {1, 2, 5, 11, 21, 22, 25}) {
        const std::string uk = m.t("uk", "home.schema", {{"count", n}}), ru = m.t("ru", "home.schema", {{"count", n}});
        EXPECT_NE(uk.find(std::to_string(n)), std::string::npos) << uk;
        EXPECT_NE(uk, ru) << "not Russian: " << uk;
    }
    // 2 and 22 share a form ("few"), 5 and 11 another ("many"), 1 and 21 a third ("one").
    auto form = [&](int64_t n) {
        std::string s = m.t("uk", "home.schema", {{"count", n}});
        return s.replace(s.find(std::to_string(n)), std::to_string(n).size(), "#");
    };
    EXPECT_EQ(form(2), form(22));
    EXPECT_EQ(form(5), form(11));
    EXPECT_EQ(form(1), form(21));
    EXPECT_NE(form(1), form(2));
    EXPECT_NE(form(2), form(5));
}

TEST(Messages, DatesAreWrittenAsEachLanguageWritesThem) {
    EXPECT_EQ(format_date("en", "2026-11-30"), "30 Nov 2026");
    EXPECT_EQ(format_date("de", "2026-11-30"), "30.11.2026");
    EXPECT_EQ(format_date("fr", "2026-11-30", "long"), "30 novembre 2026");
    EXPECT_EQ(format_date("uk", "2026-11-30", "day"), "понеділок, 30 листопада");
    EXPECT_EQ(format_date("ru", "2026-11-30", "day"), "понедельник, 30 ноября");
    EXPECT_EQ(format_date("en", "2026-11-30", "day"), "Monday, 30 November");
    for (const char* not_a_date : {"", "2026-13-01", "30.11.2026", "soon"}) EXPECT_EQ(format_date("fr", not_a_date), not_a_date);
}

TEST(Messages, RussianPluralsFollowCldr) {
    const auto& m = Messages::shipped();
    struct Case {
        int64_t n;
        const char* want;
    };
    const Case cases[] = {
        {1, "применена 1 миграция базы данных"},   {2, "применены 2 миграции базы данных"},   {5, "применено 5 миграций базы данных"},
        {11, "применено 11 миграций базы данных"}, {21, "применена 21 миграция базы данных"}, {22, "применены 22 миграции базы данных"},
    };
    for (const auto& c : cases) EXPECT_EQ(m.t("ru", "home.schema", {{"count", c.n}}), c.want) << c.n;
    EXPECT_EQ(m.t("en", "home.schema", {{"count", int64_t(1)}}), "1 database migration applied");
    EXPECT_EQ(m.t("en", "home.schema", {{"count", int64_t(3)}}), "3 database migrations applied");
}

TEST(Messages, FallsBackToEnglishThenKey) {
    Messages m(std::vector<EmbeddedFile>{{"en.txt", "a = A\nb = B\n"}, {"ru.txt", "a = А\n"}});
    EXPECT_EQ(m.t("ru", "a"), "А");
    EXPECT_EQ(m.t("ru", "b"), "B");
    EXPECT_EQ(m.t("de", "a"), "A");
    EXPECT_EQ(m.t("ru", "missing.key"), "missing.key");
}

TEST(Messages, NegotiatesAcceptLanguage) {
    const auto& m = Messages::shipped();
    struct Case {
        const char* header;
        const char* want;
    };
    const Case cases[] = {
        {"ru-RU,ru;q=0.9,en;q=0.8", "ru"},
        {"de-DE,de;q=0.9,en;q=0.5", "de"},
        {"es-ES,es;q=0.9,en;q=0.5", "en"},
        {"en;q=0.2, ru;q=0.7", "ru"},
        {"fr", "fr"},
        {"uk-UA", "uk"},
        {"es", ""},
        {"", ""},
        {"ru;q=abc", ""},
        {"RU", "ru"},
        {"*", ""},
    };
    for (const auto& c : cases) EXPECT_EQ(m.negotiate(c.header), c.want) << c.header;
}

}  // namespace
}  // namespace haven::web
