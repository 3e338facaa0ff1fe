// Configuration: every setting has a flag (--key), an environment variable (HAVEN_KEY) and a key in
// DIR/haven.toml. A flag beats the environment, which beats the file, which beats the default.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace haven {

// Twice the cores, at least 4: handlers mostly wait on the database, yet more threads than that
// cost more in switching than they gain on a small machine (see bench/).
int default_workers();

struct Config {
    std::string data_dir;                   // data: where the store, logs and haven.toml live
    std::string db;                         // db: sqlite:PATH or postgresql://...
    std::string listen_host = "127.0.0.1";  // listen: HOST:PORT
    uint16_t listen_port = 8080;
    int workers = default_workers();      // handlers at once (the pool has one thread more)
    int max_connections = 10000;          // open connections (a waiting member device holds one); more are closed at once
    int max_queue = 256;                  // requests waiting for a worker; more get 503
    int body_memory_mb = 64;              // request bodies being read at once, in all; more get 503
    int db_pool = 4;                      // reader connections (SQLite) or pool size (PostgreSQL)
    bool group_commit = true;             // many writes share one commit (one fsync)
    bool test_routes = false;             // mounts /api/v1/test/* (durability probe); never in production
    bool secure_cookies = true;           // false only for a plain-HTTP demo on loopback
    bool migrate_without_backup = false;  // change an existing store's schema without a fresh backup in DATA/backups
    std::vector<std::string> peers;       // other processes of this store on this machine (loopback HOST:PORT): unseals reach them too
    std::string trusted_proxies;          // TLS proxies in front (comma-separated addresses): X-Forwarded-For believed only from them
    int session_idle_minutes = 30;        // a session ends after this long without a request
    int session_max_hours = 12;           // and this long after login, whatever happens
    int mass_read_limit = 50;             // distinct records one account may open per window
    int mass_read_window_minutes = 60;
    bool mass_read_suspend = false;  // suspend at once, besides alerting administrators
    int retention_months = 24;       // people inactive this long are proposed for erasure
    int name_index_bits = 14;        // blind index width for names; fixed once people are recorded
    std::string passphrase_file;     // serve: unseal at start with this passphrase (else start sealed)
    // The emergency network's doorbells ("check your mailbox"): an SMTP relay, the From of its mails, a Matrix
    // homeserver and the file holding its bot's access token. Empty: that channel is off.
    std::string doorbell_smtp, doorbell_from = "haven@localhost", doorbell_matrix, doorbell_matrix_token_file;
    std::string doorbell_smtp_tls = "auto";       // STARTTLS to the relay: auto (required unless on loopback), require, off
    bool doorbell_webpush = true;                 // Web Push, signed with the vault's push key (contact: doorbell_from)
    int doorbell_timeout_seconds = 10;            // one delivery attempt on one channel at most this long
    bool doorbell_allow_private_targets = false;  // tests only: let webhooks call loopback/private addresses (SSRF otherwise)
    std::string log_level = "info";
};

// Where `haven backup` writes the scheduled backups (DATA/backups), and where the upgrade rule looks for a fresh one.
inline std::string backups_dir(const Config& config) { return config.data_dir + "/backups"; }

// One setting as given by its source, before parsing.
struct RawSetting {
    std::string value;
    std::string source;  // "--workers", "HAVEN_WORKERS", "haven.toml"
};

// Where settings come from. `flags` holds only flags the user gave; `env` looks up a variable.
struct ConfigSources {
    std::map<std::string, std::string> flags;
    std::function<std::optional<std::string>(const std::string&)> env;
};

// The settings this binary knows, in the order `--help` shows them.
const std::map<std::string, std::string>& config_keys();

// Resolves every setting. A bad value or an unknown key in haven.toml is an Error naming the key.
Result<Config> load_config(const ConfigSources& sources);

// Same, but with the file text given (unit tests; `path_for_messages` only names it in errors).
Result<Config> load_config(const ConfigSources& sources, const std::optional<std::string>& toml_text);

std::optional<std::string> process_env(const std::string& name);

// The first line of a secret file (passphrase, token) without its line ending or surrounding blanks, so a
// file saved by any editor works; nullopt when it cannot be read.
std::optional<std::string> read_secret_file(const std::string& path);

}  // namespace haven
