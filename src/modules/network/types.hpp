// What the emergency network's store hands its service (docs/EMERGENCY.md): opaque bytes and counts, named.
#pragma once

#include <cstdint>
#include <string>

#include "emergency/wire.hpp"

namespace haven::network {

// The hub's module speaks the emergency network's wire format (src/emergency, namespace haven::emergency: the
// code that also runs on operators' and members' devices) through these names.
using emergency::ack_tag;
using emergency::ack_tag_size;
using emergency::buckets;
using emergency::Bytes;
using emergency::capability_size;
using emergency::from_hex;
using emergency::header_size;
using emergency::locator_size;
using emergency::SignedPrekey;
using emergency::to_hex;
using emergency::wrap_size;

struct MemberKey {
    std::string member_id;
    SignedPrekey prekey;
};
struct InboxItem {
    int64_t id = 0, created_at = 0;
    Bytes sealed;
};
struct Roster {
    Bytes blob;
    int64_t version = 0;
};
struct Listed {
    std::string id;
    int64_t size = 0, published_at = 0, expires_at = 0;
};
struct ActivationState {
    int64_t wraps = 0, acks = 0, published_at = 0, expires_at = 0;
    int64_t fetched = 0;  // wraps fetched by members' devices (a count; refetches count again)
};

}  // namespace haven::network
