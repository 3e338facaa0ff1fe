#include "core/config.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <toml++/toml.h>

#include "core/log.hpp"

namespace haven {
namespace {

std::string env_name(const std::string& key) {
    std::string name = "HAVEN_";
    for (char c : key) name += (c == '-') ? '_' : char(std::toupper(static_cast<unsigned char>(c)));
    return name;
}

Error bad(const std::string& key, const RawSetting& raw, const std::string& why) {
    return make_error(ErrorKind::invalid, "bad_config", "setting '" + key + "' (from " + raw.source + ") " + why, key);
}

Result<int> parse_int(const std::string& key, const RawSetting& raw, int lo, int hi) {
    int v = 0;
    const char* b = raw.value.data();
    const char* e = b + raw.value.size();
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec != std::errc() || p != e || raw.value.empty()) return bad(key, raw, "must be a whole number");
    if (v < lo || v > hi) return bad(key, raw, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return v;
}

Result<bool> parse_bool(const std::string& key, const RawSetting& raw) {
    if (raw.value == "true" || raw.value == "1" || raw.value == "yes") return true;
    if (raw.value == "false" || raw.value == "0" || raw.value == "no") return false;
    return bad(key, raw, "must be true or false");
}

Status parse_listen(const RawSetting& raw, Config& c) {
    auto colon = raw.value.rfind(':');
    if (colon == std::string::npos || colon == 0) return bad("listen", raw, "must look like HOST:PORT, e.g. 127.0.0.1:8080");
    std::string host = raw.value.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    RawSetting port{raw.value.substr(colon + 1), raw.source};
    auto p = parse_int("listen", port, 0, 65535);
    if (!p) return bad("listen", raw, "has a port that is not a number from 0 to 65535");
    c.listen_host = host;
    c.listen_port = static_cast<uint16_t>(*p);
    return {};
}

// peers: the other processes serving the same store on this machine, "127.0.0.1:8081,127.0.0.1:8082". An unseal is
// passed on to them in plain HTTP, so only loopback addresses are taken.
Status parse_peers(const RawSetting& raw, Config& c) {
    for (size_t at = 0; at <= raw.value.size();) {
        size_t end = raw.value.find(',', at);
        if (end == std::string::npos) end = raw.value.size();
        std::string one = raw.value.substr(at, end - at);
        one.erase(0, one.find_first_not_of(' '));
        one.erase(one.find_last_not_of(' ') + 1);
        at = end + 1;
        if (one.empty()) continue;
        Config peer;
        if (auto s = parse_listen({one, raw.source}, peer); !s)
            return bad("peers", raw, "must list HOST:PORT of loopback addresses, comma-separated");
        if (!(peer.listen_host.starts_with("127.") || peer.listen_host == "::1" || peer.listen_host == "localhost") || peer.listen_port == 0)
            return bad("peers", raw, "may only name loopback addresses with a port (an unseal travels to them in plain HTTP)");
        c.peers.push_back(one);
    }
    return {};
}

// Reads haven.toml into raw strings, refusing unknown keys and tables.
Result<std::map<std::string, RawSetting>> read_toml(const std::string& text) {
    toml::table table;
    try {
        table = toml::parse(std::string_view(text), std::string_view("haven.toml"));
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << "haven.toml line " << e.source().begin.line << ": " << e.description();
        return make_error(ErrorKind::invalid, "bad_config", msg.str(), "haven.toml");
    }
    std::map<std::string, RawSetting> out;
    for (auto&& [k, node] : table) {
        std::string key(k.str());
        if (!config_keys().count(key) || key == "data")
            return make_error(ErrorKind::invalid, "bad_config", "haven.toml: unknown key '" + key + "'", key);
        RawSetting raw{"", "haven.toml"};
        if (auto s = node.value_exact<std::string>())
            raw.value = *s;
        else if (auto i = node.value_exact<int64_t>())
            raw.value = std::to_string(*i);
        else if (auto b = node.value_exact<bool>())
            raw.value = *b ? "true" : "false";
        else
            return make_error(ErrorKind::invalid, "bad_config", "haven.toml: key '" + key + "' must be a string, number or boolean", key);
        out[key] = raw;
    }
    return out;
}

}  // namespace

int default_workers() { return int(std::max(4u, 2 * std::thread::hardware_concurrency())); }

const std::map<std::string, std::string>& config_keys() {
    static const std::map<std::string, std::string> keys = {
        {"data", "data directory (store, haven.toml)"},
        {"db", "database: sqlite:PATH or postgresql://... (default sqlite:DATA/haven.db)"},
        {"listen", "address to serve on, HOST:PORT (default 127.0.0.1:8080)"},
        {"workers", "handlers running at once (default: twice the cores, at least 4)"},
        {"max-connections", "open connections at most (default 10000; each member device long-polling holds one)"},
        {"max-queue", "requests waiting for a handler at most; more get 503 (default 256)"},
        {"body-memory-mb", "request bodies being read at once, in all, at most this many MB; more get 503 (default 64)"},
        {"db-pool", "database connections for reading (default 4)"},
        {"group-commit", "SQLite: let concurrent writes share one fsync (default true)"},
        {"test-routes", "mount /api/v1/test/* used by the durability tests (default false)"},
        {"secure-cookies", "mark cookies Secure; false only for a plain-HTTP demo (default true)"},
        {"trusted-proxies",
         "addresses of the TLS proxies in front, comma-separated: only from them is X-Forwarded-For taken as the client (default none)"},
        {"peers",
         "other haven serve processes of this store on this machine, loopback HOST:PORT comma-separated: an unseal is passed on to them "
         "(default none)"},
        {"log-level", "debug, info, warn or error (default info)"},
        {"mass-read-limit", "records one account may open per window before administrators are alerted (default 50)"},
        {"mass-read-window-minutes", "the window of mass-read-limit (default 60)"},
        {"retention-months", "people inactive this long are proposed for erasure (default 24)"},
        {"name-index-bits", "width of the blind index over names, 8..24; set before recording people (default 14)"},
        {"mass-read-suspend", "also suspend an account that passes mass-read-limit (default false)"},
        {"migrate-without-backup",
         "change an existing database's schema even though no backup was written in DATA/backups in the last 24 hours (default false)"},
        {"passphrase-file", "file holding the unseal passphrase (init: written there; serve: unseal at start)"},
        {"session-idle-minutes", "a session ends after this many minutes without a request (default 30)"},
        {"session-max-hours", "a session ends this many hours after login (default 12)"},
        {"doorbell-smtp", "emergency network: SMTP relay for e-mail doorbells, HOST:PORT (default: off)"},
        {"doorbell-smtp-tls",
         "emergency network: STARTTLS to the SMTP relay, auto (required with a verified certificate unless the relay is on loopback), require or off "
         "(default auto)"},
        {"doorbell-from", "emergency network: the From of doorbell e-mails (default haven@localhost)"},
        {"doorbell-matrix", "emergency network: Matrix homeserver for doorbells, https://… (default: off)"},
        {"doorbell-matrix-token-file", "emergency network: file holding the Matrix bot's access token"},
        {"doorbell-webpush", "emergency network: offer Web Push doorbells (VAPID contact: mailto: doorbell-from) (default true)"},
        {"doorbell-timeout-seconds", "emergency network: one doorbell delivery attempt at most this long (default 10)"},
        {"doorbell-allow-private-targets",
         "emergency network, FOR TESTS ONLY: let webhook doorbells call loopback, private and link-local addresses (default false)"},
    };
    return keys;
}

std::optional<std::string> process_env(const std::string& name) {
    if (const char* v = std::getenv(name.c_str())) return std::string(v);
    return std::nullopt;
}

std::optional<std::string> read_secret_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::string line;
    std::getline(in, line);
    const auto first = line.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return std::string();
    return line.substr(first, line.find_last_not_of(" \t\r\n") - first + 1);
}

Result<Config> load_config(const ConfigSources& sources) {
    std::optional<std::string> data;
    if (auto it = sources.flags.find("data"); it != sources.flags.end())
        data = it->second;
    else if (sources.env)
        data = sources.env("HAVEN_DATA");
    std::optional<std::string> text;
    if (data && !data->empty()) {
        std::ifstream in(*data + "/haven.toml");
        if (in) {
            std::stringstream ss;
            ss << in.rdbuf();
            text = ss.str();
        }
    }
    return load_config(sources, text);
}

Result<Config> load_config(const ConfigSources& sources, const std::optional<std::string>& toml_text) {
    std::map<std::string, RawSetting> file;
    if (toml_text) {
        auto parsed = read_toml(*toml_text);
        if (!parsed) return parsed.error();
        file = std::move(parsed.value());
    }
    auto lookup = [&](const std::string& key) -> std::optional<RawSetting> {
        if (auto it = sources.flags.find(key); it != sources.flags.end()) return RawSetting{it->second, "--" + key};
        if (sources.env) {
            if (auto v = sources.env(env_name(key))) return RawSetting{*v, env_name(key)};
        }
        if (auto it = file.find(key); it != file.end()) return it->second;
        return std::nullopt;
    };

    Config c;
    if (auto v = lookup("data")) c.data_dir = v->value;
    if (auto v = lookup("db")) {
        if (v->value.rfind("sqlite:", 0) != 0 && v->value.rfind("postgresql://", 0) != 0 && v->value.rfind("postgres://", 0) != 0)
            return bad("db", *v, "must start with sqlite: or postgresql://");
        if (v->value == "sqlite:") return bad("db", *v, "needs a path after sqlite:");
        c.db = v->value;
    } else if (!c.data_dir.empty()) {
        c.db = "sqlite:" + c.data_dir + "/haven.db";
    }
    if (auto v = lookup("listen")) {
        if (auto s = parse_listen(*v, c); !s) return s.error();
    }
    struct IntKey {
        const char* key;
        int* target;
        int lo;
        int hi;
    };
    for (IntKey k :
         {IntKey{"workers", &c.workers, 1, 256}, IntKey{"max-connections", &c.max_connections, 1, 100000},
          IntKey{"max-queue", &c.max_queue, 1, 100000}, IntKey{"db-pool", &c.db_pool, 1, 64}, IntKey{"body-memory-mb", &c.body_memory_mb, 16, 65536},
          IntKey{"session-idle-minutes", &c.session_idle_minutes, 1, 24 * 60}, IntKey{"session-max-hours", &c.session_max_hours, 1, 24 * 7},
          IntKey{"mass-read-limit", &c.mass_read_limit, 1, 1000000}, IntKey{"retention-months", &c.retention_months, 1, 600},
          IntKey{"name-index-bits", &c.name_index_bits, 8, 24}, IntKey{"doorbell-timeout-seconds", &c.doorbell_timeout_seconds, 1, 120},
          IntKey{"mass-read-window-minutes", &c.mass_read_window_minutes, 1, 7 * 24 * 60}}) {
        if (auto v = lookup(k.key)) {
            auto n = parse_int(k.key, *v, k.lo, k.hi);
            if (!n) return n.error();
            *k.target = *n;
        }
    }
    struct BoolKey {
        const char* key;
        bool* target;
    };
    for (BoolKey k : {BoolKey{"group-commit", &c.group_commit}, BoolKey{"test-routes", &c.test_routes}, BoolKey{"secure-cookies", &c.secure_cookies},
                      BoolKey{"mass-read-suspend", &c.mass_read_suspend}, BoolKey{"doorbell-webpush", &c.doorbell_webpush},
                      BoolKey{"migrate-without-backup", &c.migrate_without_backup}}) {
        if (auto v = lookup(k.key)) {
            auto b = parse_bool(k.key, *v);
            if (!b) return b.error();
            *k.target = *b;
        }
    }
    if (auto v = lookup("passphrase-file")) c.passphrase_file = v->value;
    if (auto v = lookup("trusted-proxies")) c.trusted_proxies = v->value;
    if (auto v = lookup("peers"))
        if (auto s = parse_peers(*v, c); !s) return s.error();
    for (auto [key, target] :
         {std::pair{"doorbell-smtp", &c.doorbell_smtp}, std::pair{"doorbell-from", &c.doorbell_from},
          std::pair{"doorbell-matrix", &c.doorbell_matrix}, std::pair{"doorbell-matrix-token-file", &c.doorbell_matrix_token_file}})
        if (auto v = lookup(key)) *target = v->value;
    if (auto v = lookup("doorbell-smtp-tls")) {
        if (v->value != "auto" && v->value != "require" && v->value != "off") return bad("doorbell-smtp-tls", *v, "must be auto, require or off");
        c.doorbell_smtp_tls = v->value;
    }
    if (auto v = lookup("doorbell-allow-private-targets")) {
        auto b = parse_bool("doorbell-allow-private-targets", *v);
        if (!b) return b.error();
        c.doorbell_allow_private_targets = *b;
    }
    if (auto v = lookup("log-level")) {
        log::Level l;
        if (!log::parse_level(v->value, l)) return bad("log-level", *v, "must be debug, info, warn or error");
        c.log_level = v->value;
    }
    return c;
}

}  // namespace haven
