// haven token create --data DIR --user N [--scope read|write] [--days D] [--label L]: prints an API token once.
#include <iostream>

#include "cli/store_session.hpp"

namespace haven::cli {

struct TokenInput {
    std::string user, scope = "read", label = "script";
    int days = 30;
};

void add_token(CLI::App& app, int& exit_code) {
    auto* token = app.add_subcommand("token", "Manage API tokens for scripts.");
    token->require_subcommand(1);
    auto in = std::make_shared<TokenInput>();
    auto* create = add_command(*token, "create", "Create a token (printed once, stored hashed).", exit_code, [in](const Config& config) {
        return with_store(config, [&](StoreSession& s) {
            auto t = s.accounts->create_token(in->user, in->label, in->scope, in->days);
            if (!t) {
                print_error(t.error());
                return 1;
            }
            std::cout << t.value() << "\n";
            return 0;
        });
    });
    create->add_option("--user", in->user, "username the token acts as")->required();
    create->add_option("--scope", in->scope, "read or write (default read)");
    create->add_option("--days", in->days, "lifetime in days, 1 to 365 (default 30)");
    create->add_option("--label", in->label, "what the token is for");
    auto* revoke = add_command(*token, "revoke", "Revoke every token of an account at once.", exit_code, [in](const Config& config) {
        return with_store(config, [&](StoreSession& s) {
            auto n = s.accounts->revoke_tokens(in->user);
            if (!n) {
                print_error(n.error());
                return 1;
            }
            std::cout << n.value() << " token(s) revoked.\n";
            return 0;
        });
    });
    revoke->add_option("--user", in->user, "username whose tokens end")->required();
}

}  // namespace haven::cli
