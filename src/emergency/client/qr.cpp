#include "emergency/client/qr.hpp"

#include <qrencode.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <memory>
#include <vector>

namespace haven::emergency::client {

namespace {

// A terminal of 80 x 24 shows the whole code: half blocks draw two modules a row, so a code of W modules with a
// quiet zone of q takes ceil((W + 2q) / 2) rows. The standard quiet zone is 4 modules; a larger code gets less.
constexpr int terminal_rows = 24, quiet_standard = 4, pixels = 8;

using Code = std::unique_ptr<QRcode, decltype(&QRcode_free)>;

// Level M (15 % of the code may be lost: a terminal photographed at an angle, a moiré), the smallest version.
// libqrencode splits the text into the densest modes: a version 2 link, upper case, goes in alphanumeric mode.
Code encode(const std::string& text) { return Code(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free); }

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

int qr_version(const std::string& text) {
    auto qr = encode(text);
    return qr ? qr->version : 0;
}

int print_qr(const std::string& text, std::ostream& out) {
    auto qr = encode(text);
    if (!qr) return 0;
    int quiet = quiet_standard;
    while (quiet > 1 && (qr->width + 2 * quiet + 1) / 2 > terminal_rows) --quiet;
    // Black on white, set for every cell, quiet zone included: the terminal's own colours never decide which
    // modules look dark. Colours 16 (#000000) and 231 (#ffffff) of the 256-colour cube, which themes leave alone;
    // the first 16 colours are the theme's (a light Gruvbox makes "black" cream and "bright white" dark grey).
    const char* colours = "\x1b[38;5;16;48;5;231m";
    const char* reset = "\x1b[0m";
    int rows = 0;
    for (int y = -quiet; y < qr->width + quiet; y += 2, ++rows) {
        std::string line = colours;
        for (int x = -quiet; x < qr->width + quiet; ++x) {
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
    const int side = (qr->width + 2 * quiet_standard) * pixels;
    std::string raw;
    raw.reserve(size_t(side) * size_t(side + 1));
    for (int py = 0; py < side; ++py) {
        raw += '\0';  // filter: none
        for (int px = 0; px < side; ++px) raw += dark(*qr, px / pixels - quiet_standard, py / pixels - quiet_standard) ? '\0' : '\xff';
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

}  // namespace haven::emergency::client
