// Ids of new rows, for every module's store.
#pragma once

#include <cstdint>

namespace haven {

int64_t new_id();  // random, 1 .. 2^53-1 (exact in a JSON number)

}  // namespace haven
