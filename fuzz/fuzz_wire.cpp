// What a member's device reads from a server it does not trust: activation bodies, wraps and answers of any
// shape. Opening never crashes, and bytes not sealed by the organisation never open.
#include <cstddef>
#include <cstdint>
#include <string>

#include "emergency/wire.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace haven::emergency;
    static const SigningKeys org = new_signing_keys();
    static const BoxKeys prekey = new_box_keys(), ack = new_box_keys();
    const std::string input(reinterpret_cast<const char*>(data), size);
    const size_t cut = size > 48 ? size - 48 : 0;
    // Random bytes as a body and a wrap: they cannot carry the organisation's signature.
    if (open_activation(input.substr(0, cut), input.substr(cut), {prekey}, org.public_key)) __builtin_trap();
    // A real activation with one byte changed (position and change from the input) never opens.
    static const Bytes mailbox(32, 'm');
    static const Sealed real = seal_activation(org, "{\"text\":\"real\"}", {{mailbox, prekey.public_key}}).value();
    if (size >= 3 && data[2] != 0) {
        Bytes body = real.body, wrap = real.wraps[0].wrap;
        const size_t at = (size_t(data[0]) << 8 | data[1]) % (body.size() + wrap.size());
        (at < body.size() ? body[at] : wrap[at - body.size()]) ^= char(data[2]);
        if (open_activation(body, wrap, {prekey}, org.public_key)) __builtin_trap();
    }
    (void)open_ack(input, ack);
    (void)from_hex(input);
    return 0;
}
