#include "cli/cli.hpp"

#include <iostream>

#include "core/log.hpp"

namespace haven::cli {

std::map<std::string, std::string> SettingFlags::given() const {
    std::map<std::string, std::string> out;
    for (const auto& [key, option] : options)
        if (option->count() > 0) out[key] = values.at(key);
    return out;
}

void add_setting_flags(CLI::App& command, SettingFlags& flags) {
    for (const auto& [key, help] : config_keys()) {
        std::string env = "HAVEN_";
        for (char c : key) env += c == '-' ? '_' : char(std::toupper(static_cast<unsigned char>(c)));
        flags.values[key];
        flags.options[key] = command.add_option("--" + key, flags.values[key], help + " [env " + env + "]");
    }
}

std::optional<Config> resolve(const SettingFlags& flags) {
    ConfigSources sources{flags.given(), process_env};
    auto config = load_config(sources);
    if (!config) {
        std::cerr << "haven: " << config.error().message << "\n";
        return std::nullopt;
    }
    if (config->data_dir.empty()) {
        std::cerr << "haven: setting 'data' is required (--data DIR or HAVEN_DATA)\n";
        return std::nullopt;
    }
    log::Level level;
    log::parse_level(config->log_level, level);
    log::set_level(level);
    return std::move(config).value();
}

CLI::App* add_command(CLI::App& app, const std::string& name, const std::string& help, int& exit_code, std::function<int(const Config&)> body) {
    auto* cmd = app.add_subcommand(name, help);
    auto flags = std::make_shared<SettingFlags>();
    add_setting_flags(*cmd, *flags);
    cmd->callback([flags, &exit_code, body = std::move(body)] {
        auto config = resolve(*flags);
        exit_code = config ? body(*config) : 2;
    });
    return cmd;
}

int run(int argc, char** argv) {
    CLI::App app{"Haven: runs a welcome centre for people fleeing persecution, built so a seized server gives away little."};
    app.require_subcommand(1);
    int exit_code = 0;
    add_init(app, exit_code);
    add_serve(app, exit_code);
    add_site(app, exit_code);
    add_user(app, exit_code);
    add_token(app, exit_code);
    add_vault_commands(app, exit_code);
    add_audit(app, exit_code);
    add_ledger(app, exit_code);
    add_backup(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return exit_code;
}

}  // namespace haven::cli
