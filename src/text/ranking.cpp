#include "text/ranking.hpp"

#include <algorithm>

#include "text/names.hpp"
#include "text/romanize.hpp"

namespace haven::text {

bool is_patronymic(std::string_view w) {
    for (std::string_view end : {"ич", "вна", "ична", "ich", "itch", "itsch", "vna", "wna", "ichna", "itchna", "itschna"})
        if (w.size() > end.size() + 2 && w.ends_with(end)) return true;  // a stem before the ending
    return false;
}

namespace {

// A folded Cyrillic word in every scheme, folded; and with each е read as the ё folding may have hidden
// (Алфёров: Alfyorov, Alfiorov, Alfjorow).
std::vector<std::string> romanized(const std::string& word) {
    std::vector<std::string> readings = {word};
    const std::string e = "е", yo = "ё";
    for (size_t at = word.find(e); at != std::string::npos; at = word.find(e, at + e.size()))
        readings.push_back(word.substr(0, at) + yo + word.substr(at + e.size()));
    std::vector<std::string> out;
    for (const auto& r : readings)
        for (Scheme s : {Scheme::passport, Scheme::english, Scheme::french, Scheme::german}) out.push_back(fold(romanize(r, s)));
    return out;
}

bool cyrillic(const std::string& folded) { return !folded.empty() && (static_cast<unsigned char>(folded[0]) & 0xFC) == 0xD0; }  // U+0400–U+04FF

bool among(const std::string& word, const std::vector<std::string>& list) { return std::find(list.begin(), list.end(), word) != list.end(); }

// A name word written exactly as a scheme writes the query word, or the other way round. A candidate's words are
// romanized here, only when they spell alike — most candidates never get this far.
bool written_as(const KeyedWord& query, const KeyedWord& name) {
    if (among(name.folded, query.romanized)) return true;
    if (!name.romanized.empty()) return among(query.folded, name.romanized);
    return cyrillic(name.folded) && among(query.folded, romanized(name.folded));
}

bool meet_keys(const std::set<std::string>& a, const std::set<std::string>& b) {
    return std::any_of(a.begin(), a.end(), [&](const std::string& k) { return b.count(k) > 0; });
}

// One word's keys, its place in a name aside (see patronymic).
KeyedWord key_word(const std::string& w, const std::vector<KeyedWord>* query) {
    KeyedWord k;
    k.skeleton = word_keys(w);
    const bool may_meet = !query || std::any_of(query->begin(), query->end(), [&](const KeyedWord& q) { return meet_keys(q.skeleton, k.skeleton); });
    if (may_meet) k.spelled = spelling_keys(w);
    if (may_meet && w.find("е") != std::string::npos) k.strict = strict_spelling_keys(w);
    if (!query && cyrillic(w)) k.romanized = romanized(w);
    k.folded = w;
    return k;
}

// A patronymic goes with a surname and a given name and never first: Лукашевич Андрей is a surname.
bool patronymic_at(const std::vector<std::string>& all, size_t i) { return all.size() >= 3 && i > 0 && is_patronymic(all[i]); }

std::vector<KeyedWord> keyed(std::string_view name, const std::vector<KeyedWord>* query) {
    std::vector<KeyedWord> out;
    const auto all = words(name);
    for (size_t i = 0; i < all.size(); ++i) {
        out.push_back(key_word(all[i], query));
        out.back().patronymic = patronymic_at(all, i);
    }
    return out;
}

}  // namespace

std::vector<KeyedWord> keyed_words(std::string_view name) { return keyed(name, nullptr); }
std::vector<KeyedWord> keyed_words(std::string_view name, const std::vector<KeyedWord>& query) { return keyed(name, &query); }

std::vector<KeyedWord> Keyer::words(std::string_view name) {
    std::vector<KeyedWord> out;
    const auto all = text::words(name);
    for (size_t i = 0; i < all.size(); ++i) {
        auto it = seen_.find(all[i]);
        if (it == seen_.end()) it = seen_.emplace(all[i], key_word(all[i], query_)).first;
        out.push_back(it->second);
        out.back().patronymic = patronymic_at(all, i);
    }
    return out;
}

Level level(const KeyedWord& q, const KeyedWord& n) {
    if (q.folded == n.folded) return Level::exact;
    if (meet_keys(q.spelled, n.spelled)) return Level::spelled;
    // A word typed in part: its letters begin the name's, in the same script or spelled alike.
    if (q.folded.size() >= 2 && n.folded.size() > q.folded.size() && n.folded.compare(0, q.folded.size(), q.folded) == 0) return Level::prefix;
    for (const auto& a : q.spelled)
        for (const auto& b : n.spelled)
            if (a.size() >= 2 && b.size() > a.size() && b.compare(0, a.size(), a) == 0) return Level::prefix;
    if (meet_keys(q.skeleton, n.skeleton)) return Level::skeleton;
    return Level::none;
}

Met meet(const std::vector<KeyedWord>& query, const std::vector<std::vector<KeyedWord>>& names) {
    Met best;
    for (size_t i = 0; i < names.size(); ++i) {
        Met m;
        m.name = int(i);
        m.at.assign(query.size(), -1);
        std::vector<bool> used(names[i].size(), false);
        for (size_t q = 0; q < query.size(); ++q) {
            int top = 0, where = -1;
            for (size_t w = 0; w < names[i].size(); ++w) {
                if (used[w]) continue;  // two query words do not meet the same word
                const Level l = level(query[q], names[i][w]);
                int s = int(l) * 10;
                // Spelled alike only by reading an е as ё counts a little less (Beresow: Березов before Березев).
                if (l == Level::spelled) {
                    const auto& a = query[q].strict.empty() ? query[q].spelled : query[q].strict;
                    const auto& b = names[i][w].strict.empty() ? names[i][w].spelled : names[i][w].strict;
                    if (meet_keys(a, b)) s += 2;
                    if (written_as(query[q], names[i][w])) s += 5;
                }
                if (s && names[i][w].patronymic) s -= 15;  // a patronymic met is worth less than a surname or a given name
                if (s > top) top = s, where = int(w);
            }
            if (where < 0) continue;
            used[size_t(where)] = true;
            const Level l = level(query[q], names[i][size_t(where)]);
            m.weakest = m.words == 0 ? l : std::min(m.weakest, l);
            m.at[q] = where;
            m.words += 1;
            m.score += top;
        }
        if (m.words > best.words || (m.words == best.words && m.score > best.score)) best = std::move(m);
    }
    return best;
}

std::vector<size_t> best_first(const std::vector<Met>& met, const std::vector<int64_t>& active_at) {
    int most = 0;
    bool spelled_out = false;
    for (const auto& m : met) most = std::max(most, m.words);
    for (const auto& m : met) spelled_out = spelled_out || (m.words == most && m.weakest >= Level::prefix);
    std::vector<size_t> out;
    for (size_t i = 0; i < met.size(); ++i)
        if (most > 0 && met[i].words == most && (!spelled_out || met[i].weakest >= Level::prefix)) out.push_back(i);
    std::stable_sort(out.begin(), out.end(), [&](size_t a, size_t b) {
        if (met[a].score != met[b].score) return met[a].score > met[b].score;
        return active_at[a] > active_at[b];
    });
    return out;
}

bool likely_same_person(const std::vector<std::vector<KeyedWord>>& a, const std::vector<std::vector<KeyedWord>>& b) {
    // Two different words of a legal name each meet a different word of one of the other's, patronymics aside.
    for (size_t i = 1; i < a.size(); ++i)
        for (size_t j = 1; j < b.size(); ++j) {
            int met = 0;
            std::vector<bool> used(b[j].size(), false);
            for (const auto& x : a[i]) {
                if (x.patronymic) continue;
                for (size_t w = 0; w < b[j].size(); ++w)
                    if (!used[w] && !b[j][w].patronymic && level(x, b[j][w]) >= Level::spelled) {
                        used[w] = true;
                        ++met;
                        break;
                    }
            }
            if (met >= 2) return true;
        }
    return false;
}

}  // namespace haven::text
