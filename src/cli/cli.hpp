// `haven` and its subcommands. One file per subcommand; this one wires them together.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "audit/chain.hpp"
#include "core/config.hpp"

namespace haven::cli {

// The settings flags of config_keys(), registered on `command`; after parsing, those the user gave are in `given`.
struct SettingFlags {
    std::map<std::string, std::string> values;
    std::map<std::string, CLI::Option*> options;
    std::map<std::string, std::string> given() const;
};
void add_setting_flags(CLI::App& command, SettingFlags& flags);

// Resolves the settings (flags > HAVEN_* > DIR/haven.toml > defaults); prints the error and returns
// nullopt on a bad one.
std::optional<Config> resolve(const SettingFlags& flags);

// Adds a subcommand that takes every setting; `body` runs with the resolved Config and returns the exit code
// (2 when the settings are bad).
// Returns the subcommand so the caller can add its own options.
CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& help, int& exit_code, std::function<int(const Config&)> body);
// One POST to the server this configuration serves on (its listen address; 0.0.0.0 as loopback), with DATA/seal-token
// as X-Seal-Token, within `timeout_seconds`: the status (0 if nothing answered in time) and body.
std::pair<int, std::string> post_to_server(const Config& config, const std::string& path, const std::string& body, int timeout_seconds);
// Prints `done` on 200, else why; the exit code.
int report(const std::pair<int, std::string>& r, const char* done);
// For commands that work on the store: opens it (migrating) and runs `body`; prints errors.
struct StoreSession;
// `migrate`: bring the schema up to this binary's first (under the upgrade rule: a fresh backup, storage/migrate.hpp);
// a backup reads the store as it is, so that the older store can be saved before a newer Haven migrates it.
int with_store(const Config& config, const std::function<int(StoreSession&)>& body, bool migrate = true);

void add_init(CLI::App& app, int& exit_code);
void add_db(CLI::App& app, int& exit_code);
void add_user(CLI::App& app, int& exit_code);
void add_token(CLI::App& app, int& exit_code);
void add_site(CLI::App& app, int& exit_code);
void add_vault_commands(CLI::App& app, int& exit_code);
void add_audit(CLI::App& app, int& exit_code);
// The checkpoint file given to `verify --checkpoint` for `chain` ("audit", "ledger"), none if `file` is empty;
// false, having said why, when the file is not one.
bool read_checkpoint(const std::string& file, std::string_view chain, std::optional<audit::Checkpoint>& out);
void add_ledger(CLI::App& app, int& exit_code);
void add_backup(CLI::App& app, int& exit_code);
void add_serve(CLI::App& app, int& exit_code);

int run(int argc, char** argv);

}  // namespace haven::cli
