// What saves PostgreSQL's round trips and parses (postgres_db.cpp: prepared statements kept per connection, a
// transaction's BEGIN sent with its first statement, a read's COMMIT and a ROLLBACK not waited for) and the
// multi-row INSERTs of the name index, run on both engines: whatever is saved, every answer stays the same. One
// connection, so that each transaction meets what the one before left on it.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "storage/db.hpp"
#include "storage/name_index.hpp"
#include "support/engines.hpp"

namespace haven::storage {
namespace {

class Statements : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        dir_ = testing::temp_dir("haven-statements");
        testing::fresh_database(GetParam(), dir_, url_);
        if (url_.empty()) return;
        db_ = open_database(url_, {1, true, 256});
        script("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
    }
    void TearDown() override {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }
    void script(const std::string& sql) {
        ASSERT_TRUE(db_->write([&](Tx& tx) -> Status {
                           tx.exec_script(sql);
                           return {};
                       })
                        .ok());
    }
    Status insert(int64_t id, const std::string& name) {
        return db_->write([&](Tx& tx) -> Status {
            tx.exec("INSERT INTO item (id, name) VALUES ($1, $2)", {id, name});
            return {};
        });
    }
    int64_t count() { return db_->query("SELECT COUNT(*) FROM item").at(0).integer(0); }

    std::string dir_, url_;
    std::unique_ptr<Database> db_;
};

TEST_P(Statements, MoreDistinctStatementsThanAreKeptAllAnswer) {
    if (!db_) return;
    // 600 texts, more than a connection keeps (512): the oldest are dropped, and asked again they answer again.
    for (int round = 0; round < 2; ++round)
        for (int64_t k = 0; k < 600; k += round ? 37 : 1)
            ASSERT_EQ(db_->query("SELECT " + std::to_string(k) + " + $1", {int64_t(1000)}).at(0).integer(0), 1000 + k);
}

TEST_P(Statements, AStatementThatFailsSpoilsNeitherItsNeighboursNorTheNextTransaction) {
    if (!db_) return;
    ASSERT_TRUE(insert(1, "one").ok());
    // A syntax error as a transaction's first statement (sent with its BEGIN), then as a later one.
    EXPECT_THROW(db_->query("SELEC id FROM item"), DbError);
    EXPECT_THROW(db_->read([](Tx& tx) {
        tx.query("SELECT id FROM item");
        tx.query("SELECT nope FROM item");
    }),
                 DbError);
    EXPECT_THROW(db_->query("SELEC id FROM item"), DbError);  // not kept as if it had been prepared
    // A constraint violation as the first statement of a write, and the same statement succeeding after.
    try {
        (void)insert(2, "one");
        ADD_FAILURE() << "a duplicate name was accepted";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), DbError::Kind::constraint);
    }
    EXPECT_TRUE(insert(2, "two").ok());
    EXPECT_EQ(count(), 2);
}

TEST_P(Statements, ARollbackNotWaitedForIsARollback) {
    if (!db_) return;
    ASSERT_TRUE(insert(1, "one").ok());
    Status refused = db_->write([&](Tx& tx) -> Status {
        tx.exec("INSERT INTO item (id, name) VALUES ($1, $2)", {int64_t(2), std::string("two")});
        return make_error(ErrorKind::conflict, "conflict", "no");
    });
    EXPECT_FALSE(refused.ok());
    EXPECT_THROW(db_->write([&](Tx& tx) -> Status {
        tx.exec("INSERT INTO item (id, name) VALUES ($1, $2)", {int64_t(3), std::string("three")});
        throw DbError(DbError::Kind::other, "thrown");
    }),
                 DbError);
    EXPECT_EQ(count(), 1);
    // Reads one after another on the one connection (each COMMIT answered late) and a write between them.
    for (int64_t i = 10; i < 20; ++i) {
        ASSERT_TRUE(insert(i, "n" + std::to_string(i)).ok());
        EXPECT_EQ(db_->query("SELECT COUNT(*) FROM item WHERE id >= $1", {int64_t(10)}).at(0).integer(0), i - 9);
    }
}

TEST_P(Statements, ATransactionThatSendsNothingSucceeds) {
    if (!db_) return;
    EXPECT_TRUE(db_->write([](Tx&) -> Status { return {}; }).ok());
    db_->read([](Tx&) {});
    EXPECT_EQ(db_->stats().writes, 2);  // the table's creation and this one
    EXPECT_EQ(count(), 0);
}

TEST_P(Statements, AStatementKeptBeforeASchemaChangeSeesTheNewSchema) {
    if (!db_) return;
    ASSERT_TRUE(insert(1, "one").ok());
    EXPECT_EQ(db_->query("SELECT * FROM item").at(0).values.size(), 2u);
    script("ALTER TABLE item ADD COLUMN note TEXT");
    EXPECT_EQ(db_->query("SELECT * FROM item").at(0).values.size(), 3u);
}

TEST_P(Statements, AReadSeesOneSnapshotFromItsFirstStatement) {
    if (!db_) return;
    if (GetParam() != "postgres") return;  // SQLite's reader pool and writer thread are other connections anyway
    auto other = open_database(url_, {1, true, 256});
    db_->read([&](Tx& tx) {
        EXPECT_EQ(tx.query("SELECT COUNT(*) FROM item").at(0).integer(0), 0);
        ASSERT_TRUE(other
                        ->write([](Tx& w) -> Status {
                            w.exec("INSERT INTO item (id, name) VALUES (1, 'one')");
                            return {};
                        })
                        .ok());
        EXPECT_EQ(tx.query("SELECT COUNT(*) FROM item").at(0).integer(0), 0);
    });
    EXPECT_EQ(count(), 1);
}

// Tx::query_per_values: the same answers as query, wherever it comes in a transaction; on PostgreSQL never kept as
// a prepared statement (whose plan PostgreSQL may settle on after five runs), while a plain query's text is.
TEST_P(Statements, AStatementPlannedPerItsValuesIsNeverKept) {
    if (!db_) return;
    ASSERT_TRUE(insert(1, "one").ok());
    ASSERT_TRUE(insert(2, "two").ok());
    const std::string per_values = "SELECT name FROM item WHERE id IN ($1, $2) ORDER BY id";
    const std::string kept = "SELECT name FROM item WHERE id = $1";
    auto names = [](const Rows& rows) {
        std::vector<std::string> out;
        for (const auto& r : rows) out.push_back(r.text(0));
        return out;
    };
    const std::vector<std::string> both{"one", "two"};
    db_->read([&](Tx& tx) {
        EXPECT_EQ(names(tx.query_per_values(per_values, {int64_t(1), int64_t(2)})), both) << "first, sent with the read's BEGIN";
        for (int i = 0; i < 7; ++i) {
            EXPECT_EQ(names(tx.query_per_values(per_values, {int64_t(2), int64_t(1)})), both);
            EXPECT_EQ(tx.query(kept, {int64_t(1)}).at(0).text(0), "one");
        }
        if (GetParam() != "postgres") return;
        std::set<std::string> prepared;
        for (const auto& r : tx.query("SELECT statement FROM pg_prepared_statements")) prepared.insert(r.text(0));
        EXPECT_TRUE(prepared.count(kept)) << "a statement run again and again is kept";
        EXPECT_FALSE(prepared.count(per_values)) << "one planned per its values is not";
    });
    // In a write, after a statement sent later: it sees that statement's row.
    ASSERT_TRUE(db_->write([&](Tx& tx) -> Status {
                       tx.exec_later("INSERT INTO item (id, name) VALUES ($1, $2)", {int64_t(3), std::string("three")});
                       EXPECT_EQ(names(tx.query_per_values(per_values, {int64_t(3), int64_t(1)})), (std::vector<std::string>{"one", "three"}));
                       return {};
                   })
                    .ok());
    // Its failure is typed, and spoils neither the read nor the next one.
    EXPECT_THROW(db_->read([&](Tx& tx) { (void)tx.query_per_values("SELECT nope FROM item WHERE id = $1", {int64_t(1)}); }), DbError);
    EXPECT_EQ(names(db_->query(per_values, {int64_t(1), int64_t(2)})), both);
    EXPECT_EQ(count(), 3);
}

TEST(ValuesRows, NumbersTheParametersRowByRow) {
    EXPECT_EQ(values_rows(1, 1), "($1)");
    EXPECT_EQ(values_rows(2, 2), "($1, $2), ($3, $4)");
    EXPECT_EQ(values_rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
}

TEST(RowsPerInsert, TakesFewDistinctSizes) {
    std::set<size_t> sizes;
    for (size_t total = 1; total <= 2000; ++total) {
        size_t left = total;
        while (left) {
            const size_t n = rows_per_insert(left);
            ASSERT_GE(n, 1u);
            ASSERT_LE(n, left);
            sizes.insert(n);
            left -= n;
        }
    }
    EXPECT_LE(sizes.size(), 33u);  // 1 to 32, and 128
    for (size_t total : {1, 2, 40, 300}) EXPECT_EQ(rows_per_insert(total, 1), 1u) << "one row a statement where that is best (SQLite)";
}

TEST_P(Statements, AddsIndexRowsManyAStatement) {
    if (!db_) return;
    script("CREATE TABLE item_names (value BIGINT NOT NULL, item_id BIGINT NOT NULL)");
    const NameIndex index{"item_names", "item_id"};
    std::vector<std::pair<int64_t, int64_t>> rows;
    for (int64_t i = 0; i < 300; ++i) rows.emplace_back(i % 7, 1000 + i);
    ASSERT_TRUE(db_->write([&](Tx& tx) -> Status {
                       add_values(tx, index, rows);
                       replace_values(tx, index, 5, {1, 2, 3});
                       replace_values(tx, index, 5, {2, 4});
                       return {};
                   })
                    .ok());
    EXPECT_EQ(db_->query("SELECT COUNT(*) FROM item_names").at(0).integer(0), 302);
    int64_t threes = 0;
    for (const auto& [value, id] : rows)
        if (value == 3) threes += id;
    EXPECT_EQ(db_->query("SELECT CAST(SUM(item_id) AS BIGINT) FROM item_names WHERE value = 3").at(0).integer(0), threes);
    auto five = db_->query("SELECT value FROM item_names WHERE item_id = 5 ORDER BY value");
    ASSERT_EQ(five.size(), 2u);
    EXPECT_EQ(five[0].integer(0), 2);
    EXPECT_EQ(five[1].integer(0), 4);
}

INSTANTIATE_TEST_SUITE_P(Engines, Statements, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven::storage
