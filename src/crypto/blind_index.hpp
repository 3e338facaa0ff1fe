// Blind indexes: searchable without decrypting. A value is a keyed BLAKE2b (key from the vault, one per
// index) of a name key (text/names.hpp), truncated so that each value matches several records
// (CipherSweet's rule 2 ≤ R / 2^bits < √R for R records): a stolen database shows which rows share a
// truncated value, not which share a name. Never index a low-entropy flag (deserter, LGBT+, status).
#pragma once

#include <cstdint>
#include <set>
#include <string_view>

#include "crypto/vault.hpp"

namespace haven::crypto {

// Bits for an index over about `expected_records` rows: the largest b with R / 2^b ≥ 2, kept ≥ 1 and
// lowered until R / 2^b < √R holds where it can.
int blind_index_bits(int64_t expected_records);

// The index values of a name (every word, every spelling key), for the index `index_name` ("people.name").
std::set<int64_t> name_index_values(const Vault& vault, std::string_view index_name, std::string_view name, int bits);

// The index value of a whole text as typed (folded), e.g. a pseudonym: finds exact matches first.
int64_t exact_index_value(const Vault& vault, std::string_view index_name, std::string_view text, int bits);

}  // namespace haven::crypto
