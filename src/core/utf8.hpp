#pragma once

#include <string_view>

namespace haven {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool valid_utf8(std::string_view text);

// True when `text` holds a C0 control character other than tab, CR and LF, or DEL.
bool has_control_chars(std::string_view text);

}  // namespace haven
