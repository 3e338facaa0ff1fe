#include "core/ids.hpp"

#include <string>

#include "crypto/random.hpp"

namespace haven {

int64_t new_id() {
    std::string b = crypto::random_bytes(8);
    uint64_t v = 0;
    for (unsigned char c : b) v = (v << 8) | c;
    v &= (uint64_t(1) << 53) - 1;
    return v == 0 ? 1 : int64_t(v);
}

}  // namespace haven
