#include "crypto/vault.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <random>

namespace haven::crypto {
namespace {

std::string temp_path() {
    std::random_device rd;
    auto p = std::filesystem::temp_directory_path() / ("haven-vault-" + std::to_string(rd()) + ".json");
    return p.string();
}

struct VaultFile {
    std::string path = temp_path();
    ~VaultFile() { std::filesystem::remove(path); }
};

// The vault itself does not rate-limit: strangers' attempts are limited per source where they arrive
// (modules/vault/unseal_throttle_test.cpp), so none of them can lock the operator out.
TEST(Vault, PassphraseOpensItAndAWrongOneIsRefused) {
    VaultFile f;
    ManualClock clock;
    VaultCreated created;
    {
        Vault v(f.path, clock);
        auto c = v.create(true, 0, 0);
        ASSERT_TRUE(c.ok()) << c.error().message;
        created = c.value();
        EXPECT_FALSE(v.sealed());
        EXPECT_EQ(created.passphrase.size(), 35u);
    }
    Vault v(f.path, clock);
    EXPECT_TRUE(v.sealed()) << "a vault loaded from disk starts sealed";
    for (int i = 0; i < 3; ++i) {
        auto s = v.unseal_with_passphrase("not-the-passphrase");
        ASSERT_FALSE(s.ok());
        EXPECT_EQ(s.error().code, "wrong_passphrase");
    }
    EXPECT_TRUE(v.unseal_with_passphrase(created.passphrase).ok());
    EXPECT_FALSE(v.sealed());
}

TEST(Vault, EveryKSubsetOpensItAndNoSmallerOneDoes) {
    VaultFile f;
    ManualClock clock;
    std::vector<std::string> files;
    {
        Vault v(f.path, clock);
        auto c = v.create(false, 2, 4);
        ASSERT_TRUE(c.ok());
        files = c->operator_files;
    }
    ASSERT_EQ(files.size(), 4u);
    for (size_t i = 0; i < files.size(); ++i) {
        Vault v(f.path, clock);
        EXPECT_FALSE(v.unseal_with_operator_files({files[i]}).ok()) << "one file alone: " << i;
        EXPECT_TRUE(v.sealed());
    }
    for (size_t i = 0; i < files.size(); ++i)
        for (size_t j = i + 1; j < files.size(); ++j) {
            Vault v(f.path, clock);
            EXPECT_TRUE(v.unseal_with_operator_files({files[j], files[i]}).ok()) << i << "," << j;
        }
    Vault v(f.path, clock);
    EXPECT_FALSE(v.unseal_with_operator_files({"haven operator key v1\nindex 1\nkey AAAA\n", files[0]}).ok());
    EXPECT_FALSE(v.unseal_with_operator_files({"garbage"}).ok());
}

TEST(Vault, PanicSealDropsEveryKey) {
    VaultFile f;
    ManualClock clock;
    Vault v(f.path, clock);
    ASSERT_TRUE(v.create(false, 1, 1).ok());
    std::string sealed = v.seal_field("accounts", "email", 7, "anna@example.org");
    v.seal();
    EXPECT_TRUE(v.sealed());
    EXPECT_THROW(v.subkey(KeyPurpose::fields), VaultSealed);
    EXPECT_THROW((void)v.open_field("accounts", "email", 7, sealed), VaultSealed);
    EXPECT_FALSE(v.audit_public_key().empty()) << "the public key stays readable for verification";
}

TEST(Vault, FieldsRefuseSwappedFlippedAndTruncatedValues) {
    VaultFile f;
    ManualClock clock;
    Vault v(f.path, clock);
    ASSERT_TRUE(v.create(false, 1, 1).ok());
    const std::string a = v.seal_field("accounts", "real_name", 1, "Анна Петрова");
    const std::string b = v.seal_field("accounts", "real_name", 2, "Ivan Sidorov");
    EXPECT_EQ(v.open_field("accounts", "real_name", 1, a).value(), "Анна Петрова");
    EXPECT_NE(a, v.seal_field("accounts", "real_name", 1, "Анна Петрова")) << "random nonce";
    EXPECT_EQ(a.find("Анна"), std::string::npos);
    EXPECT_FALSE(v.open_field("accounts", "real_name", 2, a).ok()) << "moved to another row";
    EXPECT_FALSE(v.open_field("accounts", "email", 1, a).ok()) << "moved to another column";
    EXPECT_FALSE(v.open_field("people", "real_name", 1, a).ok()) << "moved to another table";
    for (size_t i = 0; i < a.size(); ++i) {
        std::string flipped = a;
        flipped[i] = char(flipped[i] ^ 0x01);
        EXPECT_FALSE(v.open_field("accounts", "real_name", 1, flipped).ok()) << "flipped byte " << i;
    }
    for (size_t n = 0; n < a.size(); ++n) EXPECT_FALSE(v.open_field("accounts", "real_name", 1, a.substr(0, n)).ok()) << n;
    EXPECT_TRUE(v.open_field("accounts", "real_name", 2, b).ok());
}

TEST(Vault, SubkeysDifferByPurposeAndContext) {
    VaultFile f;
    ManualClock clock;
    Vault v(f.path, clock);
    ASSERT_TRUE(v.create(false, 1, 1).ok());
    auto a = v.subkey(KeyPurpose::fields, "accounts.email");
    auto b = v.subkey(KeyPurpose::fields, "accounts.phone");
    auto c = v.subkey(KeyPurpose::blind_index, "accounts.email");
    EXPECT_NE(0, std::memcmp(a->data(), b->data(), 32));
    EXPECT_NE(0, std::memcmp(a->data(), c->data(), 32));
    auto a2 = v.subkey(KeyPurpose::fields, "accounts.email");
    EXPECT_EQ(0, std::memcmp(a->data(), a2->data(), 32));
    EXPECT_FALSE(v.create(false, 1, 1).ok()) << "never overwrites a vault";
}

}  // namespace
}  // namespace haven::crypto
