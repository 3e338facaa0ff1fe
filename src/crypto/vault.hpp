// The vault: Haven's root key, stored only wrapped, and everything derived from it.
//
// The root key is 256 random bits. On disk (DATA/vault.json) it exists only encrypted
// (XChaCha20-Poly1305): under a key derived from the operators' passphrase (Argon2id, libsodium's MODERATE
// limits), and/or under each k-subset of n operator key files (the k files' keys hashed together with
// BLAKE2b; standard libsodium calls only, no home-made secret sharing). In memory the root key and every
// subkey live in sodium_malloc'd, mlock'ed pages, and seal() wipes them all at once.
//
// Subkeys are derived per purpose with crypto_kdf, and per field with keyed BLAKE2b, so that a leak of
// one index key does not open the data.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>
#include "crypto/secret_key.hpp"

#include "core/clock.hpp"
#include "core/result.hpp"

namespace haven::crypto {

// Subkey purposes (crypto_kdf ids). Never renumber: data on disk depends on them.
enum class KeyPurpose : uint64_t {
    fields = 1,          // encrypted columns (then per table.column)
    blind_index = 2,     // search indexes (then per index)
    audit_signing = 3,   // Ed25519 seed for audit checkpoints
    audit_ids = 4,       // keyed hashes of ids in audit entries
    backup = 5,          // backup files
    web_push = 6,        // the P-256 seed that signs Web Push (VAPID); browsers' subscriptions are bound to it
    login_throttle = 7,  // keyed hashes of client addresses and usernames in login_throttle (the same in every process)
};

struct VaultCreated {
    std::string passphrase;                   // empty when none was asked for
    std::vector<std::string> operator_files;  // contents of the n operator key files
};

class Vault {
public:
    explicit Vault(std::string path, const Clock& clock);
    ~Vault();

    // Writes a new vault file (refusing to overwrite one). With `with_passphrase`, a passphrase is generated;
    // with n > 0, n operator key files of which any k open the vault. Leaves this vault unsealed.
    Result<VaultCreated> create(bool with_passphrase, int k, int n);
    bool exists() const;

    // Refused (401 "wrong_passphrase") on failure. Not rate-limited here: callers that strangers reach limit their
    // attempts by source (modules/vault/unseal_throttle.hpp); local ones (a passphrase file) need no limit.
    Status unseal_with_passphrase(const std::string& passphrase);
    Status unseal_with_operator_files(const std::vector<std::string>& files);
    // Drops every key from memory at once ("panic seal"), then runs the seal hooks (other keys held in memory,
    // such as signed-in counsellors' personal keys, go too).
    void seal();
    void on_seal(std::function<void()> hook);
    bool sealed() const;
    std::string audit_public_key() const;  // Ed25519, readable while sealed (for `haven audit verify`)

    // While unsealed: a subkey for `purpose` and `context` (e.g. "accounts.email"). Throws VaultSealed when sealed.
    std::unique_ptr<SecretKey> subkey(KeyPurpose purpose, std::string_view context) const;
    std::unique_ptr<SecretKey> subkey(KeyPurpose purpose) const;
    // The same key (empty context: the purpose's own), derived once per unseal and kept in the guarded cache:
    // `use` runs with it while the vault stays unsealed, and must not call the vault. For keys used on every
    // request (audit ids and signatures, blind indexes), where a derivation and a guarded allocation each time
    // cost more than the work.
    void with_key(KeyPurpose purpose, std::string_view context, const std::function<void(const SecretKey&)>& use) const;

    // Encrypted fields: XChaCha20-Poly1305, random nonce, associated data binding the value to its table,
    // column and row id. A value moved to another row, flipped or truncated is refused, never decrypted.
    std::string seal_field(std::string_view table, std::string_view column, int64_t row_id, std::string_view plaintext) const;
    Result<std::string> open_field(std::string_view table, std::string_view column, int64_t row_id, std::string_view sealed) const;

    // Key rotation: field keys have versions (kept in vault.json); new values are sealed under the current
    // one, and every stored value names the version that opens it. next_field_key_version() starts a new
    // version; re-sealing the stored values is the job of the rotation (modules/vault/rotation.cpp).
    uint32_t field_key_version() const;
    Result<uint32_t> next_field_key_version();
    // Several processes share vault.json: one started a new version (storage::listen on vault::keys_channel, or a value
    // sealed under a version this process has not seen): take it up from the file.
    void reread_key_version() const;
    static std::optional<uint32_t> version_of(std::string_view sealed);

    const std::string& path() const { return path_; }

private:
    Status install(std::string_view root);
    Status load();

    // A field key from the cache (derived once per unseal; the cache is wiped with the root key).
    // The caller holds mutex_ (shared) for as long as it uses the key.
    const SecretKey& field_key(std::string_view table, std::string_view column, uint32_t version) const;

    std::string path_;
    const Clock& clock_;
    mutable std::shared_mutex mutex_;
    std::unique_ptr<SecretKey> root_;
    mutable uint32_t field_version_ = 0;
    mutable std::mutex cache_mutex_;
    mutable std::map<std::string, std::unique_ptr<SecretKey>, std::less<>> field_keys_;
    mutable std::string file_text_;
    std::mutex hooks_mutex_;
    std::vector<std::function<void()>> seal_hooks_;
};

// XChaCha20-Poly1305 under a 32-byte key, random nonce: nonce ‖ ciphertext ‖ tag. The vault's own fields use
// it; modules use it directly under keys the vault seals for them (a person's data key, see modules/people).
std::string aead_seal(std::string_view plaintext, const unsigned char* key, std::string_view ad);
std::optional<std::string> aead_open(std::string_view sealed, const unsigned char* key, std::string_view ad);

class VaultSealed : public std::runtime_error {
public:
    VaultSealed() : std::runtime_error("the vault is sealed") {}
};

}  // namespace haven::crypto
