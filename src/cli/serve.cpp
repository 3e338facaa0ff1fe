// haven serve --data DIR [--listen HOST:PORT]: serves until SIGINT or SIGTERM.
#include <filesystem>
#include <iostream>

#include "app/app.hpp"
#include "cli/cli.hpp"
#include "core/log.hpp"

namespace haven::cli {

void add_serve(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("serve", "Serve the web pages and the API.");
    auto flags = std::make_shared<SettingFlags>();
    add_setting_flags(*cmd, *flags);
    cmd->callback([flags, &exit_code] {
        auto config = resolve(*flags);
        if (!config) {
            exit_code = 2;
            return;
        }
        if (!std::filesystem::is_directory(config->data_dir)) {
            std::cerr << "haven: no data directory at " << config->data_dir << "; run `haven init --data "
                      << config->data_dir << "` first\n";
            exit_code = 2;
            return;
        }
        static SystemClock clock;
        auto created = App::create(*config, clock);
        if (!created) {
            std::cerr << "haven: " << created.error().message << "\n";
            exit_code = 1;
            return;
        }
        auto& server = *created.value();
        try {
            uint16_t port = server.listen();
            std::cout << "Haven serves http://" << config->listen_host << ":" << port << "/" << std::endl;
        } catch (const std::exception& e) {
            std::cerr << "haven: cannot listen on " << config->listen_host << ":" << config->listen_port << ": " << e.what() << "\n";
            exit_code = 1;
            return;
        }
        server.run_until_signal();
        log::info("stopped");
    });
}

}  // namespace haven::cli
