// The link an operator's enrolment code travels in, as text and as a QR code (docs/EMERGENCY.md, "Enrolment
// links"). Version 2 fits a QR code of version 4 at level M in its alphanumeric mode (digits, A-Z, space and
// $%*+-./:), which a phone reads from a laptop's terminal at arm's length:
//
//   HAVEN:2/CODE/FINGERPRINT/SERVER
//     CODE         the code as the hub made it: base32 of 15 random bytes (24 characters)
//     FINGERPRINT  base32 of enrolment_fingerprint(organisation key, operators' box key) (26 characters)
//     SERVER       the hub: HOST[:PORT] for https, HTTP://HOST[:PORT] for plain http, upper case (scheme and
//                  host are case-insensitive); a hub whose URL has a path or another character is written as
//                  it is (the QR code falls back to byte mode and grows)
//
// The keys themselves (64 bytes) are fetched with the code and checked against the fingerprint. Version 1, which
// carried them, is still read: haven-enrol:1;SERVER;CODE;ORG_PK_HEX;BOX_PK_HEX.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "emergency/wire.hpp"

namespace haven::emergency {

struct EnrolLink {
    int version = 0;
    std::string server;  // as the clients call it: "https://haven.example.org", "http://127.0.0.1:8080"
    std::string code;
    Bytes org_pk, box_pk;  // version 1 only: carried in the link
    Bytes fingerprint;     // version 2 only: what the keys fetched with the code must hash to
};

std::string enrol_link_v2(std::string_view server, std::string_view code, const Bytes& fingerprint);
// Either version, trimmed; any letter case for version 2 (a scanner may return either). Refused naming the part.
Result<EnrolLink> parse_enrol_link(std::string_view text);

}  // namespace haven::emergency
