// The enrolment link as a QR code: on the terminal (half blocks, two modules a row, both colours drawn
// explicitly so a dark or a light theme reads the same, with a quiet zone of 4 modules, fewer only where that is
// what keeps it within 24 rows) and as a PNG image a phone can scan from another screen or a printout (8 pixels a
// module, quiet zone 4). The smallest version at error correction level M (libqrencode): a version 2 link
// (network/enrol_link.hpp) is version 4, 33 modules, 21 rows of 41 columns on the terminal.
#pragma once

#include <ostream>
#include <string>

#include "core/result.hpp"

namespace haven::emergency::client {

// Rows printed (0 when the text does not fit any QR code).
int print_qr(const std::string& text, std::ostream& out);
// The QR version the text needs (1-40; 0 when it fits none).
int qr_version(const std::string& text);
Status write_qr_png(const std::string& text, const std::string& path);

}  // namespace haven::emergency::client
