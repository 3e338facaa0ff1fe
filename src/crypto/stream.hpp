// A long stream sealed in chunks (libsodium's secretstream, XChaCha20-Poly1305), each chunk authenticated in
// order and the last one tagged final: a stream cut short, reordered or altered is refused. Backups use it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace haven::crypto {

class SecretKey;

class StreamSealer {
public:
    explicit StreamSealer(const SecretKey& key);
    ~StreamSealer();
    const std::string& header() const { return header_; }  // written before the first chunk
    std::string seal(std::string_view chunk, bool final);

private:
    std::string header_;
    alignas(16) unsigned char state_[64];
};

class StreamOpener {
public:
    static const size_t header_size, overhead;  // bytes of the header; added to each chunk
    // `header` as the sealer wrote it; ok() false when it is not one.
    StreamOpener(const SecretKey& key, std::string_view header);
    ~StreamOpener();
    bool ok() const { return ok_; }
    // The chunk's plaintext, or nullopt when it does not open (altered, out of order, another key); `final` tells
    // whether it was the last.
    std::optional<std::string> open(std::string_view sealed, bool& final);

private:
    bool ok_ = false;
    alignas(16) unsigned char state_[64];
};

}  // namespace haven::crypto
