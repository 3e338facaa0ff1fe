#include "core/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace haven {
namespace {

ConfigSources sources(std::map<std::string, std::string> flags, std::map<std::string, std::string> env) {
    return {std::move(flags), [env](const std::string& name) -> std::optional<std::string> {
                auto it = env.find(name);
                if (it == env.end()) return std::nullopt;
                return it->second;
            }};
}

TEST(Config, FlagBeatsEnvironmentBeatsFile) {
    std::string toml = "workers = 3\nlisten = \"0.0.0.0:9000\"\nmax-queue = 7\n";
    auto c = load_config(sources({{"data", "/d"}, {"workers", "5"}}, {{"HAVEN_WORKERS", "4"}, {"HAVEN_MAX_QUEUE", "9"}}), toml);
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->workers, 5);
    EXPECT_EQ(c->max_queue, 9);
    EXPECT_EQ(c->listen_host, "0.0.0.0");
    EXPECT_EQ(c->listen_port, 9000);
    EXPECT_EQ(c->db, "sqlite:/d/haven.db");
}

TEST(Config, DefaultsWithoutSources) {
    auto c = load_config(sources({{"data", "/d"}}, {}), std::nullopt);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->listen_port, 8080);
    EXPECT_EQ(c->listen_host, "127.0.0.1");
    EXPECT_TRUE(c->group_commit);
    EXPECT_FALSE(c->test_routes);
}

TEST(Config, RefusesBadValuesNamingTheKey) {
    struct Case {
        std::map<std::string, std::string> flags;
        std::map<std::string, std::string> env;
        std::optional<std::string> toml;
        std::string key;
    };
    const Case cases[] = {
        {{{"workers", "many"}}, {}, std::nullopt, "workers"},
        {{{"workers", "0"}}, {}, std::nullopt, "workers"},
        {{}, {{"HAVEN_LISTEN", "nohost"}}, std::nullopt, "listen"},
        {{{"listen", "127.0.0.1:99999"}}, {}, std::nullopt, "listen"},
        {{{"db", "mysql://x"}}, {}, std::nullopt, "db"},
        {{{"group-commit", "maybe"}}, {}, std::nullopt, "group-commit"},
        {{{"log-level", "loud"}}, {}, std::nullopt, "log-level"},
        {{}, {}, std::string("wrokers = 3\n"), "wrokers"},
        {{}, {}, std::string("workers = [1]\n"), "workers"},
        {{}, {}, std::string("workers = \"x\"\n"), "workers"},
        {{}, {}, std::string("workers = \n"), "haven.toml"},
    };
    for (const auto& c : cases) {
        auto r = load_config(sources(c.flags, c.env), c.toml);
        ASSERT_FALSE(r.ok()) << c.key;
        EXPECT_EQ(r.error().field, c.key);
        EXPECT_NE(r.error().message.find(c.key == "haven.toml" ? "haven.toml" : "'" + c.key + "'"), std::string::npos) << r.error().message;
    }
}

TEST(Config, SecretFilesForgiveLineEndingsAndBlanks) {
    const std::string path = std::filesystem::temp_directory_path() / "haven-secret-test.txt";
    std::ofstream(path) << "  abc-def-ghi \r\nsecond line\n";
    EXPECT_EQ(read_secret_file(path), "abc-def-ghi");
    std::ofstream(path, std::ios::trunc) << "\n";
    EXPECT_EQ(read_secret_file(path), "");
    std::filesystem::remove(path);
    EXPECT_EQ(read_secret_file(path), std::nullopt);
}

}  // namespace
}  // namespace haven
