// haven serve --data DIR [--listen HOST:PORT]: serves until SIGINT or SIGTERM.
#include <filesystem>
#include <iostream>

#include "app/app.hpp"
#include "cli/cli.hpp"
#include "core/log.hpp"

namespace haven::cli {

void add_serve(CLI::App& app, int& exit_code) {
    add_command(app, "serve", "Serve the web pages and the API.", exit_code, [](const Config& config) -> int {
        if (!std::filesystem::is_directory(config.data_dir)) {
            std::cerr << "haven: no data directory at " << config.data_dir << "; run `haven init --data " << config.data_dir << "` first\n";
            return 2;
        }
        static SystemClock clock;
        auto created = App::create(config, clock);
        if (!created) {
            std::cerr << "haven: " << created.error().message << "\n";
            return 1;
        }
        auto& server = *created.value();
        try {
            uint16_t port = server.listen();
            std::cout << "Haven serves http://" << config.listen_host << ":" << port << "/" << std::endl;
        } catch (const std::exception& e) {
            std::cerr << "haven: cannot listen on " << config.listen_host << ":" << config.listen_port << ": " << e.what() << "\n";
            return 1;
        }
        server.run_until_signal();
        log::info("stopped");
        return 0;
    });
}

}  // namespace haven::cli
