#include "crypto/totp.hpp"

#include <qrencode.h>

#include <cstring>
#include <memory>

#include "crypto/random.hpp"

namespace haven::crypto {
namespace {

uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

const char* base32_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string url_encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            out += char(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

// RFC 3174 §6.1.
std::string sha1(std::string_view data) {
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    std::string msg(data);
    const uint64_t bits = uint64_t(data.size()) * 8;
    msg += char(0x80);
    while (msg.size() % 64 != 56) msg += char(0);
    for (int i = 7; i >= 0; --i) msg += char((bits >> (i * 8)) & 0xff);
    for (size_t chunk = 0; chunk < msg.size(); chunk += 64) {
        uint32_t w[80];
        for (int t = 0; t < 16; ++t) {
            const auto* p = reinterpret_cast<const unsigned char*>(msg.data() + chunk + t * 4);
            w[t] = uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
        }
        for (int t = 16; t < 80; ++t) w[t] = rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int t = 0; t < 80; ++t) {
            uint32_t f, k;
            if (t < 20)
                f = (b & c) | (~b & d), k = 0x5A827999;
            else if (t < 40)
                f = b ^ c ^ d, k = 0x6ED9EBA1;
            else if (t < 60)
                f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
            else
                f = b ^ c ^ d, k = 0xCA62C1D6;
            uint32_t temp = rol(a, 5) + f + e + w[t] + k;
            e = d, d = c, c = rol(b, 30), b = a, a = temp;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
    }
    std::string out;
    for (uint32_t v : h)
        for (int i = 3; i >= 0; --i) out += char((v >> (i * 8)) & 0xff);
    return out;
}

std::string hmac_sha1(std::string_view key, std::string_view data) {
    std::string k(key);
    if (k.size() > 64) k = sha1(k);
    k.resize(64, '\0');
    std::string inner(64, '\0'), outer(64, '\0');
    for (int i = 0; i < 64; ++i) {
        inner[i] = char(k[i] ^ 0x36);
        outer[i] = char(k[i] ^ 0x5c);
    }
    return sha1(outer + sha1(inner + std::string(data)));
}

std::string base32_encode(std::string_view bytes) {
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out += base32_alphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out += base32_alphabet[(buffer << (5 - bits)) & 31];
    return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (char ch : text) {
        if (ch == ' ' || ch == '=') continue;
        char c = char(std::toupper((unsigned char)ch));
        const char* p = std::strchr(base32_alphabet, c);
        if (!p || !c) return std::nullopt;
        buffer = (buffer << 5) | uint32_t(p - base32_alphabet);
        bits += 5;
        if (bits >= 8) {
            out += char((buffer >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return out;
}

std::string new_totp_secret() { return random_bytes(20); }

// RFC 6238 §4 and RFC 4226 §5.3 (dynamic truncation).
std::string totp_code(std::string_view secret, int64_t unix_seconds, int digits) {
    uint64_t step = uint64_t(unix_seconds / 30);
    std::string counter(8, '\0');
    for (int i = 7; i >= 0; --i, step >>= 8) counter[i] = char(step & 0xff);
    std::string mac = hmac_sha1(secret, counter);
    int offset = mac[19] & 0x0f;
    uint32_t binary = (uint32_t(mac[offset] & 0x7f) << 24) | (uint32_t((unsigned char)mac[offset + 1]) << 16) |
                      (uint32_t((unsigned char)mac[offset + 2]) << 8) | uint32_t((unsigned char)mac[offset + 3]);
    uint32_t mod = 1;
    for (int i = 0; i < digits; ++i) mod *= 10;
    std::string code = std::to_string(binary % mod);
    return std::string(size_t(digits) - code.size(), '0') + code;
}

std::optional<int64_t> totp_match(std::string_view secret, std::string_view code, int64_t unix_seconds) {
    std::string typed;
    for (char c : code)
        if (c != ' ') typed += c;
    if (typed.size() != 6) return std::nullopt;
    for (int64_t delta : {0, -1, 1}) {
        int64_t t = unix_seconds + delta * 30;
        if (equal_secret(totp_code(secret, t), typed)) return t / 30;
    }
    return std::nullopt;
}

std::string totp_uri(std::string_view label, std::string_view secret) {
    return "otpauth://totp/Haven:" + url_encode(label) + "?secret=" + base32_encode(secret) + "&issuer=Haven&algorithm=SHA1&digits=6&period=30";
}

QrPath qr_path(const std::string& text) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    QrPath out;
    if (!qr) return out;
    out.size = qr->width;
    for (int y = 0; y < qr->width; ++y)
        for (int x = 0; x < qr->width; ++x)
            if (qr->data[y * qr->width + x] & 1) out.d += "M" + std::to_string(x) + " " + std::to_string(y) + "h1v1h-1z";
    return out;
}

std::vector<std::string> new_recovery_codes() {
    static const char* alphabet = "abcdefghjkmnpqrstuvwxyz23456789";  // no 0/o, 1/l/i
    std::vector<std::string> codes;
    for (int n = 0; n < 10; ++n) {
        std::string raw = random_bytes(12), code;
        for (int i = 0; i < 12; ++i) {
            if (i && i % 4 == 0) code += '-';
            code += alphabet[(unsigned char)raw[i] % 31];
        }
        codes.push_back(code);
    }
    return codes;
}

std::string normalise_recovery_code(std::string_view typed) {
    std::string out;
    for (char c : typed)
        if (c != '-' && c != ' ') out += char(std::tolower((unsigned char)c));
    return out;
}

}  // namespace haven::crypto
