// The prison censor's check of a letter to a political prisoner (issue 18): what a Russian or Belarusian colony's
// censor withholds a letter for, as Memorial publishes the rules — the war, the case, LGBT topics, insults of or
// calls against the state; foreign words and Latin script; ciphers and abbreviations. It warns, word by word, so
// that the writer can rephrase before the letter is sent; it never blocks (a coordinator decides).
//
// The topics are stems matched at the start of a folded word (ё as е, any case): "мобилиз" warns on
// "мобилизации"; a stem ending in "$" is a whole word ("сво$": not свой, свобода). Coordinators edit them (CensorRules is plain data);
// default_censor_rules() is the starting set.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace haven::text {

struct CensorTopic {
    std::string name;                // "war", "case", "lgbt", "state": a catalogue key's last part
    std::vector<std::string> stems;  // folded (lower case, ё as е)
};
struct CensorRules {
    std::vector<CensorTopic> topics;
};
CensorRules default_censor_rules();

struct CensorWarning {
    std::string kind;   // "topic", "latin" (a word in Latin script), "cipher" (letters mixed with digits, or an abbreviation)
    std::string topic;  // with "topic": which
    std::string word;   // the word as written
    size_t offset = 0;  // its byte offset in the letter
};

// At most `max_warnings` (the rest are not listed); a letter is at most 64 KiB (longer: nothing is checked past it).
std::vector<CensorWarning> censor_check(std::string_view letter, const CensorRules& rules, size_t max_warnings = 200);

}  // namespace haven::text
