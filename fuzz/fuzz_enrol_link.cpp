// An enrolment link as a member's device reads it (typed, pasted or scanned: anything a QR code can hold):
// parsing never crashes or throws, a refusal names its part, and a version-2 link it accepts writes back to a link
// that reads the same.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "emergency/enrol_link.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace haven::emergency;
    auto link = parse_enrol_link(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!link) {
        if (link.error().message.empty()) __builtin_trap();
        return 0;
    }
    if (link->version == 1) {
        if (link->org_pk.size() != 32 || link->box_pk.size() != 32 || link->code.empty()) __builtin_trap();
        return 0;
    }
    if (link->version != 2 || link->fingerprint.size() != 16 || link->code.empty() || link->server.empty()) __builtin_trap();
    auto again = parse_enrol_link(enrol_link_v2(link->server, link->code, link->fingerprint));
    if (!again || again->code != link->code || again->fingerprint != link->fingerprint || again->server != link->server) __builtin_trap();
    return 0;
}
