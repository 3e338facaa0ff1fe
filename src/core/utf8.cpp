#include "core/utf8.hpp"

namespace haven {

bool valid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    size_t i = 0, n = text.size();
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF)
            len = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4, cp = c & 0x07;
        else
            return false;
        if (i + len > n) return false;
        for (size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

bool has_control_chars(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) return true;
        if (c == 0xC2 && i + 1 < text.size() && (unsigned char)text[i + 1] <= 0x9F) return true;  // C1: U+0080–U+009F (NEL, CSI …)
    }
    return false;
}

bool has_bidi_controls(std::string_view text) {
    for (size_t i = 0; i + 1 < text.size(); ++i) {
        const auto a = (unsigned char)text[i], b = (unsigned char)text[i + 1];
        if (a == 0xD8 && b == 0x9C) return true;  // U+061C ARABIC LETTER MARK
        if (a != 0xE2 || i + 2 >= text.size()) continue;
        const auto c = (unsigned char)text[i + 2];
        if ((b == 0x80 && (c == 0x8E || c == 0x8F || (c >= 0xAA && c <= 0xAE))) || (b == 0x81 && c >= 0xA6 && c <= 0xA9)) return true;
    }
    return false;
}

namespace {
// Invisible or line-breaking characters that have no place in a one-line name: zero-width space, joiners and word
// joiner (U+200B–U+200D, U+2060), line and paragraph separators (U+2028, U+2029), the byte-order mark (U+FEFF) and
// tag characters (U+E0000–U+E007F).
bool has_invisible_or_breaks(std::string_view t) {
    for (size_t i = 0; i + 2 < t.size(); ++i) {
        const auto a = (unsigned char)t[i], b = (unsigned char)t[i + 1], c = (unsigned char)t[i + 2];
        if (a == 0xE2 && b == 0x80 && ((c >= 0x8B && c <= 0x8D) || c == 0xA8 || c == 0xA9)) return true;
        if (a == 0xE2 && b == 0x81 && c == 0xA0) return true;
        if (a == 0xEF && b == 0xBB && c == 0xBF) return true;
        if (a == 0xF3 && b == 0xA0 && (c == 0x80 || c == 0x81)) return true;
    }
    return false;
}
}  // namespace

bool is_plain_line(std::string_view text) {
    return valid_utf8(text) && !has_control_chars(text) && text.find_first_of("\t\r\n") == std::string_view::npos && !has_bidi_controls(text) &&
           !has_invisible_or_breaks(text);
}

std::string trim(std::string_view s) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return std::string(s);
}

Status text_field(std::string& value, const std::string& field, size_t max, bool multiline) {
    value = trim(value);
    if (!valid_utf8(value) || has_control_chars(value) || has_bidi_controls(value) ||
        (!multiline && value.find_first_of("\r\n") != std::string::npos))
        return invalid(field, field + " holds control or invisible characters, or more than one line.", "text");
    if (value.size() > max) return invalid(field, field + " is longer than " + std::to_string(max) + " bytes.", "too_long", int64_t(max));
    return {};
}

}  // namespace haven
