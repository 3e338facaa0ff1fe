#include "network/client/qr.hpp"

#include <qrencode.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <memory>
#include <vector>

namespace haven::network::client {

namespace {

constexpr int quiet_terminal = 2, quiet_image = 4, pixels = 8;

using Code = std::unique_ptr<QRcode, decltype(&QRcode_free)>;

Code encode(const std::string& text) { return Code(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_L, QR_MODE_8, 1), &QRcode_free); }

bool dark(const QRcode& qr, int x, int y) { return x >= 0 && y >= 0 && x < qr.width && y < qr.width && (qr.data[y * qr.width + x] & 1); }

uint32_t crc32(const std::string& bytes) {
    static const auto table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t n = 0; n < 256; ++n) {
            uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : bytes) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void be32(std::string& out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += char((v >> shift) & 0xFF);
}

void chunk(std::string& png, const char* type, const std::string& data) {
    be32(png, uint32_t(data.size()));
    const std::string typed = std::string(type, 4) + data;
    png += typed;
    be32(png, crc32(typed));
}

// zlib stream of stored (uncompressed) deflate blocks: a QR image is small, and this needs no zlib.
std::string stored_zlib(const std::string& raw) {
    std::string out = "\x78\x01";
    for (size_t at = 0; at < raw.size() || at == 0; at += 65535) {
        const size_t n = std::min<size_t>(65535, raw.size() - at);
        out += char(at + n >= raw.size() ? 1 : 0);
        out += char(n & 0xFF);
        out += char(n >> 8);
        out += char(~n & 0xFF);
        out += char((~n >> 8) & 0xFF);
        out += raw.substr(at, n);
        if (raw.empty()) break;
    }
    uint32_t a = 1, b = 0;
    for (unsigned char c : raw) {
        a = (a + c) % 65521;
        b = (b + a) % 65521;
    }
    be32(out, (b << 16) | a);
    return out;
}

}  // namespace

int print_qr(const std::string& text, std::ostream& out) {
    auto qr = encode(text);
    if (!qr) return 0;
    // Black on white, set for every cell: the terminal's own colours never decide which modules look dark.
    const char* colours = "\x1b[30;107m";
    const char* reset = "\x1b[0m";
    int rows = 0;
    for (int y = -quiet_terminal; y < qr->width + quiet_terminal; y += 2, ++rows) {
        std::string line = colours;
        for (int x = -quiet_terminal; x < qr->width + quiet_terminal; ++x) {
            const bool top = dark(*qr, x, y), bottom = dark(*qr, x, y + 1);
            line += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
        }
        out << line << reset << "\n";
    }
    return rows;
}

Status write_qr_png(const std::string& text, const std::string& path) {
    auto qr = encode(text);
    if (!qr) return make_error(ErrorKind::invalid, "qr", "The link does not fit a QR code.");
    const int side = (qr->width + 2 * quiet_image) * pixels;
    std::string raw;
    raw.reserve(size_t(side) * size_t(side + 1));
    for (int py = 0; py < side; ++py) {
        raw += '\0';  // filter: none
        for (int px = 0; px < side; ++px) raw += dark(*qr, px / pixels - quiet_image, py / pixels - quiet_image) ? '\0' : '\xff';
    }
    std::string header;
    be32(header, uint32_t(side));
    be32(header, uint32_t(side));
    header += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit greyscale, deflate, no interlace
    std::string png = "\x89PNG\r\n\x1a\n";
    chunk(png, "IHDR", header);
    chunk(png, "IDAT", stored_zlib(raw));
    chunk(png, "IEND", "");
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file.write(png.data(), std::streamsize(png.size())) || !file.flush())
        return make_error(ErrorKind::unavailable, "io", "Cannot write " + path + ".", "qr-png");
    return {};
}

}  // namespace haven::network::client
