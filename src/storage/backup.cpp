#include "storage/backup.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "crypto/random.hpp"
#include "crypto/secret_key.hpp"
#include "crypto/stream.hpp"
#include "storage/migrate.hpp"

namespace haven::storage {
namespace {

namespace json = boost::json;
constexpr const char* magic = "HAVEN-BACKUP 1\n";
constexpr size_t chunk = 64 * 1024;

// Tables in creation order (parents before children), without the migration bookkeeping.
std::vector<std::string> tables(Database& db) {
    std::vector<std::string> out;
    Rows rows = db.engine() == "sqlite" ? db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
                                        : db.query(
                                              "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                              "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.oid");
    for (const auto& r : rows)
        if (r.text(0) != "schema_migrations") out.push_back(r.text(0));
    return out;
}

std::vector<std::string> columns(Tx& tx, const std::string& engine, const std::string& table) {
    std::vector<std::string> out;
    if (engine == "sqlite") {
        for (const auto& r : tx.query("SELECT name FROM pragma_table_info($1) ORDER BY cid", {table})) out.push_back(r.text(0));
    } else {
        for (const auto& r : tx.query("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                                      "AND table_name = $1 ORDER BY ordinal_position",
                                      {table}))
            out.push_back(r.text(0));
    }
    return out;
}

Error bad_file(const std::string& why) { return make_error(ErrorKind::invalid, "bad_backup", "Not a usable Haven backup: " + why, "in"); }

// Every row of every table from one consistent snapshot: `table` before each table's rows.
void each_row(Database& db, const std::function<void(const std::string&, const std::vector<std::string>&)>& table,
              const std::function<void(const Row&)>& row) {
    db.read([&](Tx& tx) {
        for (const auto& name : tables(db)) {
            auto cols = columns(tx, db.engine(), name);
            std::string select = "SELECT ";
            for (size_t i = 0; i < cols.size(); ++i) select += (i ? ", " : "") + cols[i];
            table(name, cols);
            for (const auto& r : tx.query(select + " FROM " + name)) row(r);
        }
    });
}

// Writes rows into a store in one transaction: every table emptied first (children first, so that foreign keys
// never stand in the way), then each table's rows as they come.
class RowWriter {
public:
    RowWriter(Database& db, Tx& tx) : tx_(tx), existing_(tables(db)) {
        for (auto it = existing_.rbegin(); it != existing_.rend(); ++it) tx_.exec("DELETE FROM " + *it);
    }
    Status table(const std::string& name, const std::vector<std::string>& cols) {
        if (std::find(existing_.begin(), existing_.end(), name) == existing_.end()) return bad_file("unknown table " + name);
        insert_ = "INSERT INTO " + name + " (";
        std::string params;
        for (size_t i = 0; i < cols.size(); ++i) {
            insert_ += (i ? ", " : "") + cols[i];
            params += (i ? ", $" : "$") + std::to_string(i + 1);
        }
        insert_ += ") VALUES (" + params + ")";
        width_ = cols.size();
        return {};
    }
    Status row(const Params& values) {
        if (values.size() != width_) return bad_file("a row does not fit its table");
        tx_.exec(insert_, values);
        return {};
    }

private:
    Tx& tx_;
    std::vector<std::string> existing_;
    std::string insert_;
    size_t width_ = 0;
};

json::value to_json(const Value& v) {
    switch (v.index()) {
        case 0: return nullptr;
        case 1: return std::get<int64_t>(v);
        case 2: return std::get<double>(v);
        case 3: return json::object{{"t", std::get<std::string>(v)}};
        default: {
            const auto& b = std::get<Blob>(v).bytes;
            return json::object{{"b", crypto::base64(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()))}};
        }
    }
}

Value from_json(const json::value& v) {
    if (v.is_null()) return nullptr;
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64()) return int64_t(v.get_uint64());
    if (v.is_double()) return v.get_double();
    const auto& o = v.as_object();
    if (auto* t = o.if_contains("t")) return std::string(t->as_string());
    const std::string bytes = crypto::from_base64(o.at("b").as_string()).value_or(std::string());
    return Blob{{bytes.begin(), bytes.end()}};
}

struct Reader {
    std::ifstream in;
    std::string vault_text;
    std::string header;
};

Result<std::unique_ptr<Reader>> open_backup(const std::string& path) {
    auto r = std::make_unique<Reader>();
    r->in.open(path, std::ios::binary);
    if (!r->in) return bad_file("cannot open it");
    std::string m(std::strlen(magic), '\0');
    r->in.read(m.data(), std::streamsize(m.size()));
    if (m != magic) return bad_file("wrong format");
    uint32_t len = 0;
    r->in.read(reinterpret_cast<char*>(&len), 4);
    if (!r->in || len > 1'000'000) return bad_file("damaged header");
    r->vault_text.resize(len);
    r->in.read(r->vault_text.data(), len);
    r->header.resize(crypto::StreamOpener::header_size);
    r->in.read(r->header.data(), std::streamsize(r->header.size()));
    if (!r->in) return bad_file("truncated header");
    return r;
}

// Decrypts the whole stream, calling `line` for each JSON line. Refuses a truncated or altered stream.
Status read_lines(Reader& r, const BackupKey& key, const std::function<Status(const json::value&)>& line) {
    crypto::StreamOpener stream(*key(), r.header);
    if (!stream.ok()) return bad_file("wrong key");
    std::string pending, in(chunk + crypto::StreamOpener::overhead + 4, '\0');
    bool finished = false;
    while (!finished) {
        uint32_t n = 0;
        r.in.read(reinterpret_cast<char*>(&n), 4);
        if (!r.in || n > in.size()) return bad_file("truncated");
        r.in.read(in.data(), n);
        if (!r.in) return bad_file("truncated");
        auto got = stream.open(std::string_view(in).substr(0, n), finished);
        if (!got) return bad_file("altered, or made with another vault");
        pending += *got;
        for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
            boost::system::error_code ec;
            auto v = json::parse(std::string_view(pending).substr(0, nl), ec);
            if (ec) return bad_file("damaged content");
            if (auto s = line(v); !s) return s;
            pending.erase(0, nl + 1);
        }
    }
    return {};
}

}  // namespace

Result<BackupSummary> write_backup(Database& db, const BackupKey& key, const std::string& vault_text, const std::string& path) {
    BackupSummary summary;
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return make_error(ErrorKind::invalid, "io", "Cannot write " + path, "out");
        out << magic;
        uint32_t len = uint32_t(vault_text.size());
        out.write(reinterpret_cast<const char*>(&len), 4);
        out << vault_text;
        crypto::StreamSealer stream(*key());
        out << stream.header();
        std::string buffer;
        auto flush = [&](bool final) {
            while (buffer.size() >= chunk || (final && !buffer.empty()) || final) {
                size_t n = std::min(buffer.size(), chunk);
                const bool last = final && n == buffer.size();
                const std::string sealed = stream.seal(std::string_view(buffer).substr(0, n), last);
                uint32_t c = uint32_t(sealed.size());
                out.write(reinterpret_cast<const char*>(&c), 4);
                out << sealed;
                buffer.erase(0, n);
                if (last) break;
            }
        };
        const int version = schema_version(db);
        buffer += json::serialize(json::object{{"schema", version}}) + "\n";
        each_row(
            db,
            [&](const std::string& table, const std::vector<std::string>& cols) {
                json::array names;
                for (const auto& c : cols) names.push_back(json::string(c));
                buffer += json::serialize(json::object{{"table", table}, {"columns", names}}) + "\n";
                ++summary.tables;
            },
            [&](const Row& row) {
                json::array values;
                for (const auto& v : row.values) values.push_back(to_json(v));
                buffer += json::serialize(values) + "\n";
                ++summary.rows;
                if (buffer.size() >= chunk) flush(false);
            });
        buffer += json::serialize(json::object{{"end", summary.rows}}) + "\n";
        flush(true);
        out.close();
        if (!out) return make_error(ErrorKind::unavailable, "io", "Writing the backup failed.", "out");
    }
    // Read it back before calling it a backup.
    auto reader = open_backup(tmp);
    if (!reader) return reader.error();
    int64_t rows = 0;
    bool ended = false;
    Status s = read_lines(*reader.value(), key, [&](const json::value& v) -> Status {
        if (v.is_array()) ++rows;
        if (v.is_object() && v.as_object().contains("end")) ended = v.as_object().at("end").as_int64() == rows;
        return {};
    });
    if (!s || !ended || rows != summary.rows) {
        std::filesystem::remove(tmp);
        return make_error(ErrorKind::unavailable, "backup_unverified", "The backup did not read back whole; nothing was kept.", "out");
    }
    std::filesystem::rename(tmp, path);
    summary.bytes = int64_t(std::filesystem::file_size(path));
    return summary;
}

Result<std::string> backup_vault_file(const std::string& path) {
    HAVEN_TRY(reader, open_backup(path));
    return reader->vault_text;
}

Result<BackupSummary> restore_backup(Database& db, const BackupKey& key, const std::string& path) {
    HAVEN_TRY(reader, open_backup(path));
    BackupSummary summary;
    const int version = schema_version(db);
    Status s = db.write([&](Tx& tx) -> Status {
        RowWriter out(db, tx);
        bool ended = false;
        Status r = read_lines(*reader, key, [&](const json::value& v) -> Status {
            if (v.is_object()) {
                const auto& o = v.as_object();
                if (auto* schema = o.if_contains("schema"); schema && schema->as_int64() != version)
                    return make_error(ErrorKind::conflict, "schema_mismatch",
                                      "The backup is at schema version " + std::to_string(schema->as_int64()) + ", this database at " +
                                          std::to_string(version) + ": restore with the Haven that made it.",
                                      "in");
                if (auto* t = o.if_contains("table")) {
                    std::vector<std::string> cols;
                    for (const auto& c : o.at("columns").as_array()) cols.emplace_back(c.as_string());
                    if (auto t_ok = out.table(std::string(t->as_string()), cols); !t_ok) return t_ok;
                    ++summary.tables;
                }
                if (o.contains("end")) ended = true;
                return {};
            }
            Params p;
            for (const auto& x : v.as_array()) p.push_back(from_json(x));
            if (auto w = out.row(p); !w) return w;
            ++summary.rows;
            return {};
        });
        if (!r) return r;
        if (!ended) return bad_file("it ends early");
        return {};
    });
    if (!s) return s.error();
    db.analyze();
    return summary;
}

Result<BackupSummary> copy_database(Database& from, Database& to) {
    // Only what the migrations seed (the chains' head rows, the shipped procedures) may be there, and is replaced.
    static const std::set<std::string> seeded = {"audit_head", "fund_ledger_head", "report_release_head", "procedure_templates"};
    for (const auto& table : tables(to))
        if (!seeded.count(table) && !to.query("SELECT 1 FROM " + table + " LIMIT 1").empty())
            return make_error(ErrorKind::conflict, "target_not_empty",
                              "The target already holds records (" + table + "); copy only into an empty database.", "to");
    if (schema_version(from) != schema_version(to))
        return make_error(ErrorKind::conflict, "schema_mismatch",
                          "The two databases are at schema versions " + std::to_string(schema_version(from)) + " and " +
                              std::to_string(schema_version(to)) + ": migrate both with this Haven first.",
                          "to");
    BackupSummary summary;
    HAVEN_CHECK(to.write([&](Tx& tx) -> Status {
        RowWriter out(to, tx);
        Status status;  // the first failure stops the writing (the snapshot is read to its end)
        each_row(
            from,
            [&](const std::string& table, const std::vector<std::string>& cols) {
                if (status) status = out.table(table, cols);
                ++summary.tables;
            },
            [&](const Row& row) {
                if (status) status = out.row(row.values);
                ++summary.rows;
            });
        return status;
    }));
    to.analyze();
    return summary;
}

}  // namespace haven::storage
