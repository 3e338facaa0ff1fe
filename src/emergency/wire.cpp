#include "emergency/wire.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "crypto/random.hpp"

namespace haven::emergency {
namespace {

const unsigned char* u(const Bytes& b) { return reinterpret_cast<const unsigned char*>(b.data()); }
unsigned char* u(Bytes& b) { return reinterpret_cast<unsigned char*>(b.data()); }

void put_u64(Bytes& out, uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
}

Bytes prekey_message(const Bytes& prekey, int64_t not_after) {
    Bytes m = "haven-prekey-v1" + prekey;
    put_u64(m, uint64_t(not_after));
    return m;
}

Bytes sign(const SigningKeys& keys, const Bytes& message) {
    Bytes sig(crypto_sign_BYTES, '\0');
    crypto_sign_detached(u(sig), nullptr, u(message), message.size(), u(keys.secret_key));
    return sig;
}

bool verify(const Bytes& public_key, const Bytes& message, const Bytes& signature) {
    return public_key.size() == crypto_sign_PUBLICKEYBYTES && signature.size() == crypto_sign_BYTES &&
           crypto_sign_verify_detached(u(signature), u(message), message.size(), u(public_key)) == 0;
}

// BLAKE2b-256(X25519(secret, public) || ephemeral_pk || prekey_pk); nullopt for a low-order point.
std::optional<Bytes> wrap_key(const Bytes& secret, const Bytes& other_public, const Bytes& ephemeral_pk, const Bytes& prekey_pk) {
    if (other_public.size() != crypto_scalarmult_BYTES || secret.size() != crypto_scalarmult_SCALARBYTES) return std::nullopt;
    Bytes shared(crypto_scalarmult_BYTES, '\0');
    if (crypto_scalarmult(u(shared), u(secret), u(other_public)) != 0) return std::nullopt;
    const Bytes input = shared + ephemeral_pk + prekey_pk;
    Bytes key(32, '\0');
    crypto_generichash(u(key), key.size(), u(input), input.size(), nullptr, 0);
    sodium_memzero(shared.data(), shared.size());
    return key;
}

const unsigned char zero_nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES] = {};

}  // namespace

SigningKeys new_signing_keys() {
    crypto::init();
    SigningKeys k{Bytes(crypto_sign_PUBLICKEYBYTES, '\0'), Bytes(crypto_sign_SECRETKEYBYTES, '\0')};
    crypto_sign_keypair(u(k.public_key), u(k.secret_key));
    return k;
}

BoxKeys new_box_keys() {
    crypto::init();
    BoxKeys k{Bytes(crypto_box_PUBLICKEYBYTES, '\0'), Bytes(crypto_box_SECRETKEYBYTES, '\0')};
    crypto_box_keypair(u(k.public_key), u(k.secret_key));
    return k;
}

SignedPrekey sign_prekey(const SigningKeys& identity, const Bytes& prekey_public, int64_t not_after) {
    return {prekey_public, not_after, sign(identity, prekey_message(prekey_public, not_after))};
}

bool verify_prekey(const Bytes& identity_public, const SignedPrekey& p) {
    return p.prekey.size() == 32 && verify(identity_public, prekey_message(p.prekey, p.not_after), p.signature);
}

Bytes locator(const Bytes& mailbox_secret, const Bytes& activation_id) {
    const Bytes message = "haven-locator-v1" + activation_id;
    Bytes out(locator_size, '\0');
    crypto_generichash(u(out), out.size(), u(message), message.size(), u(mailbox_secret), mailbox_secret.size());
    return out;
}

Bytes ack_capability(const Bytes& mailbox_secret, const Bytes& activation_id) {
    const Bytes message = "haven-ack-capability-v1" + activation_id;
    Bytes out(capability_size, '\0');
    crypto_generichash(u(out), out.size(), u(message), message.size(), u(mailbox_secret), mailbox_secret.size());
    return out;
}

Bytes ack_tag(const Bytes& capability) {
    Bytes out(ack_tag_size, '\0');
    crypto_generichash(u(out), out.size(), u(capability), capability.size(), nullptr, 0);
    return out;
}

Bytes enrolment_fingerprint(const Bytes& organisation_public, const Bytes& operators_box_public) {
    const Bytes message = "haven-enrol-keys-v1" + organisation_public + operators_box_public;
    Bytes out(enrolment_fingerprint_size, '\0');
    crypto_generichash(u(out), out.size(), u(message), message.size(), nullptr, 0);
    return out;
}

Result<Sealed> seal_activation(const SigningKeys& organisation, const std::string& message, const std::vector<Recipient>& recipients,
                               unsigned threads) {
    crypto::init();
    Sealed out;
    out.activation_id = crypto::random_bytes(16);
    const Bytes signature = sign(organisation, "haven-alert-v1" + out.activation_id + message);
    const size_t n = signature.size() + message.size();
    auto bucket = std::find_if(buckets.begin(), buckets.end(), [&](size_t b) { return b >= n + 4; });
    if (bucket == buckets.end())
        return make_error(ErrorKind::too_large, "too_large", "An activation holds at most " + std::to_string(buckets.back() - 68) + " bytes.",
                          "text");
    Bytes frame;
    frame.reserve(*bucket);
    for (int i = 0; i < 4; ++i) frame.push_back(char((n >> (8 * i)) & 0xff));
    frame += signature + message;
    frame.resize(*bucket, '\0');

    const BoxKeys ephemeral = new_box_keys();
    Bytes body_key = crypto::random_bytes(32), nonce = crypto::random_bytes(24);
    out.body = "\x01" + out.activation_id + ephemeral.public_key + nonce;
    const size_t header = out.body.size();
    out.body.resize(header + frame.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(u(out.body) + header, &written, u(frame), frame.size(), u(out.activation_id), out.activation_id.size(),
                                               nullptr, u(nonce), u(body_key));

    out.wraps.resize(recipients.size());
    auto work = [&](size_t from, size_t to) {
        for (size_t i = from; i < to; ++i) {
            const auto& r = recipients[i];
            auto key = wrap_key(ephemeral.secret_key, r.prekey, ephemeral.public_key, r.prekey);
            Wrapped& w = out.wraps[i];
            w.locator = locator(r.mailbox_secret, out.activation_id);
            w.ack_tag = ack_tag(ack_capability(r.mailbox_secret, out.activation_id));
            w.wrap.assign(wrap_size, '\0');
            if (!key) {  // a malformed prekey: this member gets random bytes (and cannot be singled out)
                randombytes_buf(w.wrap.data(), w.wrap.size());
                continue;
            }
            crypto_aead_xchacha20poly1305_ietf_encrypt(u(w.wrap), nullptr, u(body_key), body_key.size(), u(out.activation_id),
                                                       out.activation_id.size(), nullptr, zero_nonce, u(*key));
            sodium_memzero(key->data(), key->size());
        }
    };
    threads = std::max(1u, std::min<unsigned>(threads, unsigned(recipients.size() / 256 + 1)));
    std::vector<std::thread> pool;
    const size_t per = (recipients.size() + threads - 1) / threads;
    for (unsigned t = 0; t < threads; ++t) {
        const size_t from = t * per, to = std::min(recipients.size(), from + per);
        if (from >= to) break;
        if (t + 1 == threads || to == recipients.size())
            work(from, to);
        else
            pool.emplace_back(work, from, to);
    }
    for (auto& t : pool) t.join();
    sodium_memzero(body_key.data(), body_key.size());
    return out;
}

std::optional<std::string> open_activation(const Bytes& body, const Bytes& wrap, const std::vector<BoxKeys>& prekeys,
                                           const Bytes& organisation_public) {
    if (body.size() < header_size + crypto_aead_xchacha20poly1305_ietf_ABYTES || body[0] != '\x01' || wrap.size() != wrap_size) return std::nullopt;
    const Bytes id = body.substr(1, 16), ephemeral = body.substr(17, 32), nonce = body.substr(49, 24);
    Bytes body_key(32, '\0');
    bool opened = false;
    for (const auto& p : prekeys) {
        auto key = wrap_key(p.secret_key, ephemeral, ephemeral, p.public_key);
        if (!key) continue;
        opened = crypto_aead_xchacha20poly1305_ietf_decrypt(u(body_key), nullptr, nullptr, u(wrap), wrap.size(), u(id), id.size(), zero_nonce,
                                                            u(*key)) == 0;
        if (opened) break;
    }
    if (!opened) return std::nullopt;
    Bytes frame(body.size() - header_size - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    const bool ok = crypto_aead_xchacha20poly1305_ietf_decrypt(u(frame), nullptr, nullptr, u(body) + header_size, body.size() - header_size, u(id),
                                                               id.size(), u(nonce), u(body_key)) == 0;
    sodium_memzero(body_key.data(), body_key.size());
    if (!ok || frame.size() < 4 + 64) return std::nullopt;
    size_t n = 0;
    for (int i = 0; i < 4; ++i) n |= size_t(static_cast<unsigned char>(frame[size_t(i)])) << (8 * i);
    if (n < 64 || n > frame.size() - 4) return std::nullopt;
    const Bytes signature = frame.substr(4, 64);
    std::string message = frame.substr(4 + 64, n - 64);
    if (!verify(organisation_public, "haven-alert-v1" + id + message, signature)) return std::nullopt;
    return message;
}

Bytes seal_ack(const SigningKeys& identity, const Bytes& activation_id, const std::string& answer, const Bytes& ack_public) {
    const Bytes plain = sign(identity, "haven-ack-v1" + activation_id + answer) + answer;
    Bytes out(plain.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(u(out), u(plain), plain.size(), u(ack_public));
    return out;
}

std::optional<Ack> open_ack(const Bytes& sealed, const BoxKeys& keys) {
    if (sealed.size() < crypto_box_SEALBYTES + 64) return std::nullopt;
    Bytes plain(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(u(plain), u(sealed), sealed.size(), u(keys.public_key), u(keys.secret_key)) != 0) return std::nullopt;
    return Ack{plain.substr(0, 64), plain.substr(64)};
}

bool verify_ack(const Bytes& identity_public, const Bytes& activation_id, const Ack& ack) {
    return verify(identity_public, "haven-ack-v1" + activation_id + ack.answer, ack.signature);
}

Bytes seal_to(const Bytes& public_key, std::string_view plaintext) {
    Bytes out(plaintext.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(u(out), reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), u(public_key));
    return out;
}

std::optional<std::string> open_sealed(const BoxKeys& keys, const Bytes& sealed) {
    if (sealed.size() < crypto_box_SEALBYTES) return std::nullopt;
    std::string out(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(out.data()), u(sealed), sealed.size(), u(keys.public_key), u(keys.secret_key)) != 0)
        return std::nullopt;
    return out;
}

Bytes seal_secret(const Bytes& key, std::string_view plaintext) {
    const Bytes nonce = crypto::random_bytes(24);
    Bytes out = nonce;
    out.resize(24 + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(u(out) + 24, nullptr, reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                                               nullptr, 0, nullptr, u(nonce), u(key));
    return out;
}

std::optional<std::string> open_secret(const Bytes& key, const Bytes& sealed) {
    if (key.size() != 32 || sealed.size() < 24 + crypto_aead_xchacha20poly1305_ietf_ABYTES) return std::nullopt;
    std::string out(sealed.size() - 24 - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), nullptr, nullptr, u(sealed) + 24, sealed.size() - 24,
                                                   nullptr, 0, u(sealed), u(key)) != 0)
        return std::nullopt;
    return out;
}

std::string to_hex(const Bytes& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

std::optional<Bytes> from_hex(std::string_view hex) {
    if (hex.size() % 2) return std::nullopt;
    Bytes out;
    for (size_t i = 0; i < hex.size(); i += 2) {
        auto v = [](char c) -> int { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
        const int a = v(hex[i]), b = v(hex[i + 1]);
        if (a < 0 || b < 0) return std::nullopt;
        out.push_back(char(a * 16 + b));
    }
    return out;
}

}  // namespace haven::emergency
