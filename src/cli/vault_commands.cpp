// haven unseal --data DIR --passphrase-file F   unseals the running server (over loopback HTTP, with DATA/seal-token,
//                                               so strangers' wrong attempts never hold it back)
// haven seal --data DIR                         panic-seals it (with DATA/seal-token)
#include <iostream>

#include "cli/cli.hpp"
#include "core/log.hpp"

namespace haven::cli {

void add_vault_commands(CLI::App& app, int& exit_code) {
    add_command(app, "unseal", "Unseal the running server with the passphrase file (--passphrase-file).", exit_code, [](const Config& config) {
        if (config.passphrase_file.empty()) {
            std::cerr << "haven: setting 'passphrase-file' is required\n";
            return 2;
        }
        std::string body = "{\"passphrase\":";
        log::append_json_string(body, read_secret_file(config.passphrase_file).value_or(""));
        body += "}";
        return report(post_to_server(config, "/api/v1/vault/unseal", body, 60), "Unsealed.");
    });
    auto* keys = app.add_subcommand("keys", "Manage the vault's keys.");
    keys->require_subcommand(1);
    auto resume = std::make_shared<bool>(false);
    auto* rotate = add_command(*keys, "rotate", "Re-seal every stored value under a new field-key version, while serving.", exit_code,
                               [resume](const Config& config) {
                                   // Re-sealing every stored value may take a while on a large database.
                                   auto r = post_to_server(config, "/api/v1/vault/rotate", *resume ? R"({"resume":true})" : "{}", 3600);
                                   return report(r, ("Rotated: " + r.second).c_str());
                               });
    rotate->add_flag("--resume", *resume, "finish an interrupted rotation without starting a new version");
    add_command(app, "seal", "Panic seal: the running server drops every key from memory at once.", exit_code,
                [](const Config& config) { return report(post_to_server(config, "/api/v1/vault/seal", "{}", 30), "Sealed."); });
}

}  // namespace haven::cli
