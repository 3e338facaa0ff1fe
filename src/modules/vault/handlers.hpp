// Sealing and unsealing a running server. While sealed, only /healthz, /metrics, assets and these
// routes answer (see the sealed gate in src/app/app.cpp).
#pragma once

#include <mutex>

#include "audit/audit.hpp"
#include "core/result.hpp"
#include "crypto/vault.hpp"
#include "http/message.hpp"
#include "modules/vault/unseal_throttle.hpp"
#include "storage/db.hpp"

namespace haven::vault {

using http::Request;
using http::Response;

struct Context {
    crypto::Vault& vault;
    // DATA/seal-token: lets `haven seal` and `haven unseal` on the server act without a session; an unseal that
    // carries it (X-Seal-Token) is the operator's, and strangers' wrong attempts never hold it back.
    std::string seal_token;
    storage::Database& db;
    const audit::Recorder& audit;
    std::unique_ptr<UnsealThrottle> throttle;  // strangers' attempts, per source
    std::string data_dir;                      // vault.json travels in each backup; DATA/backups receives them
    std::vector<std::string> peers;            // the other processes of this store (setting peers): an unseal is passed on
    std::mutex backing_up;                     // one backup at a time
};

Result<Response> unseal_show(Request& request, Context& c);  // GET  /unseal
Result<Response> unseal_save(Request& request, Context& c);  // POST /unseal (passphrase, or pasted operator key files)
Result<Response> seal_save(Request& request, Context& c);    // POST /seal (administrators' panic button)
// POST /api/v1/vault/unseal {"passphrase"} or {"operator_keys":[…]}; with X-Seal-Token, outside the throttle
Result<Response> api_unseal(Request& request, Context& c);
Result<Response> api_seal(Request& request, Context& c);  // POST /api/v1/vault/seal, header X-Seal-Token
// POST /api/v1/vault/rotate {"resume":false}, header X-Seal-Token: a new field-key version, then every
// stored value re-sealed under it ({"resume":true} only finishes an interrupted rotation).
Result<Response> api_rotate(Request& request, Context& c);

// POST /api/v1/vault/backup {"keep": 14}, header X-Seal-Token: an encrypted backup, read back before it is kept, into
// DATA/backups/haven-YYYYMMDDTHHMMSSZ.backup (0600); then all but the newest `keep` (1..1000) such files are deleted.
// What `haven backup --keep N` and the package's timer call: the running server holds the key, so no passphrase
// waits on the disk for the timer.
Result<Response> api_backup(Request& request, Context& c);

// Channels (storage::listen): a panic seal in one process seals every process on the same PostgreSQL; a new
// field-key version is read from the vault file by every process.
inline constexpr const char* sealed_channel = "vault_sealed";
inline constexpr const char* keys_channel = "vault_keys";

// The page every sealed request gets (503).
Response sealed_page(const Request& request);

// Splits pasted text holding one or more operator key files.
std::vector<std::string> split_operator_files(std::string_view text);

}  // namespace haven::vault
