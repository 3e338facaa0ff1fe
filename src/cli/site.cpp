// haven site add --data DIR --name N --city C --country K --time-zone Z [--require-second-factor]
#include <iostream>

#include "cli/store_session.hpp"

namespace haven::cli {

void add_site(CLI::App& app, int& exit_code) {
    auto* site = app.add_subcommand("site", "Manage sites (hubs).");
    site->require_subcommand(1);
    auto in = std::make_shared<accounts::SiteInput>();
    auto* add = add_command(*site, "add", "Add a site.", exit_code, [in](const Config& config) {
        return with_store(config, [&](StoreSession& s) {
            auto created = s.accounts->create_site(nullptr, *in);
            if (!created) {
                print_error(created.error());
                return 1;
            }
            std::cout << "Site " << created->name << " added (id " << created->id << ").\n";
            return 0;
        });
    });
    add->add_option("--name", in->name, "site name, e.g. Paris")->required();
    add->add_option("--city", in->city, "city")->required();
    add->add_option("--country", in->country, "country")->required();
    add->add_option("--time-zone", in->time_zone, "IANA time zone, e.g. Europe/Paris")->required();
    add->add_flag("--require-second-factor", in->require_second_factor, "every role must use a second factor");
}

}  // namespace haven::cli
