#include "crypto/blind_index.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace haven::crypto {
namespace {

TEST(BlindIndex, SizesFollowCipherSweet) {
    for (int64_t r : {100, 1'000, 20'000, 100'000, 1'000'000}) {
        int b = blind_index_bits(r);
        double per_value = double(r) / std::pow(2.0, b);
        EXPECT_GE(per_value, 2.0) << r;
        EXPECT_LT(per_value, std::sqrt(double(r))) << r;
    }
}

TEST(BlindIndex, SpellingsShareValuesAndIndexesDiffer) {
    std::random_device rd;
    std::string path = (std::filesystem::temp_directory_path() / ("haven-bi-" + std::to_string(rd()) + ".json")).string();
    ManualClock clock;
    Vault v(path, clock);
    ASSERT_TRUE(v.create(false, 1, 1).ok());
    const int bits = blind_index_bits(20'000);
    auto a = name_index_values(v, "people.name", "Шевченко", bits);
    auto b = name_index_values(v, "people.name", "Schewtschenko", bits);
    bool shared = false;
    for (auto x : a) shared = shared || b.count(x);
    EXPECT_TRUE(shared);
    for (auto x : a) EXPECT_LT(x, int64_t(1) << bits);
    auto other = name_index_values(v, "people.birth_name", "Шевченко", bits);
    EXPECT_NE(a, other) << "each index has its own key";
    std::filesystem::remove(path);
}

}  // namespace
}  // namespace haven::crypto
