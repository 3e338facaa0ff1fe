// `haven` and its subcommands. One file per subcommand; this one wires them together.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>

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

void add_init(CLI::App& app, int& exit_code);
void add_serve(CLI::App& app, int& exit_code);

int run(int argc, char** argv);

}  // namespace haven::cli
