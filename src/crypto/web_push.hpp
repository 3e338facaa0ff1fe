// Web Push without a payload (docs/EMERGENCY.md, "Doorbells"): the server identifies itself to a browser's push
// service with VAPID (RFC 8292) — an ES256 (ECDSA P-256, SHA-256) JWT naming the push service's origin, an expiry
// and a contact — and sends an empty message, so the push service learns only that "something arrived".
//
// The P-256 key is derived from a 32-byte seed (a vault subkey): the same on every start and in every process
// sharing the vault, so browsers' subscriptions, which are bound to the public key, outlive restarts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace haven::crypto {

class SecretKey;

// The public key as browsers' pushManager.subscribe wants it (applicationServerKey): the uncompressed point
// (65 bytes), URL-safe base64 without padding.
Result<std::string> vapid_public_key(const SecretKey& seed);

// The Authorization header value "vapid t=JWT, k=PUBLIC_KEY" for a push to `endpoint` (an http(s) URL whose
// origin becomes the JWT's "aud"), valid until `expires_at` (seconds since 1970; RFC 8292 wants at most 24 h
// ahead), `subject` a mailto: or https: contact.
Result<std::string> vapid_authorization(const SecretKey& seed, std::string_view endpoint, std::string_view subject, int64_t expires_at);

// The origin ("https://push.example:8443") of an http(s) URL; empty when it is not one.
std::string url_origin(std::string_view url);

}  // namespace haven::crypto
