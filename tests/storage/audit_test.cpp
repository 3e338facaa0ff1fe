// The audit chain on 10,000 entries, on both engines: every kind of tampering is detected by verify(),
// which names the first entry at fault.
#include <gtest/gtest.h>

#include <sodium.h>

#include <filesystem>
#include <functional>

#include "audit/audit.hpp"
#include "crypto/random.hpp"
#include "storage/migrate.hpp"
#include "support/engines.hpp"

namespace haven::audit {
namespace {

class Chain : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        dir_ = testing::temp_dir("haven-audit");
        testing::fresh_database(GetParam(), dir_, url_);
        if (url_.empty()) return;
        db_ = storage::open_database(url_);
        ASSERT_TRUE(storage::migrate(*db_).ok());
        vault_ = std::make_unique<crypto::Vault>(dir_ + "/vault.json", clock_);
        ASSERT_TRUE(vault_->create(false, 1, 1).ok());
        Recorder recorder(*vault_, clock_);
        ASSERT_TRUE(db_->write([&](storage::Tx& tx) -> Status {
                           for (int i = 0; i < 10'000; ++i) {
                               clock_.advance_ms(7);
                               recorder.record(tx, {i % 3 ? "contact.read" : "login", i % 17 + 1, "account", i % 5 + 100, 1});
                           }
                           return {};
                       })
                        .ok());
    }
    void TearDown() override {
        vault_.reset();
        db_.reset();
        std::filesystem::remove_all(dir_);
    }
    void exec(const std::string& sql, const storage::Params& params = {}) {
        ASSERT_TRUE(db_->write([&](storage::Tx& tx) -> Status {
                           tx.exec(sql, params);
                           return {};
                       })
                        .ok());
    }
    void intact();
    void tampering();
    void rehash_and_truncation();
    Verification check(const std::optional<Checkpoint>& cp = std::nullopt) { return verify(*db_, vault_->audit_public_key(), cp); }
    Stored entry(int64_t seq) {
        auto all =
            db_->query("SELECT seq, at, actor, action, object, site_id, outcome, prev_hash, hash, signature FROM audit_log WHERE seq = $1", {seq});
        const auto& r = all.at(0);
        return Stored{r.integer(0), r.integer(1), r.integer(5), r.text(2), r.text(3), r.text(4), r.text(6), r.text(7), r.text(8), r.text(9)};
    }

    ManualClock clock_;
    std::string dir_, url_;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<crypto::Vault> vault_;
};

void Chain::intact() {
    auto v = check(latest_checkpoint(*db_));
    EXPECT_EQ(v.entries, 10'000);
    EXPECT_FALSE(v.bad_seq.has_value()) << v.problem;
    // No personal value: actors and objects are keyed hashes.
    EXPECT_EQ(entry(1).actor.rfind("account:", 0), 0u);
    EXPECT_EQ(entry(1).actor.size(), 8u + 24u);
}

void Chain::tampering() {
    struct Case {
        const char* what;
        std::function<void()> tamper, undo;
        int64_t expect_seq;
    };
    const Stored e4321 = entry(4321), e77 = entry(77), e5000 = entry(5000), e6000 = entry(6000), e6001 = entry(6001);
    auto restore = [&](const Stored& e) {
        exec("UPDATE audit_log SET at = $2, actor = $3, action = $4, object = $5, hash = $6, prev_hash = $7, signature = $8 WHERE seq = $1",
             {e.seq, e.at, e.actor, e.action, e.object, e.hash, e.prev_hash, e.signature});
    };
    auto flip = [](std::string s, size_t i) {
        s[i] = s[i] == 'a' ? 'b' : 'a';
        return s;
    };
    std::vector<Case> cases = {
        {"a flipped byte in an actor",
         [&] {
             exec("UPDATE audit_log SET actor = $2 WHERE seq = $1", {int64_t(4321), flip(e4321.actor, 10)});
         },
         [&] { restore(e4321); }, 4321},
        {"a flipped byte in a hash",
         [&] {
             exec("UPDATE audit_log SET hash = $2 WHERE seq = $1", {int64_t(77), flip(e77.hash, 5)});
         },
         [&] { restore(e77); }, 77},
        {"a flipped byte in a time", [&] { exec("UPDATE audit_log SET at = at + 1 WHERE seq = $1", {int64_t(4321)}); }, [&] { restore(e4321); },
         4321},
        {"a deleted entry", [&] { exec("DELETE FROM audit_log WHERE seq = 5000"); },
         [&] {
             exec(
                 "INSERT INTO audit_log (seq, at, actor, action, object, site_id, outcome, prev_hash, hash, signature) VALUES ($1, $2, $3, $4, $5, "
                 "$6, $7, $8, $9, $10)",
                 {e5000.seq, e5000.at, e5000.actor, e5000.action, e5000.object, e5000.site_id, e5000.outcome, e5000.prev_hash, e5000.hash,
                  e5000.signature});
         },
         5000},
        {"a swapped pair",
         [&] {
             exec("UPDATE audit_log SET at = $2, actor = $3, action = $4, object = $5 WHERE seq = $1",
                  {e6000.seq, e6001.at, e6001.actor, e6001.action, e6001.object});
             exec("UPDATE audit_log SET at = $2, actor = $3, action = $4, object = $5 WHERE seq = $1",
                  {e6001.seq, e6000.at, e6000.actor, e6000.action, e6000.object});
         },
         [&] {
             restore(e6000);
             restore(e6001);
         },
         6000},
    };
    for (const auto& c : cases) {
        c.tamper();
        auto v = check();
        ASSERT_TRUE(v.bad_seq.has_value()) << c.what << " went unnoticed";
        EXPECT_EQ(*v.bad_seq, c.expect_seq) << c.what << ": " << v.problem;
        c.undo();
        auto again = check();
        EXPECT_FALSE(again.bad_seq.has_value()) << "after undoing " << c.what << ": " << again.problem;
    }
}

void Chain::rehash_and_truncation() {
    const auto exported = latest_checkpoint(*db_);
    ASSERT_TRUE(exported.has_value());
    EXPECT_EQ(parse_checkpoint(format_checkpoint(*exported))->hash, exported->hash);

    // A full re-hash from entry 3000 on, done without the signing key: the chain holds, the signatures do not.
    {
        auto rows = db_->query(
            "SELECT seq, at, actor, action, object, site_id, outcome, prev_hash, hash, signature FROM audit_log WHERE seq >= 2999 ORDER BY seq");
        std::string prev;
        ASSERT_TRUE(
            db_->write([&](storage::Tx& tx) -> Status {
                   for (const auto& r : rows) {
                       Stored e{r.integer(0), r.integer(1), r.integer(5), r.text(2), r.text(3),
                                r.text(4),    r.text(6),    r.text(7),    r.text(8), r.text(9)};
                       if (e.seq == 2999) {
                           prev = e.hash;
                           continue;
                       }
                       if (e.seq == 3000) e.action = "nothing_to_see";
                       e.prev_hash = prev;
                       std::string bytes(32, '\0');
                       sodium_hex2bin(reinterpret_cast<unsigned char*>(bytes.data()), 32, prev.data(), prev.size(), nullptr, nullptr, nullptr);
                       unsigned char h[32];
                       std::string data = bytes + canonical(e);
                       crypto_generichash(h, 32, reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
                       e.hash = crypto::hex(std::string_view(reinterpret_cast<const char*>(h), 32));
                       tx.exec("UPDATE audit_log SET action = $2, prev_hash = $3, hash = $4 WHERE seq = $1", {e.seq, e.action, e.prev_hash, e.hash});
                       prev = e.hash;
                   }
                   tx.exec("UPDATE audit_head SET hash = $1 WHERE id = 1", {prev});
                   return {};
               })
                .ok());
        auto v = check();
        ASSERT_TRUE(v.bad_seq.has_value());
        EXPECT_EQ(*v.bad_seq, 3000) << v.problem;
    }

    // Entries cut from the tail: the head still names them.
    exec("DELETE FROM audit_log WHERE seq > 9990");
    auto cut = check();
    ASSERT_TRUE(cut.bad_seq.has_value());
    EXPECT_LE(*cut.bad_seq, 9991);

    // A truncation that also rewrites the head is caught by the checkpoint kept off the server.
    auto head = db_->query("SELECT hash FROM audit_log WHERE seq = 9990").at(0).text(0);
    exec("UPDATE audit_head SET seq = 9990, hash = $1 WHERE id = 1", {head});
    auto with_checkpoint = check(exported);
    ASSERT_TRUE(with_checkpoint.bad_seq.has_value());
}

// One test, so the 10,000 entries are written once per engine: intact, then each tampering and its undoing,
// then the destructive cases last.
TEST_P(Chain, VerifiesIntactAndDetectsEveryKindOfTampering) {
    if (!db_) return;
    intact();
    tampering();
    rehash_and_truncation();
}

INSTANTIATE_TEST_SUITE_P(Engines, Chain, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven::audit
