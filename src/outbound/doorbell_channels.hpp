// The doorbells' channels (docs/EMERGENCY.md, "Doorbells"): how a content-free "check your mailbox" leaves the
// server — e-mail through a relay, a signed webhook, a Matrix room, an empty Web Push. Each delivers one ring
// within its own deadline; the queues, priorities and retries are the network module's (modules/network/doorbells).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "outbound/smtp.hpp"

namespace haven::crypto {
class Vault;
}

namespace haven::outbound {

// One ring: the address the member gave (opened from the vault), its secret (webhooks), and a key that makes a
// retry idempotent.
struct Bell {
    std::string address, secret, idempotency_key;
};
// Delivers one ring; an error is retried later. Must return within its own timeout.
using Ringer = std::function<Status(const Bell&)>;

// A Matrix room id as the doorbells accept it, `!opaque:server` (the whole grammar in doorbell_channels.cpp).
bool valid_room_id(std::string_view id);
// The bot's send endpoint for a room, each variable segment percent-encoded.
std::string matrix_send_path(std::string_view room_id, std::string_view transaction_id);

Ringer smtp_ringer(const SmtpRelay& relay);
// `private_targets`: also call private, loopback and link-local addresses (tests with local receivers only).
Ringer webhook_ringer(int timeout_seconds = 10, bool private_targets = false);
Ringer matrix_ringer(const std::string& homeserver, const std::string& access_token, int timeout_seconds = 10);
// Web Push (RFC 8030) with no payload, signed with VAPID (RFC 8292) under the vault's push key; `subject` is the
// contact push services may write to (mailto: or https:).
Ringer webpush_ringer(const crypto::Vault& vault, const std::string& subject, int timeout_seconds = 10, bool private_targets = false);

}  // namespace haven::outbound
