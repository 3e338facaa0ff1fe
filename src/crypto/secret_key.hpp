// A 32-byte secret in guarded memory (guard pages, mlock), zeroed when destroyed: the vault's keys and those
// derived from them (crypto/vault.hpp). Defined in vault.cpp.
#pragma once

#include <cstddef>
#include <string_view>

namespace haven::crypto {

// 32 bytes in guarded memory (guard pages, mlock), zeroed when destroyed.
class SecretKey {
public:
    SecretKey();  // random
    explicit SecretKey(std::string_view bytes);
    ~SecretKey();
    SecretKey(const SecretKey&) = delete;
    SecretKey& operator=(const SecretKey&) = delete;
    const unsigned char* data() const { return bytes_; }
    static constexpr size_t size = 32;

private:
    unsigned char* bytes_;
};

}  // namespace haven::crypto
