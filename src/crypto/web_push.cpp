#include "crypto/web_push.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "crypto/random.hpp"
#include "crypto/vault.hpp"

namespace haven::crypto {

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Error failed(const std::string& why) { return make_error(ErrorKind::unavailable, "web_push_key", why); }

// P-256's group order n, big-endian: a private key is a scalar in [1, n-1].
constexpr unsigned char order[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                     0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};

// The key from the seed: the seed itself when it is a valid scalar, else its BLAKE2b-256, again (a seed outside
// [1, n-1] has odds of about 2^-32). Encoded as SEC1 ECPrivateKey without the public key, which OpenSSL
// computes on decoding.
Key key_of(const SecretKey& seed) {
    unsigned char d[32];
    std::memcpy(d, seed.data(), 32);
    static constexpr unsigned char zero[32] = {};
    while (std::memcmp(d, order, 32) >= 0 || std::memcmp(d, zero, 32) == 0) crypto_generichash(d, 32, d, 32, nullptr, 0);
    unsigned char der[51] = {0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20};
    std::memcpy(der + 7, d, 32);
    static constexpr unsigned char curve[] = {0xA0, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};  // [0] prime256v1
    std::memcpy(der + 39, curve, sizeof curve);
    sodium_memzero(d, sizeof d);
    const unsigned char* p = der;
    Key key(d2i_PrivateKey(EVP_PKEY_EC, nullptr, &p, sizeof der), &EVP_PKEY_free);
    sodium_memzero(der, sizeof der);
    return key;
}

Result<std::string> public_point(EVP_PKEY* key) {
    unsigned char point[65];
    size_t n = 0;
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof point, &n) != 1 || n != 65 || point[0] != 4)
        return failed("the push key's public point could not be encoded");
    return std::string(reinterpret_cast<char*>(point), n);
}

// ES256 as JWS wants it: r ‖ s, 32 bytes each (OpenSSL gives DER).
Result<std::string> sign_es256(EVP_PKEY* key, std::string_view data) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    unsigned char der[80];
    size_t der_size = sizeof der;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), der, &der_size, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
        return failed("the push authorization could not be signed");
    const unsigned char* p = der;
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(d2i_ECDSA_SIG(nullptr, &p, long(der_size)), &ECDSA_SIG_free);
    unsigned char rs[64];
    if (!sig || BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), rs, 32) != 32 || BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), rs + 32, 32) != 32)
        return failed("the push authorization's signature could not be encoded");
    return std::string(reinterpret_cast<char*>(rs), sizeof rs);
}

// JSON string contents for the JWT's claims: the subject is configuration, the audience a member's endpoint.
std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c < 0x20) continue;  // no control characters reach a claim
        out += char(c);
    }
    return out + "\"";
}

}  // namespace

std::string url_origin(std::string_view url) {
    const size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return {};
    std::string scheme(url.substr(0, scheme_end));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (scheme != "https" && scheme != "http") return {};
    std::string host(url.substr(scheme_end + 3));
    host = host.substr(0, host.find_first_of("/?#"));
    if (host.empty() || host.find('@') != std::string::npos) return {};
    std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return scheme + "://" + host;
}

Result<std::string> vapid_public_key(const SecretKey& seed) {
    Key key = key_of(seed);
    if (!key) return failed("the push key could not be made");
    HAVEN_TRY(point, public_point(key.get()));
    return base64url(point);
}

Result<std::string> vapid_authorization(const SecretKey& seed, std::string_view endpoint, std::string_view subject, int64_t expires_at) {
    const std::string audience = url_origin(endpoint);
    if (audience.empty()) return make_error(ErrorKind::invalid, "invalid", "A push endpoint is an http(s) URL.", "address");
    Key key = key_of(seed);
    if (!key) return failed("the push key could not be made");
    HAVEN_TRY(point, public_point(key.get()));
    const std::string signing_input =
        base64url(R"({"typ":"JWT","alg":"ES256"})") + "." +
        base64url("{\"aud\":" + json_string(audience) + ",\"exp\":" + std::to_string(expires_at) + ",\"sub\":" + json_string(subject) + "}");
    HAVEN_TRY(signature, sign_es256(key.get(), signing_input));
    return "vapid t=" + signing_input + "." + base64url(signature) + ", k=" + base64url(point);
}

}  // namespace haven::crypto
