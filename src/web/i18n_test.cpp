#include "web/i18n.hpp"

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
