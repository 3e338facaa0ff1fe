#include "cli/cli.hpp"

#include <iostream>

#include "core/log.hpp"
#include "http/transport/client.hpp"

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

std::pair<int, std::string> post_to_server(const Config& config, const std::string& path, const std::string& body, int timeout_seconds) {
    std::string host = config.listen_host == "0.0.0.0" ? "127.0.0.1" : config.listen_host == "::" ? "::1" : config.listen_host;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    http::client::Endpoint server{"http://" + host + ":" + std::to_string(config.listen_port), "", "", timeout_seconds};
    const std::string token = read_secret_file(config.data_dir + "/seal-token").value_or("");
    auto reply = http::client::request(server, "POST", path, body, "application/json", {{"X-Seal-Token", token}});
    if (!reply) return {0, ""};
    return {reply->status, reply->body};
}

int report(const std::pair<int, std::string>& r, const char* done) {
    if (r.first == 0) {
        std::cerr << "haven: no server answers at the configured listen address (or not in time)\n";
        return 1;
    }
    if (r.first != 200) {
        std::cerr << "haven: the server refused (" << r.first << "): " << r.second << "\n";
        return 1;
    }
    std::cout << done << "\n";
    return 0;
}

int run(int argc, char** argv) {
    CLI::App app{"Haven: runs a welcome centre for people fleeing persecution, built so a seized server gives away little."};
    app.set_version_flag("--version", "haven " HAVEN_VERSION);
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
    add_db(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return exit_code;
}

}  // namespace haven::cli
