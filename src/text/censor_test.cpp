// The censor check warns on what colonies withhold letters for, word by word, and on little else.
#include "text/censor.hpp"

#include <gtest/gtest.h>

namespace haven::text {
namespace {

std::string kinds(const std::vector<CensorWarning>& ws) {
    std::string out;
    for (const auto& w : ws) out += w.kind + (w.topic.empty() ? "" : ":" + w.topic) + "=" + w.word + " ";
    return out;
}

TEST(Censor, WarnsOnTheTopicsLatinWordsAndCiphers) {
    const auto rules = default_censor_rules();
    const std::string letter = "Привет, Лёша! Читала про МОБИЛИЗАЦИЮ и Putin, жду приговора. Встретимся у СИЗО-2, обнимаю.";
    const auto ws = censor_check(letter, rules);
    EXPECT_EQ(kinds(ws), "topic:war=МОБИЛИЗАЦИЮ latin=Putin topic:case=приговора cipher=СИЗО-2 ");
    for (const auto& w : ws) EXPECT_EQ(letter.substr(w.offset, w.word.size()), w.word) << "offsets point at the word";
    // An abbreviation alone, a Belarusian letter, LGBT topics, the state.
    EXPECT_EQ(kinds(censor_check("Як справы? ФСБ, гей-парад і Лукашенко.", rules)),
              "cipher=ФСБ topic:state=ФСБ topic:lgbt=гей-парад topic:state=Лукашенко ");
    // Belarusian wording: the war, the sentence, the protests.
    EXPECT_EQ(kinds(censor_check("Пра вайну не пішу. Прысуд быў цяжкі, пратэсты памятаю.", rules)),
              "topic:war=вайну topic:case=Прысуд topic:state=пратэсты ");
}

TEST(Censor, AnOrdinaryLetterPassesCleanAndAccentsStayInTheirWord) {
    const auto rules = default_censor_rules();
    for (const auto& [letter, expected] : std::vector<std::pair<std::string, std::string>>{
             {"Поздравляю с днём рождения! 12 мая мы все думали о тебе. Своими словами: держись, свобода близко.", ""},
             {"Мама передаёт привет. Кот спит на твоём свитере.", ""},
             {"Прочитала «Анну Каренину».", ""},
             {"", ""},
             // A stress mark and a decomposed й do not split a word or hide a topic.
             {"Про мобили\u0301зацию не пишу. Геро\u0306.", "topic:war=мобили\u0301зацию "},
             // Latin beyond the first blocks (ẞ, fullwidth) is Latin.
             {"ẞtraße и ＰＵＴＩＮ", "latin=ẞtraße latin=ＰＵＴＩＮ "},
         })
        EXPECT_EQ(kinds(censor_check(letter, rules)), expected) << letter;
}

TEST(Censor, RulesAreDataAndLimitsHold) {
    CensorRules mine{{{"sport", {"футбол", "хоккей$"}}}};
    EXPECT_EQ(kinds(censor_check("Футбольный матч и хоккей, хоккеист.", mine)), "topic:sport=Футбольный topic:sport=хоккей ");
    std::string long_letter;
    for (int i = 0; i < 1000; ++i) long_letter += "Putin ";
    EXPECT_EQ(censor_check(long_letter, mine, 10).size(), 10u);
    EXPECT_EQ(censor_check(std::string(70 * 1024, ' ') + "Putin", mine).size(), 0u) << "nothing past 64 KiB";
    EXPECT_EQ(kinds(censor_check("\xff\xfe Путин\xd0", default_censor_rules())), "topic:state=Путин ");
}

}  // namespace
}  // namespace haven::text
