#include "crypto/blind_index.hpp"

#include <sodium.h>

#include <cmath>

#include "text/names.hpp"

namespace haven::crypto {

int blind_index_bits(int64_t records) {
    if (records < 4) return 1;
    int bits = int(std::floor(std::log2(double(records) / 2.0)));
    return std::max(1, std::min(bits, 32));
}

std::set<int64_t> name_index_values(const Vault& vault, std::string_view index_name, std::string_view name, int bits) {
    auto key = vault.subkey(KeyPurpose::blind_index, index_name);
    std::set<int64_t> out;
    for (const auto& word : text::words(name)) {
        for (const auto& k : text::word_keys(word)) {
            if (k.empty()) continue;
            unsigned char h[8];
            crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(k.data()), k.size(), key->data(), SecretKey::size);
            uint64_t v = 0;
            for (unsigned char c : h) v = (v << 8) | c;
            out.insert(int64_t(v >> (64 - bits)));
        }
    }
    return out;
}

}  // namespace haven::crypto
