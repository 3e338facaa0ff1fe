// The search table: ways one person's name is written, across scripts and romanisation schemes, must meet;
// different people must not.
#include "text/names.hpp"

#include <gtest/gtest.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <random>

namespace haven::text {
namespace {

// Each row: one person, written several ways. Every pair within a row must meet.
const std::vector<std::vector<const char*>> same_people = {
    {"Шевченко", "Shevchenko", "Chevtchenko", "Schewtschenko"},
    {"Хрущёв", "Khrushchev", "Khrouchtchev", "Chruschtschow"},
    {"Жуков", "Zhukov", "Joukov", "Schukow"},
    {"Юрий", "Yuriy", "Iouri", "Jurij", "Yurii"},
    {"Андрей", "Andrey", "Andrei", "Andreï", "Andrej"},
    {"Чайковский", "Tchaikovsky", "Tschaikowski", "Chaykovskiy"},
    {"Цветаева", "Tsvetaeva", "Zwetajewa", "Tsvetayeva"},
    {"Щукин", "Shchukin", "Chtchoukine", "Schtschukin"},
    {"Фёдор", "Fyodor", "Fedor", "Fiodor", "Fjodor"},
    {"Евгений", "Yevgeniy", "Evgeny", "Evgueni", "Jewgeni"},
    {"Наталья", "Natalya", "Natalia", "Natalja"},
    {"Ольга", "Olga", "Olha"},
    {"Галина", "Galina", "Halyna"},
    {"Сергей", "Sergey", "Sergei", "Serguei", "Sergej"},
    {"Алексей", "Aleksey", "Alexei", "Alexeï", "Aleksej"},
    {"Михаил", "Mikhail", "Mikhaïl", "Michail"},
    {"Николай", "Nikolay", "Nikolai", "Nikolaj"},
    {"Дмитрий", "Dmitriy", "Dmitri", "Dmitrij"},
    {"Владимир", "Vladimir", "Wladimir"},
    {"Татьяна", "Tatyana", "Tatiana", "Tatjana"},
    {"Ксения", "Kseniya", "Xenia", "Ksenia"},
    {"Иванов", "Ivanov", "Ivanoff", "Iwanow"},
    {"Кузнецов", "Kuznetsov", "Kouznetsov", "Kusnezow"},
    {"Попов", "Popov", "Popoff", "Popow"},
    {"Соколов", "Sokolov", "Sokoloff", "Sokolow"},
    {"Лебедев", "Lebedev", "Lebedew"},
    {"Козлов", "Kozlov", "Koslow"},
    {"Новиков", "Novikov", "Nowikow"},
    {"Морозов", "Morozov", "Morosow"},
    {"Волков", "Volkov", "Wolkow"},
    {"Соловьёв", "Solovyov", "Soloviev", "Solowjow"},
    {"Васильев", "Vasilyev", "Vassiliev", "Wassiljew"},
    {"Зайцев", "Zaytsev", "Zaitsev", "Saizew"},
    {"Павлов", "Pavlov", "Pawlow"},
    {"Семёнов", "Semyonov", "Semenov", "Semionov", "Semjonow"},
    {"Виноградов", "Vinogradov", "Winogradow"},
    {"Богданов", "Bogdanov", "Bohdanov"},
    {"Воробьёв", "Vorobyov", "Vorobiev", "Worobjow"},
    {"Михайлов", "Mikhaylov", "Mikhailov", "Michailow"},
    {"Беляев", "Belyaev", "Beliaev", "Beljajew"},
    {"Тарасов", "Tarasov", "Tarassov", "Tarassow"},
    {"Оксана", "Oksana", "Oxana"},
    {"Юлия", "Yuliya", "Julia", "Ioulia", "Yulia"},
    {"Олександр", "Oleksandr"},
    {"Александр", "Aleksandr", "Alexandre", "Alexander"},
    {"Лукашенко", "Lukashenka", "Loukachenko"},
    {"Навальный", "Navalny", "Navalnyy", "Nawalny"},
    {"Ходорковский", "Khodorkovsky", "Chodorkowski", "Khodorkovskiy"},
    {"Пётр", "Pyotr", "Piotr", "Petr", "Pjotr"},
    {"Ёлкина", "Yolkina", "Iolkina", "Jolkina", "Elkina"},
    // Whole names: patronymic and order do not matter.
    {"Мария Петровна Смирнова", "Smirnova Maria", "MARIA PETROVNA SMIRNOVA", "Smirnova, Mariya Petrovna"},
    {"Анна-Мария Ковальчук", "Anna Maria Kovalchuk", "Kowaltschuk Anna"},
};

// Pairs of different people that must not meet.
const std::vector<std::pair<const char*, const char*>> different_people = {
    {"Иванов", "Петров"},
    {"Смирнова", "Соколова"},
    {"Анна", "Ирина"},
    {"Сергей", "Евгений"},
    {"Шевченко", "Ковальчук"},
    {"Жуков", "Зуев"},
    {"Мария", "Марина"},
    {"Ольга", "Олеся"},
    {"Борис", "Денис"},
    {"Kuznetsov", "Kozlov"},
    {"Morozov", "Moroz"},
    {"Pavlov", "Popov"},
    {"Navalny", "Nemtsov"},
    {"Tsvetaeva", "Akhmatova"},
    {"Мария Смирнова", "Мария Соколова"},
    {"Dmitri Volkov", "Dmitri Orlov"},
    {"Юлия Навальная", "Юлия Тимошенко"},
};

TEST(Names, SpellingsOfOnePersonMeet) {
    int pairs = 0;
    for (const auto& row : same_people)
        for (size_t i = 0; i < row.size(); ++i)
            for (size_t j = i + 1; j < row.size(); ++j) {
                EXPECT_TRUE(may_be_same_person(row[i], row[j])) << row[i] << " / " << row[j];
                ++pairs;
            }
    EXPECT_GE(pairs, 40);
}

TEST(Names, DifferentPeopleStayApart) {
    for (const auto& [a, b] : different_people) EXPECT_FALSE(may_be_same_person(a, b)) << a << " / " << b;
}

TEST(Names, FoldsAndSplits) {
    EXPECT_EQ(fold("Ёлкина ÉMILIE"), "елкина emilie");
    EXPECT_EQ(words("Анна-Мария  Петровна, O'Neil"), (std::vector<std::string>{"анна", "мария", "петровна", "o", "neil"}));
    EXPECT_TRUE(word_keys("").size() == 1);
}

// fold() takes ASCII and Cyrillic letter by letter from a table and the rest through ICU: both must give what
// ICU's own folding gives, for every letter of the table and for mixed, marked and broken text.
TEST(Names, FoldsAsIcuDoes) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> icu_fold(
        icu::Transliterator::createInstance("NFKD; [:Nonspacing Mark:] Remove; NFC; Any-Lower", UTRANS_FORWARD, status));
    ASSERT_TRUE(U_SUCCESS(status));
    auto by_icu = [&](const std::string& text) {
        icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
        icu_fold->transliterate(u);
        std::string out;
        u.toUTF8String(out);
        return out;
    };
    auto utf8 = [](char32_t c) {
        std::string out;
        icu::UnicodeString(UChar32(c)).toUTF8String(out);
        return out;
    };
    std::vector<char32_t> letters;
    for (char32_t c = 1; c < 0x80; ++c) letters.push_back(c);
    for (char32_t c = 0x400; c < 0x460; ++c) letters.push_back(c);
    for (char32_t c : {0x490, 0x491, 0x300, 0x301, 0x308, 0x306, 0xE9, 0xEF, 0xDF, 0x130, 0x3A3, 0x1E9E, 0xFB01, 0x4E2D}) letters.push_back(c);
    for (char32_t c : letters) EXPECT_EQ(fold(utf8(c)), by_icu(utf8(c))) << std::hex << uint32_t(c);
    std::mt19937 rng(17);
    for (int n = 0; n < 20000; ++n) {
        std::string text;
        for (int i = 0, len = int(rng() % 12); i < len; ++i) text += utf8(letters[rng() % letters.size()]);
        ASSERT_EQ(fold(text), by_icu(text)) << text;
    }
    for (const char* broken : {"\xff", "Ив\xd0", "a\xc3\x28b", "\xed\xa0\x80"}) EXPECT_EQ(fold(broken), by_icu(broken)) << broken;
}

}  // namespace
}  // namespace haven::text
