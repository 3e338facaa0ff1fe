// The SQL of key rotation (rotation.hpp): the sealed values of one column, page by page, and replacing one only
// while it still holds what was read. Table and column names come from rotation's own list, never from a request.
#pragma once

#include <optional>
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

// Wrong unseal attempts by source (unseal_throttle.hpp), shared by the processes of a store.
struct SourceCount {
    int failures = 0;
    int64_t next_allowed_ms = 0, last_failure_ms = 0;
};
std::optional<SourceCount> source_count(Tx& tx, const std::string& source);
void save_source_count(Tx& tx, const std::string& source, const SourceCount& count);
// Sources other than `except` with a failure at or after `since`; and forgetting those quieter than that.
int64_t recent_sources(Tx& tx, const std::string& except, int64_t since);
void forget_sources_before(Tx& tx, int64_t before);
void forget_all_sources(Tx& tx);
int64_t sources_but(Tx& tx, const std::string& except);

}  // namespace haven::vault::store
