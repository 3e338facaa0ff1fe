// Restore drill on both engines: everything written comes back from the backup file, byte for byte; an
// altered, truncated or foreign backup is refused and leaves the database as it was.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "audit/audit.hpp"
#include "storage/backup.hpp"
#include "storage/migrate.hpp"
#include "support/engines.hpp"

namespace haven::storage {
namespace {

// The vault's backup key, as cli/backup.cpp hands it to storage.
BackupKey key_of(const crypto::Vault& vault) {
    return [&vault] { return vault.subkey(crypto::KeyPurpose::backup); };
}

class Backup : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        dir_ = testing::temp_dir("haven-backup");
        testing::fresh_database(GetParam(), dir_, url_);
        if (url_.empty()) return;
        vault_ = std::make_unique<crypto::Vault>(dir_ + "/vault.json", clock_);
        ASSERT_TRUE(vault_->create(false, 1, 1).ok());
        std::ifstream in(dir_ + "/vault.json");
        std::stringstream ss;
        ss << in.rdbuf();
        vault_text_ = ss.str();
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::unique_ptr<Database> fresh(const std::string& name) {
        std::string url = url_;
        if (GetParam() == "sqlite")
            url = "sqlite:" + dir_ + "/" + name + ".db";
        else
            testing::fresh_database(GetParam(), dir_, url);
        auto db = open_database(url);
        EXPECT_TRUE(migrate(*db).ok());
        return db;
    }
    // Every row of every table, as text, for comparison.
    static std::string dump(Database& db) {
        std::string out;
        for (const char* t : {"sites", "accounts", "account_roles", "audit_log", "audit_head"}) {
            for (const auto& r : db.query(std::string("SELECT * FROM ") + t + " ORDER BY 1")) {
                out += t;
                for (const auto& v : r.values) {
                    out += '|';
                    if (auto* i = std::get_if<int64_t>(&v))
                        out += std::to_string(*i);
                    else if (auto* s = std::get_if<std::string>(&v))
                        out += *s;
                    else if (auto* b = std::get_if<Blob>(&v))
                        out += std::string(b->bytes.begin(), b->bytes.end());
                    else
                        out += "∅";
                }
                out += '\n';
            }
        }
        return out;
    }

    ManualClock clock_;
    std::string dir_, url_, vault_text_;
    std::unique_ptr<crypto::Vault> vault_;
};

TEST_P(Backup, RestoresEverythingAndRefusesDamage) {
    if (url_.empty()) return;
    std::string before;
    const std::string file = dir_ + "/haven.backup";
    {
        auto db = fresh("source");
        audit::Recorder audit(*vault_, clock_);
        ASSERT_TRUE(
            db->write([&](Tx& tx) -> Status {
                  tx.exec(
                      "INSERT INTO sites (id, name, city, country, time_zone, created_at) VALUES (1, 'Париж', 'Paris', 'France', 'Europe/Paris', 1)");
                  for (int64_t i = 1; i <= 300; ++i) {
                      std::string sealed = vault_->seal_field("accounts", "real_name", i, "Имя " + std::to_string(i));
                      tx.exec("INSERT INTO accounts (id, username, status, real_name, created_at, updated_at) VALUES ($1, $2, 'active', $3, 1, 1)",
                              {i, "user" + std::to_string(i), Blob{{sealed.begin(), sealed.end()}}});
                      tx.exec("INSERT INTO account_roles (account_id, site_id, role) VALUES ($1, 1, 'volunteer')", {i});
                      audit.record(tx, {"account.invite", 0, "account", i, 1});
                  }
                  return {};
              }).ok());
        before = dump(*db);
        auto summary = write_backup(*db, key_of(*vault_), vault_text_, file);
        ASSERT_TRUE(summary.ok()) << summary.error().message;
        EXPECT_GE(summary->rows, 901);
    }
    {
        std::ifstream in(file, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        EXPECT_EQ(ss.str().find("user17"), std::string::npos) << "rows are encrypted";
        EXPECT_EQ(backup_vault_file(file).value(), vault_text_);
    }
    auto target = fresh("target");
    auto restored = restore_backup(*target, key_of(*vault_), file);
    ASSERT_TRUE(restored.ok()) << restored.error().message;
    EXPECT_EQ(dump(*target), before);
    EXPECT_FALSE(audit::verify(*target, vault_->audit_public_key()).bad_seq.has_value()) << "the chain survives the trip";
    EXPECT_EQ(vault_
                  ->open_field("accounts", "real_name", 17,
                               [&] {
                                   auto b = target->query("SELECT real_name FROM accounts WHERE id = 17").at(0).blob(0).bytes;
                                   return std::string(b.begin(), b.end());
                               }())
                  .value(),
              "Имя 17");

    // Damage: a flipped byte, a truncation, another vault. Each refused; the database keeps its rows.
    std::string bytes;
    {
        std::ifstream in(file, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        bytes = ss.str();
    }
    auto attempt = [&](const std::string& content, const crypto::Vault& v) {
        std::ofstream(dir_ + "/bad.backup", std::ios::binary | std::ios::trunc) << content;
        return restore_backup(*target, key_of(v), dir_ + "/bad.backup");
    };
    std::string flipped = bytes;
    flipped[bytes.size() / 2] = char(flipped[bytes.size() / 2] ^ 0x20);
    EXPECT_FALSE(attempt(flipped, *vault_).ok()) << "flipped byte";
    EXPECT_FALSE(attempt(bytes.substr(0, bytes.size() - 40), *vault_).ok()) << "truncated";
    EXPECT_FALSE(attempt(bytes.substr(0, bytes.size() / 3), *vault_).ok()) << "cut short";
    crypto::Vault other(dir_ + "/other-vault.json", clock_);
    ASSERT_TRUE(other.create(false, 1, 1).ok());
    EXPECT_FALSE(attempt(bytes, other).ok()) << "another vault";
    EXPECT_EQ(dump(*target), before) << "a refused restore changes nothing";
}

// `haven db copy`: SQLite to PostgreSQL and back, every table byte for byte (the whole store, not only the tables
// dump() reads: each engine's own reading of every column), the chain still verifying; a target holding records
// is refused and left as it was.
TEST_P(Backup, CopiesEveryRowToTheOtherEngineAndBack) {
    if (url_.empty() || GetParam() != "postgres") GTEST_SKIP() << "SQLite to PostgreSQL and back: runs once, in the PostgreSQL case";
    auto sqlite = open_database("sqlite:" + dir_ + "/source.db");
    ASSERT_TRUE(migrate(*sqlite).ok());
    audit::Recorder audit(*vault_, clock_);
    ASSERT_TRUE(sqlite
                    ->write([&](Tx& tx) -> Status {
                        tx.exec(
                            "INSERT INTO sites (id, name, city, country, time_zone, created_at) VALUES (1, 'Вильнюс', 'Vilnius', 'LT', "
                            "'Europe/Vilnius', 1)");
                        for (int64_t i = 1; i <= 200; ++i) {
                            std::string sealed = vault_->seal_field("accounts", "real_name", i, "Имя " + std::to_string(i));
                            tx.exec(
                                "INSERT INTO accounts (id, username, status, real_name, created_at, updated_at) VALUES ($1, $2, 'active', $3, 1, "
                                "$4)",
                                {i * 1'000'000'007, "user" + std::to_string(i), Blob{{sealed.begin(), sealed.end()}}, int64_t(1) << 52});
                            audit.record(tx, {"account.invite", 0, "account", i, 1});
                        }
                        return {};
                    })
                    .ok());
    auto everything = [](Database& db) {
        std::string out;
        for (const auto& t : db.query(db.engine() == "sqlite" ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                                                "AND name <> 'schema_migrations' ORDER BY name"
                                                              : "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND "
                                                                "tablename <> 'schema_migrations' ORDER BY tablename")) {
            std::vector<std::string> lines;
            for (const auto& r : db.query("SELECT * FROM " + t.text(0))) {
                std::string line = t.text(0);
                for (const auto& v : r.values) {
                    line += '|';
                    if (auto* i = std::get_if<int64_t>(&v)) line += std::to_string(*i);
                    if (auto* d = std::get_if<double>(&v)) line += std::to_string(*d);
                    if (auto* x = std::get_if<std::string>(&v)) line += "t:" + *x;
                    if (auto* b = std::get_if<Blob>(&v)) line += "b:" + b->str();
                }
                lines.push_back(line);
            }
            std::sort(lines.begin(), lines.end());
            for (const auto& l : lines) out += l + "\n";
        }
        return out;
    };
    const std::string before = everything(*sqlite);
    auto postgres = open_database(url_);
    ASSERT_TRUE(migrate(*postgres).ok());
    auto copied = copy_database(*sqlite, *postgres);
    ASSERT_TRUE(copied.ok()) << copied.error().message;
    EXPECT_GE(copied->rows, 400);
    EXPECT_EQ(everything(*postgres), before);
    EXPECT_FALSE(audit::verify(*postgres, vault_->audit_public_key()).bad_seq.has_value()) << "the chain verifies on the copy";
    EXPECT_EQ(postgres->query("SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'audit_log' AND last_analyze IS NOT NULL").at(0).integer(0),
              1)
        << "the planner's statistics gathered once the copy landed";

    auto again = copy_database(*sqlite, *postgres);
    ASSERT_FALSE(again.ok()) << "a target with records is refused";
    EXPECT_EQ(again.error().code, "target_not_empty");
    EXPECT_EQ(everything(*postgres), before);

    auto back = open_database("sqlite:" + dir_ + "/back.db");
    ASSERT_TRUE(migrate(*back).ok());
    ASSERT_TRUE(copy_database(*postgres, *back).ok());
    EXPECT_EQ(everything(*back), before) << "and back to SQLite, byte for byte";
    EXPECT_FALSE(audit::verify(*back, vault_->audit_public_key()).bad_seq.has_value());
}

// The upgrade path: a store made by an older Haven is migrated only after a fresh backup (or when told to).
TEST_P(Backup, AnExistingStoreIsMigratedOnlyAfterAFreshBackup) {
    if (url_.empty()) return;
    // Stand for a store of the previous release: the newest migration not yet applied.
    std::vector<EmbeddedFile> older;
    const int latest = migrations_for(GetParam()).back().version;
    for (const auto& f : migration_files())
        if (std::stoi(std::string(f.name.substr(0, 4))) < latest) older.push_back(f);
    auto db = open_database(GetParam() == "sqlite" ? "sqlite:" + dir_ + "/previous.db" : url_);
    ASSERT_TRUE(migrate(*db, older).ok());
    ASSERT_EQ(schema_version(*db), latest - 1);
    const std::string backups = dir_ + "/backups";
    std::filesystem::create_directories(backups);

    auto refused = migrate(*db, UpgradeRule{backups});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "backup_first");
    EXPECT_EQ(refused.error().field, "migrate-without-backup");
    EXPECT_EQ(schema_version(*db), latest - 1) << "nothing changed";
    // A backup from two days ago is not fresh; one from now is.
    ASSERT_TRUE(write_backup(*db, key_of(*vault_), vault_text_, backups + "/haven-old.backup").ok());
    std::filesystem::last_write_time(backups + "/haven-old.backup", std::filesystem::file_time_type::clock::now() - std::chrono::hours(48));
    EXPECT_FALSE(migrate(*db, UpgradeRule{backups}).ok());
    ASSERT_TRUE(write_backup(*db, key_of(*vault_), vault_text_, backups + "/haven-new.backup").ok());
    auto migrated = migrate(*db, UpgradeRule{backups});
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    EXPECT_EQ(schema_version(*db), latest);
    // A new, empty store needs no backup; nor does one told so.
    if (GetParam() != "sqlite") return;
    auto empty = open_database("sqlite:" + dir_ + "/empty.db");
    ASSERT_TRUE(migrate(*empty, UpgradeRule{dir_ + "/nothing-here"}).ok());
    auto told = open_database("sqlite:" + dir_ + "/told.db");
    ASSERT_TRUE(migrate(*told, older).ok());
    ASSERT_TRUE(migrate(*told, UpgradeRule{dir_ + "/nothing-here", true}).ok());
    EXPECT_EQ(schema_version(*told), latest);
}

INSTANTIATE_TEST_SUITE_P(Engines, Backup, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven::storage
