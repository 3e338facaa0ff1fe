// The emergency network's wire format (docs/EMERGENCY.md is its specification; a test reads it back with an
// independent implementation, python3-nacl). Everything here runs on the operator's and the members' devices;
// the server only stores what these functions produce and never holds a key that opens it.
//
//   prekey signature  Ed25519(identity, "haven-prekey-v1" || prekey_pk || not_after u64 LE)
//   activation        header = 0x01 || activation_id(16) || ephemeral_pk(32) || nonce(24)
//                     body   = XChaCha20-Poly1305(frame, ad = activation_id, nonce, body_key)
//                     frame  = u32 LE n || signature(64) || message(n - 64) || zeros, to a size bucket
//                     signature = Ed25519(organisation, "haven-alert-v1" || activation_id || message)
//   wrap (48 bytes)   XChaCha20-Poly1305(body_key, ad = activation_id, nonce = 0^24,
//                                        key = BLAKE2b-256(X25519(e, prekey) || ephemeral_pk || prekey_pk))
//   locator (16)      BLAKE2b-128(key = mailbox_secret, "haven-locator-v1" || activation_id)
//   ack capability    BLAKE2b-128(key = mailbox_secret, "haven-ack-capability-v1" || activation_id), sent with an
//   (16)              answer; the server keeps only its tag BLAKE2b-128(capability) beside the member's wrap
//   acknowledgement   crypto_box_seal(ack_pk, signature(64) || answer), signature = Ed25519(identity,
//                     "haven-ack-v1" || activation_id || answer)
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace haven::emergency {

using Bytes = std::string;  // raw bytes

struct SigningKeys {
    Bytes public_key, secret_key;  // Ed25519: 32, 64
};
struct BoxKeys {
    Bytes public_key, secret_key;  // X25519: 32, 32
};
SigningKeys new_signing_keys();
BoxKeys new_box_keys();

// A member's alert prekey, signed by their identity key, valid until `not_after` (epoch ms).
struct SignedPrekey {
    Bytes prekey;  // X25519 public, 32
    int64_t not_after = 0;
    Bytes signature;  // 64
};
SignedPrekey sign_prekey(const SigningKeys& identity, const Bytes& prekey_public, int64_t not_after);
bool verify_prekey(const Bytes& identity_public, const SignedPrekey& prekey);

constexpr size_t header_size = 1 + 16 + 32 + 24;
constexpr size_t wrap_size = 48;
constexpr size_t locator_size = 16;
constexpr size_t ack_tag_size = 16;
constexpr size_t capability_size = 16;
// Frames are padded to the smallest of these that holds them; a message that does not fit the largest is refused.
constexpr std::array<size_t, 4> buckets = {1024, 4096, 16384, 65536};

// One recipient as the operator's client knows them: the roster's mailbox secret and the server's prekey.
struct Recipient {
    Bytes mailbox_secret;  // 32
    Bytes prekey;          // X25519 public, 32
};
struct Wrapped {
    Bytes locator, wrap, ack_tag;  // 16, 48, 16
};
struct Sealed {
    Bytes activation_id;         // 16
    Bytes body;                  // header || ciphertext: what the server stores and serves to everyone
    std::vector<Wrapped> wraps;  // one per recipient, in the order given
};

// The operator's side: sign `message` (the activation's JSON) with the organisation's key, pad, encrypt once,
// wrap the body key for every recipient. `threads` > 1 splits the wrapping.
Result<Sealed> seal_activation(const SigningKeys& organisation, const std::string& message, const std::vector<Recipient>& recipients,
                               unsigned threads = 1);
Bytes locator(const Bytes& mailbox_secret, const Bytes& activation_id);
// What lets a member's answer in: only a holder of the mailbox secret (the member, and the operators through the
// roster) can make it, and it differs per activation. The server stores ack_tag(capability) and checks an answer's
// capability against it, so it can refuse strangers without learning who answers.
Bytes ack_capability(const Bytes& mailbox_secret, const Bytes& activation_id);
Bytes ack_tag(const Bytes& capability);

// An enrolment code's keys in 16 bytes, for its QR link (network/enrol_link.hpp): the device that holds the code
// fetches the keys from the server and checks them against this. BLAKE2b-128("haven-enrol-keys-v1" ||
// organisation_pk || operators_box_pk), unkeyed. 128 bits: a server that wanted to swap the keys would need a
// second preimage of this particular value.
constexpr size_t enrolment_fingerprint_size = 16;
Bytes enrolment_fingerprint(const Bytes& organisation_public, const Bytes& operators_box_public);

// The member's side: the body key from their wrap (trying each of their prekey secrets, newest first), then the
// message, checked against the organisation's public key. nullopt when anything does not open or verify.
std::optional<std::string> open_activation(const Bytes& body, const Bytes& wrap, const std::vector<BoxKeys>& prekeys,
                                           const Bytes& organisation_public);

// Acknowledgements: sealed to the activation's ack key by the member, opened by the operator's client.
Bytes seal_ack(const SigningKeys& identity, const Bytes& activation_id, const std::string& answer, const Bytes& ack_public);
struct Ack {
    Bytes signature;
    std::string answer;
};
std::optional<Ack> open_ack(const Bytes& sealed, const BoxKeys& ack_keys);
bool verify_ack(const Bytes& identity_public, const Bytes& activation_id, const Ack& ack);

// A new member's packet for the operators (who they are, their identity key, their mailbox secret): anonymous
// sealed box (crypto_box_seal) to the operators' key.
Bytes seal_to(const Bytes& public_key, std::string_view plaintext);
std::optional<std::string> open_sealed(const BoxKeys& keys, const Bytes& sealed);

// The roster (and any operator-side state) sealed under a key the operators hold: nonce(24) || ciphertext.
Bytes seal_secret(const Bytes& key, std::string_view plaintext);
std::optional<std::string> open_secret(const Bytes& key, const Bytes& sealed);

std::string to_hex(const Bytes& bytes);
std::optional<Bytes> from_hex(std::string_view hex);

}  // namespace haven::emergency
