// The enrolment link as a QR code: on the terminal (half blocks, two modules a row, both colours drawn
// explicitly so a dark or a light theme reads the same, with a quiet zone) and as a PNG image a phone can scan
// from another screen or a printout. The smallest version at error correction level L (libqrencode).
#pragma once

#include <ostream>
#include <string>

#include "core/result.hpp"

namespace haven::network::client {

// Rows printed (0 when the text does not fit any QR code).
int print_qr(const std::string& text, std::ostream& out);
Status write_qr_png(const std::string& text, const std::string& path);

}  // namespace haven::network::client
