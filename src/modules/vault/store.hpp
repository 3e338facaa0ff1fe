// The SQL of key rotation (rotation.hpp): the sealed values of one column, page by page, and replacing one only
// while it still holds what was read. Table and column names come from rotation's own list, never from a request.
#pragma once

#include <string>
#include <vector>

#include "storage/db.hpp"

namespace haven::vault::store {

using storage::Tx;

struct SealedValue {
    int64_t id = 0;
    std::string sealed;
};
std::vector<SealedValue> sealed_values(Tx& tx, const std::string& table, const std::string& column, int64_t after_id, int64_t limit);
void replace_sealed(Tx& tx, const std::string& table, const std::string& column, int64_t id, const std::string& fresh, const std::string& old);

}  // namespace haven::vault::store
