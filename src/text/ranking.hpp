// Ranking a search's results and judging possible duplicates: how the words of a query meet the names of one
// person, in any spelling (issue 17). Runs on decrypted names only, after the blind index proposed candidates;
// nothing here is stored.
//
// A query word meets a name word at one of these levels, best first:
//   exact     the same folded letters (Иванова / иванова)
//   spelled   the same word in another script or scheme (Иванова / IVANOVA / Iwanowa): spelling_keys meet;
//             written exactly as one of the schemes writes it counts a little more (Gorochenko: German for
//             Горохенко, while Хорошенко only spells alike)
//   prefix    the query word begins the name word (Иван / Иванова, Ivanov / Ivanova)
//   skeleton  only the consonant skeletons meet (Левина / Львовна): what the index matched on
// A patronymic met counts less than a surname or a given name.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace haven::text {

enum class Level { none = 0, skeleton = 1, prefix = 2, spelled = 3, exact = 4 };

// A word, folded, with its keys, computed once.
struct KeyedWord {
    std::string folded;
    std::set<std::string> skeleton, spelled, strict;  // strict: see strict_spelling_keys (empty: as spelled)
    std::vector<std::string> romanized;  // a Cyrillic word as each scheme of text/romanize writes it, folded (not for a candidate's words: see meet)
    bool patronymic = false;             // reads as one, in a name of three words or more, not first
};
std::vector<KeyedWord> keyed_words(std::string_view name);
// The same for a candidate's name, keying finely only the words that can meet the query (their skeleton meets
// one of its words'): most candidates a truncated index proposes meet nothing, and are cheap to turn away.
std::vector<KeyedWord> keyed_words(std::string_view name, const std::vector<KeyedWord>& query);

// Keys the words of many names — a search's candidates — against one query (every word finely without one),
// each distinct word once: namesakes share most of their words (Елена, Ивановна, IVANOVA).
class Keyer {
public:
    explicit Keyer(const std::vector<KeyedWord>* query) : query_(query) {}
    std::vector<KeyedWord> words(std::string_view name);

private:
    const std::vector<KeyedWord>* query_;
    std::unordered_map<std::string, KeyedWord> seen_;
};

// Whether a folded word reads as a patronymic (Петрович, Ивановна, Ильич, PETROVICH, IVANOVNA, Petrowitsch).
bool is_patronymic(std::string_view folded_word);

Level level(const KeyedWord& query, const KeyedWord& name);

// How a query meets one person's names: the best of them.
struct Met {
    int words = 0;                // query words met, at any level
    int score = 0;                // higher is better (levels, patronymics weighed down)
    int name = -1;                // index of the name that met best, -1 none
    std::vector<int> at;          // for each query word, the word of that name it met (-1 none)
    Level weakest = Level::none;  // the lowest level among the words met
};
Met meet(const std::vector<KeyedWord>& query, const std::vector<std::vector<KeyedWord>>& names);

// Which of the candidates to show, best first (indexes into `met`): those meeting the most query words; if some
// meet every word at least as a prefix, not those met by a skeleton alone (Левина Елена, not every Алёна
// Львовна); then by score, then the most recently active (`active_at`, same order as `met`).
std::vector<size_t> best_first(const std::vector<Met>& met, const std::vector<int64_t>& active_at);

// Whether a recorded person is likely the one being recorded again, from their legal names (the first of each
// list, the pseudonym, is not compared: the service compares pseudonyms whole): two words of one name — the
// surname and a given name — meet two words of one of the other's, spelled or exact, patronymics aside.
// Sharing only a surname or only a given name is not enough.
bool likely_same_person(const std::vector<std::vector<KeyedWord>>& a, const std::vector<std::vector<KeyedWord>>& b);

}  // namespace haven::text
