#include "storage/name_index.hpp"

#include <algorithm>
#include <map>

namespace haven::storage {

std::string in_list(size_t first, size_t count) {
    std::string s;
    for (size_t i = 0; i < count; ++i) s += (i ? ", $" : "$") + std::to_string(first + i);
    return s;
}

std::string values_rows(size_t rows, size_t columns) {
    std::string s;
    for (size_t r = 0; r < rows; ++r) s += (r ? ", (" : "(") + in_list(1 + r * columns, columns) + ")";
    return s;
}

size_t rows_per_insert(size_t remaining, size_t most) {
    if (remaining <= std::min<size_t>(most, 32)) return remaining;
    return remaining >= most ? most : std::min<size_t>(most, 32);
}

void replace_values(Tx& tx, const NameIndex& index, int64_t owner, const std::set<int64_t>& values) {
    tx.exec_later(std::string("DELETE FROM ") + index.table + " WHERE " + index.owner + " = $1", {owner});
    std::vector<std::pair<int64_t, int64_t>> rows;
    for (int64_t v : values) rows.emplace_back(v, owner);
    add_values(tx, index, rows);
}

void add_values(Tx& tx, const NameIndex& index, const std::vector<std::pair<int64_t, int64_t>>& rows) {
    const std::string insert = std::string("INSERT INTO ") + index.table + " (value, " + index.owner + ") VALUES ";
    for (size_t at = 0; at < rows.size();) {
        const size_t n = rows_per_insert(rows.size() - at, tx.rows_per_insert());
        Params params;
        params.reserve(2 * n);
        for (size_t i = at; i < at + n; ++i) {
            params.emplace_back(rows[i].first);
            params.emplace_back(rows[i].second);
        }
        tx.exec_later(insert + values_rows(n, 2), params);
        at += n;
    }
}

std::vector<int64_t> bearers_of(Tx& tx, const NameIndex& index, int64_t value, size_t most) {
    auto ids = rows_as(tx.query_per_values(std::string("SELECT DISTINCT ") + index.owner + " FROM " + index.table + " WHERE value = $1 LIMIT $2",
                                           {value, int64_t(most + 1)}),
                       [](const Row& r) { return r.integer(0); });
    if (ids.size() > most) ids.clear();
    return ids;
}

namespace {

// The rows holding one of `values`, of `among` people only if given: person → how many of the values they hold.
std::map<int64_t, int64_t> holders(Tx& tx, const NameIndex& index, const std::set<int64_t>& values, const std::vector<int64_t>* among) {
    std::map<int64_t, int64_t> out;
    storage::Params params(values.begin(), values.end());
    const std::string which = std::string("SELECT ") + index.owner + " FROM " + index.table + " WHERE value IN (" + in_list(1, values.size()) + ")";
    if (!among) {
        for (const auto& r : tx.query_per_values(which, params)) ++out[r.integer(0)];
        return out;
    }
    constexpr size_t chunk = 500;
    for (size_t at = 0; at < among->size(); at += chunk) {
        storage::Params p = params;
        p.insert(p.end(), among->begin() + at, among->begin() + std::min(among->size(), at + chunk));
        for (const auto& r :
             tx.query_per_values(which + " AND " + index.owner + " IN (" + in_list(params.size() + 1, p.size() - params.size()) + ")", p))
            ++out[r.integer(0)];
    }
    return out;
}

}  // namespace

std::vector<int64_t> holding_every(Tx& tx, const NameIndex& index, const std::vector<std::set<int64_t>>& words, size_t limit) {
    // Rarest word first: its holders are the candidates, and each other word keeps those of them who hold one of
    // its values too — looked up for those candidates alone when that is cheaper than reading all its holders, so
    // that a common given name costs a few lookups, not a read of its thousands. Those holding the most of the
    // query's values come first — a word truly met holds most of its spellings' values, a truncated hash that
    // collides holds one — so that a limit cuts the noise, not the person sought.
    // Rows counted at most per word: enough to find the rarest and to choose between reading a word's holders
    // and looking it up for the candidates; counting further costs (on PostgreSQL, before a vacuum, a heap visit a
    // row) more than it tells. A word at the cap counts as eight times as many.
    constexpr int64_t common = 1024;
    std::vector<std::pair<int64_t, const std::set<int64_t>*>> sized;
    for (const auto& values : words) {
        if (values.empty()) continue;
        storage::Params params(values.begin(), values.end());
        const int64_t rows = tx.query_per_values(std::string("SELECT COUNT(*) FROM (SELECT 1 FROM ") + index.table + " WHERE value IN (" +
                                                     in_list(1, values.size()) + ") LIMIT " + std::to_string(common) + ") AS held",
                                                 params)
                                 .at(0)
                                 .integer(0);
        sized.emplace_back(rows, &values);
    }
    if (sized.empty()) return {};
    std::stable_sort(sized.begin(), sized.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::map<int64_t, int64_t> held = holders(tx, index, *sized[0].second, nullptr);
    for (size_t w = 1; w < sized.size() && !held.empty(); ++w) {
        std::vector<int64_t> ids;
        for (const auto& [id, n] : held) ids.push_back(id);
        // A lookup per candidate and value costs about ten rows read.
        const int64_t rows = sized[w].first >= common ? 8 * common : sized[w].first;
        const bool look_up = int64_t(ids.size() * sized[w].second->size()) * 10 < rows;
        std::map<int64_t, int64_t> next;
        for (const auto& [id, n] : holders(tx, index, *sized[w].second, look_up ? &ids : nullptr))
            if (auto it = held.find(id); it != held.end()) next[id] = it->second + n;
        held = std::move(next);
    }
    std::vector<std::pair<int64_t, int64_t>> ranked(held.begin(), held.end());
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<int64_t> out;
    for (size_t i = 0; i < ranked.size() && i < limit; ++i) out.push_back(ranked[i].first);
    return out;
}

}  // namespace haven::storage
