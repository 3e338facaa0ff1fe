#include "crypto/blind_index.hpp"

#include <sodium.h>

#include <cmath>
#include <string>
#include <vector>

#include "text/names.hpp"

namespace haven::crypto {

int blind_index_bits(int64_t records) {
    if (records < 4) return 1;
    int bits = int(std::floor(std::log2(double(records) / 2.0)));
    return std::max(1, std::min(bits, 32));
}

namespace {

int64_t truncated(const SecretKey& key, std::string_view text, int bits) {
    unsigned char h[8];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(text.data()), text.size(), key.data(), SecretKey::size);
    uint64_t v = 0;
    for (unsigned char c : h) v = (v << 8) | c;
    return int64_t(v >> (64 - bits));
}

}  // namespace

std::set<int64_t> name_index_values(const Vault& vault, std::string_view index_name, std::string_view name, int bits) {
    std::vector<std::string> keys;
    for (const auto& word : text::words(name))
        for (const auto& k : text::word_keys(word))
            if (!k.empty()) keys.push_back(k);
    std::set<int64_t> out;
    vault.with_key(KeyPurpose::blind_index, index_name, [&](const SecretKey& key) {
        for (const auto& k : keys) out.insert(truncated(key, k, bits));
    });
    return out;
}

int64_t exact_index_value(const Vault& vault, std::string_view index_name, std::string_view text, int bits) {
    const std::string folded = text::fold(text);
    int64_t out = 0;
    vault.with_key(KeyPurpose::blind_index, index_name, [&](const SecretKey& key) { out = truncated(key, folded, bits); });
    return out;
}

}  // namespace haven::crypto
