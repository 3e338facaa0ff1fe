#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace haven {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool valid_utf8(std::string_view text);

// True when `text` holds a C0 control character other than tab, CR and LF, DEL, or a C1 control (U+0080–U+009F).
bool has_control_chars(std::string_view text);

// True when `text` holds a bidirectional embedding, override, isolate or mark (U+202A–U+202E, U+2066–U+2069,
// U+200E, U+200F, U+061C): in a name they can make one pseudonym display as another, or reorder what a list shows.
bool has_bidi_controls(std::string_view text);

// One line of text as people type it into a name or contact field: valid UTF-8 without control characters (tab,
// CR, LF and C1 included), bidirectional controls, invisible characters or line separators.
bool is_plain_line(std::string_view text);

// Without the spaces, tabs and line breaks at either end.
std::string trim(std::string_view s);

// A field as people type it, trimmed in place: valid UTF-8 without control or bidirectional characters, one line
// unless `multiline`, at most `max` bytes; else an error naming `field` (problem "text" or "too_long").
Status text_field(std::string& value, const std::string& field, size_t max, bool multiline = false);

}  // namespace haven
