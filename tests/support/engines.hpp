// The database engines every storage and integration test runs on. PostgreSQL comes from a throwaway
// cluster that scripts/run-tests starts (HAVEN_TEST_PG_URL); without it the PostgreSQL cases fail
// rather than pass silently — set HAVEN_TEST_SKIP_PG=1 to skip them knowingly.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "storage/db.hpp"

namespace haven::testing {

inline std::string temp_dir(const std::string& prefix) {
    std::random_device rd;
    auto dir = std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir);
    return dir.string();
}

// Sets `out` to a fresh, empty database URL for `engine`; leaves it empty with the test skipped or failed.
inline void fresh_database(const std::string& engine, const std::string& dir, std::string& out) {
    if (engine == "sqlite") {
        out = "sqlite:" + dir + "/haven.db";
        return;
    }
    const char* url = std::getenv("HAVEN_TEST_PG_URL");
    if (!url || !*url) {
        if (std::getenv("HAVEN_TEST_SKIP_PG")) GTEST_SKIP() << "PostgreSQL skipped (HAVEN_TEST_SKIP_PG)";
        ADD_FAILURE() << "HAVEN_TEST_PG_URL is not set: run the tests through `make test` (scripts/run-tests)";
        return;
    }
    // Each test starts from an empty schema.
    auto db = storage::open_database(url, {1});
    (void)db->write([](storage::Tx& tx) -> Status {
        tx.exec_script("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
        return {};
    });
    out = url;
}

inline std::string engine_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace haven::testing
