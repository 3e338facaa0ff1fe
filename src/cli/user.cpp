// haven user add --data DIR --name N --role R --site S: prints a one-time enrolment link.
// haven user grant --data DIR --name N --role R --site S: one more role, at another site, for an existing account.
#include <iostream>

#include "cli/store_session.hpp"

namespace haven::cli {

struct UserInput {
    std::string name, role, site, base_url = "http://127.0.0.1:8080";
};

void add_user(CLI::App& app, int& exit_code) {
    auto* user = app.add_subcommand("user", "Manage accounts.");
    user->require_subcommand(1);
    auto in = std::make_shared<UserInput>();
    auto* add =
        add_command(*user, "add", "Invite a person: prints a one-time enrolment link (valid 72 hours).", exit_code, [in](const Config& config) {
            return with_store(config, [&](StoreSession& s) {
                auto role = accounts::parse_role(in->role);
                if (!role) {
                    std::cerr << "haven: --role must be one of:";
                    for (auto r : accounts::all_roles()) std::cerr << " " << accounts::role_name(r);
                    std::cerr << "\n";
                    return 2;
                }
                auto site = s.accounts->site_named(in->site);
                if (!site) {
                    std::cerr << "haven: no site named " << in->site << " (haven site add)\n";
                    return 2;
                }
                auto inv = s.accounts->invite(nullptr, site->id, in->name, *role);
                if (!inv) {
                    print_error(inv.error());
                    return 1;
                }
                std::cout << "Enrolment link for " << inv->account.username << " (" << in->role << " at " << site->name
                          << "), valid 72 hours, usable once:\n  " << in->base_url << "/enrol/" << inv->token << "\n";
                return 0;
            });
        });
    add->add_option("--name", in->name, "username (a chosen name, not a legal name)")->required();
    add->add_option("--role", in->role, "role at the site")->required();
    add->add_option("--site", in->site, "site name")->required();
    add->add_option("--base-url", in->base_url, "where people reach this Haven (for the printed link)");

    auto* grant = add_command(*user, "grant", "Give an existing account a role at one more site (one person working at several).", exit_code,
                              [in](const Config& config) {
                                  return with_store(config, [&](StoreSession& s) {
                                      auto role = accounts::parse_role(in->role);
                                      auto site = s.accounts->site_named(in->site);
                                      if (!role || !site) {
                                          std::cerr << "haven: " << (role ? "no site named " + in->site : "no role named " + in->role) << "\n";
                                          return 2;
                                      }
                                      if (auto done = s.accounts->add_role(nullptr, site->id, in->name, *role); !done) {
                                          print_error(done.error());
                                          return 1;
                                      }
                                      std::cout << in->name << " is now " << in->role << " at " << site->name << " too.\n";
                                      return 0;
                                  });
                              });
    grant->add_option("--name", in->name, "username")->required();
    grant->add_option("--role", in->role, "role at the site")->required();
    grant->add_option("--site", in->site, "site name")->required();
}

}  // namespace haven::cli
