// haven unseal --data DIR --passphrase-file F   unseals the running server (over loopback HTTP, with DATA/seal-token,
//                                               so strangers' wrong attempts never hold it back)
// haven seal --data DIR                         panic-seals it (with DATA/seal-token)
#include <iostream>

#include "cli/cli.hpp"
#include "core/log.hpp"
#include "http/transport/client.hpp"

namespace haven::cli {
namespace {

// One POST to the server this configuration serves on, within `timeout_seconds`; returns the status (0 if it
// cannot be reached or does not answer in time) and body.
std::pair<int, std::string> post(const Config& config, const std::string& path, const std::string& body, int timeout_seconds) {
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

}  // namespace

void add_vault_commands(CLI::App& app, int& exit_code) {
    add_command(app, "unseal", "Unseal the running server with the passphrase file (--passphrase-file).", exit_code, [](const Config& config) {
        if (config.passphrase_file.empty()) {
            std::cerr << "haven: setting 'passphrase-file' is required\n";
            return 2;
        }
        std::string body = "{\"passphrase\":";
        log::append_json_string(body, read_secret_file(config.passphrase_file).value_or(""));
        body += "}";
        return report(post(config, "/api/v1/vault/unseal", body, 60), "Unsealed.");
    });
    auto* keys = app.add_subcommand("keys", "Manage the vault's keys.");
    keys->require_subcommand(1);
    auto resume = std::make_shared<bool>(false);
    auto* rotate = add_command(*keys, "rotate", "Re-seal every stored value under a new field-key version, while serving.", exit_code,
                               [resume](const Config& config) {
                                   // Re-sealing every stored value may take a while on a large database.
                                   auto r = post(config, "/api/v1/vault/rotate", *resume ? R"({"resume":true})" : "{}", 3600);
                                   return report(r, ("Rotated: " + r.second).c_str());
                               });
    rotate->add_flag("--resume", *resume, "finish an interrupted rotation without starting a new version");
    add_command(app, "seal", "Panic seal: the running server drops every key from memory at once.", exit_code,
                [](const Config& config) { return report(post(config, "/api/v1/vault/seal", "{}", 30), "Sealed."); });
}

}  // namespace haven::cli
