// Candidates from a truncated blind index of names (crypto/blind_index.hpp), shared by every table that keeps one
// (people_names, prisoner_names): rows (value, owner) where owner is the record that holds the value. Nothing here
// decrypts; the caller confirms the candidates after opening them.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "storage/db.hpp"

namespace haven::storage {

struct NameIndex {
    const char* table;  // "people_names"
    const char* owner;  // "person_id"
};

// The SQL parameters `$first` … for `count` bound values, for an IN list: "$3, $4, $5" for first 3, count 3.
std::string in_list(size_t first, size_t count);

// The rows of a multi-row VALUES, numbered from $1: "($1, $2), ($3, $4)" for 2 rows of 2 columns.
std::string values_rows(size_t rows, size_t columns);
// How many of `remaining` rows the next multi-row INSERT takes, at most `most` (Tx::rows_per_insert): all of them up
// to 32, else `most` or 32 at a time. Many rows a statement, and few distinct SQL texts (each is prepared once per
// connection).
size_t rows_per_insert(size_t remaining, size_t most = 128);

void replace_values(Tx& tx, const NameIndex& index, int64_t owner, const std::set<int64_t>& values);
// Adds rows (value, owner) for owners that hold none yet (new records): no DELETE first.
void add_values(Tx& tx, const NameIndex& index, const std::vector<std::pair<int64_t, int64_t>>& rows);
// Who holds this value; nobody if more than `most` do.
std::vector<int64_t> bearers_of(Tx& tx, const NameIndex& index, int64_t value, size_t most);
// Who holds a value of every set (each set: the values of one word), those holding the most of all the values
// first (then by id), at most `limit`.
std::vector<int64_t> holding_every(Tx& tx, const NameIndex& index, const std::vector<std::set<int64_t>>& words, size_t limit);

}  // namespace haven::storage
