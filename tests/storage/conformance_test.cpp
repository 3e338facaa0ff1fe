// The storage contract, run on both engines: what a module may rely on whichever one is configured.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <limits>
#include <thread>

#include "storage/db.hpp"
#include "storage/migrate.hpp"
#include "support/engines.hpp"

namespace haven::storage {
namespace {

class Storage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        dir_ = testing::temp_dir("haven-storage");
        testing::fresh_database(GetParam(), dir_, url_);
        if (url_.empty()) return;
        db_ = open_database(url_, {4, true, 256});
        write_script("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, score DOUBLE PRECISION, data BYTEA)");
    }
    void TearDown() override {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }
    void write_script(const std::string& sql) {
        ASSERT_TRUE(db_->write([&](Tx& tx) -> Status {
                           tx.exec_script(sql);
                           return {};
                       })
                        .ok());
    }
    int64_t count() { return db_->query("SELECT COUNT(*) FROM item").at(0).integer(0); }

    std::string dir_, url_;
    std::unique_ptr<Database> db_;
};

TEST_P(Storage, RoundTripsEveryType) {
    if (!db_) return;
    const int64_t big = std::numeric_limits<int64_t>::max(), small = std::numeric_limits<int64_t>::min();
    Blob blob{{0, 1, 2, 255, 0, 128}};
    ASSERT_TRUE(db_->write([&](Tx& tx) -> Status {
                       tx.exec("INSERT INTO item (id, name, score, data) VALUES ($1, $2, $3, $4)", {big, std::string("Анна 😀 \"'; --"), 2.5, blob});
                       tx.exec("INSERT INTO item (id, name, score, data) VALUES ($1, $2, $3, $4)", {small, std::string("Ivan"), nullptr, nullptr});
                       return {};
                   })
                    .ok());
    auto rows = db_->query("SELECT id, name, score, data FROM item ORDER BY id DESC");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].integer(0), big);
    EXPECT_EQ(rows[0].text(1), "Анна 😀 \"'; --");
    EXPECT_DOUBLE_EQ(rows[0].real(2), 2.5);
    EXPECT_EQ(rows[0].blob(3), blob);
    EXPECT_EQ(rows[1].integer(0), small);
    EXPECT_TRUE(rows[1].is_null(2));
    EXPECT_TRUE(rows[1].is_null(3));
    EXPECT_THROW(rows[1].text(0), DbError);
}

TEST_P(Storage, BindsPlaceholdersByNumberNotPosition) {
    if (!db_) return;
    ASSERT_TRUE(db_->write([&](Tx& tx) -> Status {
                       // $2 comes first in the text.
                       tx.exec("INSERT INTO item (name, score, id) VALUES ($2, $3, $1)", {int64_t(7), std::string("seven"), 14.0});
                       return {};
                   })
                    .ok());
    // $1 is used twice.
    auto rows = db_->query("SELECT id, name, score FROM item WHERE name = $1 OR name = $1 || 'x'", {std::string("seven")});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].integer(0), 7);
    EXPECT_DOUBLE_EQ(rows[0].real(2), 14.0);
    EXPECT_THROW(db_->query("SELECT id FROM item WHERE id = $1 AND name = $2", {int64_t(7)}), DbError) << "a parameter not given";
    EXPECT_THROW(db_->query("SELECT id FROM item WHERE id = $1", {int64_t(7), std::string("unused")}), DbError) << "a parameter not used";
    EXPECT_THROW(db_->query("SELECT id FROM item WHERE id = $3", {int64_t(7), int64_t(8)}), DbError) << "a parameter beyond those given";
}

TEST_P(Storage, AnErrorOrAnExceptionRollsBackOnlyThatWrite) {
    if (!db_) return;
    Status refused = db_->write([&](Tx& tx) -> Status {
        tx.exec("INSERT INTO item (id, name) VALUES (1, 'one')");
        return make_error(ErrorKind::invalid, "no", "changed my mind");
    });
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "no");
    EXPECT_THROW((void)db_->write([&](Tx& tx) -> Status {
        tx.exec("INSERT INTO item (id, name) VALUES (2, 'two')");
        throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    EXPECT_EQ(count(), 0);
    ASSERT_TRUE(db_->write([&](Tx& tx) -> Status {
                       tx.exec("INSERT INTO item (id, name) VALUES (3, 'three')");
                       return {};
                   })
                    .ok());
    EXPECT_EQ(count(), 1);
}

TEST_P(Storage, ConstraintViolationsAreTypedAndLeakNoValues) {
    if (!db_) return;
    auto insert = [&] {
        return db_->write([&](Tx& tx) -> Status {
            tx.exec("INSERT INTO item (id, name) VALUES ($1, $2)", {int64_t(1), std::string("Secret Name")});
            return {};
        });
    };
    ASSERT_TRUE(insert().ok());
    try {
        (void)insert();
        FAIL() << "expected a constraint violation";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), DbError::Kind::constraint);
        EXPECT_EQ(std::string(e.what()).find("Secret"), std::string::npos) << e.what();
    }
}

TEST_P(Storage, ConcurrentWritesAllLandAndShareCommits) {
    if (!db_) return;
    constexpr int threads = 32, per_thread = 25;
    std::atomic<int> failures{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                int64_t id = t * 1000 + i;
                Status s = db_->write([&](Tx& tx) -> Status {
                    tx.exec("INSERT INTO item (id, name) VALUES ($1, $2)", {id, "n" + std::to_string(id)});
                    return {};
                });
                if (!s) ++failures;
            }
        });
    }
    for (auto& t : pool) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(count(), threads * per_thread);
    auto stats = db_->stats();
    EXPECT_GE(stats.writes, threads * per_thread);
    EXPECT_LT(stats.commits, stats.writes) << "group commit never grouped";
}

// One batch of a group commit (storage/group_commit.hpp): the writes queued while the writer is busy share one
// transaction, each in its savepoint — a constraint violation, a refusal, an exception or a write that sends
// nothing each undo that write alone; the rest are committed together, and the next batch starts clean.
class Batch : public Storage {
protected:
    // Runs `writes` queued behind a blocking write, so that they share one batch; each one's outcome.
    std::vector<std::string> in_one_batch(const std::vector<std::function<Status()>>& writes) {
        std::atomic<bool> inside{false}, release{false};
        std::thread blocker([&] {
            (void)db_->write([&](Tx& tx) -> Status {
                tx.exec("INSERT INTO item (id, name) VALUES (1, 'first')");
                inside = true;
                while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                return {};
            });
        });
        while (!inside) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // the blocker's batch is running
        std::vector<std::string> outcomes(writes.size());
        std::vector<std::thread> writers;
        for (size_t i = 0; i < writes.size(); ++i) {
            writers.emplace_back([&, i] {
                try {
                    outcomes[i] = writes[i]().ok() ? "ok" : "refused";
                } catch (const DbError& e) {
                    outcomes[i] = e.kind() == DbError::Kind::constraint ? "constraint" : "db error";
                } catch (const std::exception&) {
                    outcomes[i] = "thrown";
                }
            });
            while (db_->stats().write_queue != int64_t(i + 1)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        release = true;
        blocker.join();
        for (auto& w : writers) w.join();
        return outcomes;
    }
    // A write inserting one item; `later`: with exec_later.
    std::function<Status()> insert(int64_t id, const std::string& name, bool later = false) {
        return [this, id, name, later] {
            return db_->write([&](Tx& tx) -> Status {
                if (later)
                    tx.exec_later("INSERT INTO item (id, name) VALUES ($1, $2)", {id, name});
                else
                    tx.exec("INSERT INTO item (id, name) VALUES ($1, $2)", {id, name});
                return {};
            });
        };
    }
    std::vector<int64_t> ids() {
        std::vector<int64_t> out;
        for (const auto& r : db_->query("SELECT id FROM item ORDER BY id")) out.push_back(r.integer(0));
        return out;
    }
};

TEST_P(Batch, OneBatchsFailuresUndoOnlyTheirOwnWrites) {
    if (!db_) return;
    ASSERT_TRUE(insert(100, "taken")().ok());
    const int64_t commits_before = db_->stats().commits;
    auto outcomes = in_one_batch({
        insert(2, "second"),
        insert(3, "taken"),  // violates UNIQUE (name)
        [this] {
            return db_->write([&](Tx& tx) -> Status {
                tx.exec("INSERT INTO item (id, name) VALUES (4, 'refused')");
                return make_error(ErrorKind::invalid, "no", "changed my mind");
            });
        },
        [this] { return db_->write([&](Tx&) -> Status { return {}; }); },  // sends nothing
        [this] {
            return db_->write([&](Tx& tx) -> Status {
                tx.exec("INSERT INTO item (id, name) VALUES (5, 'thrown')");
                throw std::runtime_error("boom");
            });
        },
        insert(6, "sixth"),
    });
    EXPECT_EQ(outcomes, (std::vector<std::string>{"ok", "constraint", "refused", "ok", "thrown", "ok"}));
    EXPECT_EQ(db_->stats().commits, commits_before + 2) << "the blocker's, then one for the six queued behind it";
    EXPECT_EQ(ids(), (std::vector<int64_t>{1, 2, 6, 100}));
    ASSERT_TRUE(insert(7, "seventh")().ok()) << "the next batch starts clean";
    EXPECT_EQ(count(), 5);
}

// Statements sent later (Tx::exec_later; on PostgreSQL with the next statement or the end of the write): a write
// sees its own, its failure is its own write's — never the next one's in the batch — and a refusal or an exception
// drops what was not sent yet.
TEST_P(Batch, StatementsSentLaterAreTheirOwnWritesAndFailThere) {
    if (!db_) return;
    ASSERT_TRUE(insert(100, "taken")().ok());
    auto outcomes = in_one_batch({
        insert(2, "second", true),
        insert(3, "taken", true),  // fails when its write ends, not when the next one runs
        insert(4, "fourth", true),
        [this] {
            return db_->write([&](Tx& tx) -> Status {
                tx.exec_later("INSERT INTO item (id, name) VALUES (5, 'fifth')");
                tx.exec_later("UPDATE item SET score = 5 WHERE id = 5");
                if (tx.query("SELECT score FROM item WHERE id = 5").at(0).real(0) != 5) return make_error(ErrorKind::invalid, "no", "unseen");
                return {};
            });
        },
        [this] {
            return db_->write([&](Tx& tx) -> Status {
                tx.exec_later("INSERT INTO item (id, name) VALUES (6, 'refused')");
                return make_error(ErrorKind::invalid, "no", "changed my mind");
            });
        },
        [this] {
            return db_->write([&](Tx& tx) -> Status {
                tx.exec("INSERT INTO item (id, name) VALUES (7, 'seventh')");
                tx.exec_later("INSERT INTO item (id, name) VALUES (8, 'thrown')");
                throw std::runtime_error("boom");
            });
        },
        [this] {
            return db_->write([&](Tx& tx) -> Status {
                tx.exec_later("INSERT INTO item (id, name) VALUES (9, 'ninth')");
                tx.exec_later("INSERT INTO item (id, name) VALUES (10, 'taken')");  // fails: so does the ninth
                return {};
            });
        },
        insert(11, "eleventh", true),
    });
    EXPECT_EQ(outcomes, (std::vector<std::string>{"ok", "constraint", "ok", "ok", "refused", "thrown", "constraint", "ok"}));
    EXPECT_EQ(ids(), (std::vector<int64_t>{1, 2, 4, 5, 11, 100}));
    // Alone in its batch too.
    ASSERT_TRUE(insert(12, "twelfth", true)().ok());
    EXPECT_THROW((void)insert(13, "taken", true)(), DbError);
    EXPECT_EQ(count(), 7);
}

// More statements sent later than wait at once (64 on PostgreSQL, then sent mid-write): a failure among them still
// fails the whole write, and none of its rows land; without one, all of them do.
TEST_P(Batch, ManyStatementsSentLaterFailOrLandAsOneWrite) {
    if (!db_) return;
    ASSERT_TRUE(insert(1000, "taken")().ok());
    auto many = [&](int64_t first, int64_t clash_at) {  // clash_at < 0: none
        return db_->write([&](Tx& tx) -> Status {
            for (int64_t i = first; i < first + 150; ++i)
                tx.exec_later("INSERT INTO item (id, name) VALUES ($1, $2)", {i, i == first + clash_at ? "taken" : "n" + std::to_string(i)});
            return {};
        });
    };
    EXPECT_THROW((void)many(1, 30), DbError) << "sent mid-write";
    EXPECT_THROW((void)many(1, 140), DbError) << "sent with the write's end";
    EXPECT_EQ(count(), 1) << "none of the failed writes' rows";
    ASSERT_TRUE(many(1, -1).ok());
    EXPECT_EQ(count(), 151);
}

// Two processes on one PostgreSQL (two Databases here, each with its own writer): one's write holds a row the
// other's wants and waits for the other's row. PostgreSQL breaks the deadlock (within deadlock_timeout, 1 s): the
// write it picks fails as "try again" (Kind::constraint, a 409 to a client) and undoes only itself — its savepoint
// releases its rows, so the other write and the writes batched with it are committed.
TEST_P(Batch, ADeadlockAcrossProcessesFailsOneWriteAsTryAgain) {
    if (!db_ || db_->engine() != "postgres") GTEST_SKIP() << "one process holds a SQLite store";
    ASSERT_TRUE(insert(1, "x")().ok());
    ASSERT_TRUE(insert(2, "y")().ok());
    auto other = open_database(url_, {2, true, 256});
    std::atomic<int> holding{0};
    auto crossing = [&](Database& db, int64_t first, int64_t second) {
        return [&db, &holding, first, second]() -> std::string {
            try {
                auto st = db.write([&](Tx& tx) -> Status {
                    tx.exec("UPDATE item SET score = 1 WHERE id = $1", {first});
                    ++holding;
                    while (holding < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                    tx.exec("UPDATE item SET score = 2 WHERE id = $1", {second});
                    return {};
                });
                return st.ok() ? "ok" : "refused";
            } catch (const DbError& e) {
                return e.kind() == DbError::Kind::constraint ? "try again" : std::string("db error: ") + e.what();
            }
        };
    };
    std::string a, b;
    std::thread ta([&] { a = crossing(*db_, 1, 2)(); });
    std::thread tb([&] { b = crossing(*other, 2, 1)(); });
    ta.join();
    tb.join();
    std::vector<std::string> outcomes{a, b};
    std::sort(outcomes.begin(), outcomes.end());
    EXPECT_EQ(outcomes, (std::vector<std::string>{"ok", "try again"}));
    auto scores = db_->query("SELECT score FROM item WHERE id IN (1, 2) ORDER BY id");
    ASSERT_EQ(scores.size(), 2u);
    EXPECT_EQ(scores[0].real(0) + scores[1].real(0), 3) << "the surviving write's two updates, none of the other's";
    ASSERT_TRUE(insert(3, "after")().ok()) << "both writers go on";
    ASSERT_TRUE(other
                    ->write([&](Tx& tx) -> Status {
                        tx.exec("INSERT INTO item (id, name) VALUES (4, 'other after')");
                        return {};
                    })
                    .ok());
    EXPECT_EQ(count(), 4);
}

TEST_P(Storage, ReadsSeeEveryAcknowledgedWrite) {
    if (!db_) return;
    for (int64_t i = 0; i < 50; ++i) {
        ASSERT_TRUE(db_->write([&](Tx& tx) -> Status {
                           tx.exec("INSERT INTO item (id, name) VALUES ($1, $2)", {i, "n" + std::to_string(i)});
                           return {};
                       })
                        .ok());
        EXPECT_EQ(count(), i + 1);
    }
}

TEST_P(Storage, MigratesOnceAndRefusesANewerSchema) {
    if (!db_) return;
    auto first = migrate(*db_);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(first.value(), int(migrations_for(db_->engine()).size()));
    auto again = migrate(*db_);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value(), 0);
    ASSERT_TRUE(db_->write([](Tx& tx) -> Status {
                       tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)");
                       return {};
                   })
                    .ok());
    auto refused = migrate(*db_);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "schema_too_new");
}

TEST_P(Storage, AFailedMigrationLeavesNothingBehind) {
    if (!db_) return;
    std::vector<EmbeddedFile> files = {
        {"0001_good.sql", "CREATE TABLE good (id BIGINT PRIMARY KEY);"},
        {"0002_bad.sql", "CREATE TABLE half (id BIGINT PRIMARY KEY); THIS IS NOT SQL;"},
    };
    EXPECT_THROW((void)migrate(*db_, files), DbError);
    EXPECT_EQ(schema_version(*db_), 1);
    EXPECT_NO_THROW(db_->query("SELECT COUNT(*) FROM good"));
    EXPECT_THROW(db_->query("SELECT COUNT(*) FROM half"), DbError);
}

TEST_P(Storage, CheckpointEmptiesTheLog) {
    if (!db_) return;
    ASSERT_TRUE(db_->write([&](Tx& tx) -> Status {
                       tx.exec("INSERT INTO item (id, name) VALUES (1, 'to be erased')");
                       return {};
                   })
                    .ok());
    EXPECT_NO_THROW(db_->checkpoint());
    if (GetParam() == "sqlite") {
        EXPECT_EQ(std::filesystem::file_size(dir_ + "/haven.db-wal"), 0u);
    }
    EXPECT_EQ(count(), 1);
}

TEST(Migrations, PicksTheEngineSpecificPart) {
    std::vector<EmbeddedFile> files = {
        {"0001_a.sql", "common;"}, {"0001_a.sqlite.sql", "lite;"}, {"0001_a.postgres.sql", "pg;"}, {"0002_b.sql", "b;"}};
    auto lite = migrations_for("sqlite", files);
    ASSERT_EQ(lite.size(), 2u);
    EXPECT_EQ(lite[0].sql, "common;\nlite;");
    EXPECT_EQ(migrations_for("postgres", files)[0].sql, "common;\npg;");
    std::vector<EmbeddedFile> gap = {{"0001_a.sql", "x"}, {"0003_c.sql", "y"}};
    EXPECT_THROW(migrations_for("sqlite", gap), std::logic_error);
}

TEST(Sqlite, RefusesAPathItCannotOpen) { EXPECT_THROW(open_database("sqlite:/nonexistent-dir/x/haven.db"), DbError); }

INSTANTIATE_TEST_SUITE_P(Engines, Storage, ::testing::Values("sqlite", "postgres"), testing::engine_name);
INSTANTIATE_TEST_SUITE_P(Engines, Batch, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven::storage
