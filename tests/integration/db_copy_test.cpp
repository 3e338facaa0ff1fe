// `haven db copy` on a populated store (issue 21). A real `haven serve` on SQLite is filled through the API and the
// pages — 2,000 people imported from a spreadsheet, 50 legal cases with step notes, a room with a week of bookings,
// the emergency network's 1,000 members and their operators' sealed roster, a legal-aid fund's ledger, and people's
// records opened until the audit log holds 10,000 entries — and what a person reads is kept. The server stops; the
// store is copied to PostgreSQL (a second copy into it is refused and changes nothing) and back to a new SQLite file,
// which must hold every row of the original, values byte for byte. Then `haven serve` runs on the copy and every read
// gives what the original gave; the audit chain and the ledger verify there.
// Also: a copy is refused, naming the problem, from a store at an older schema, into another Haven's store, and into
// a store newer than this Haven.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>

#include "core/embedded.hpp"
#include "crypto/random.hpp"
#include "crypto/totp.hpp"
#include "emergency/wire.hpp"
#include "storage/backup.hpp"
#include "storage/db.hpp"
#include "storage/migrate.hpp"
#include "support/engines.hpp"
#include "support/haven_process.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int people_count = 2000, cases_count = 50, members_count = 1000, audit_entries = 10000;
const std::string password = "quiet river lantern 7";

struct Run {
    int code = -1;
    std::string out;
    int64_t ms = 0;
};

// `haven ARGS` with stdout and stderr together.
Run haven(const std::string& args) {
    Run r;
    const auto started = Clock::now();
    FILE* p = popen((std::string(HAVEN_BINARY) + " " + args + " 2>&1").c_str(), "r");
    char buf[512];
    while (fgets(buf, sizeof buf, p)) r.out += buf;
    const int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    return r;
}

std::string shell_quoted(const std::string& s) { return "'" + s + "'"; }

// Every table of a store, each row serialised with its columns in name order and the rows sorted: two stores hold
// the same rows, values byte for byte and of the same type, exactly when their dumps are equal. The migrations'
// own bookkeeping (when each was applied) is left out: each store was migrated by itself.
using Dump = std::map<std::string, std::vector<std::string>>;

std::string serialise(const storage::Value& v) {
    switch (v.index()) {
        case 0: return "N";
        case 1: return "I" + std::to_string(std::get<int64_t>(v));
        case 2: {
            const double d = std::get<double>(v);
            uint64_t bits;
            std::memcpy(&bits, &d, sizeof bits);
            return "D" + std::to_string(bits);
        }
        case 3: {
            const auto& s = std::get<std::string>(v);
            return "T" + std::to_string(s.size()) + ":" + s;
        }
        default: {
            const auto& b = std::get<storage::Blob>(v).bytes;
            return "B" + std::to_string(b.size()) + ":" + std::string(b.begin(), b.end());
        }
    }
}

Dump dump(const std::string& url) {
    auto db = storage::open_database(url, {1});
    const bool sqlite = db->engine() == "sqlite";
    Dump out;
    db->read([&](storage::Tx& tx) {
        const auto tables = tx.query(sqlite ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                                            : "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                              "WHERE n.nspname = current_schema() AND c.relkind = 'r'");
        for (const auto& t : tables) {
            const std::string table = t.text(0);
            if (table == "schema_migrations") continue;
            const auto cols = tx.query(sqlite ? "SELECT name FROM pragma_table_info($1) ORDER BY name"
                                              : "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() "
                                                "AND table_name = $1 ORDER BY column_name::text",
                                       {table});
            std::string select = "SELECT ";
            for (size_t i = 0; i < cols.size(); ++i) select += (i ? ", " : "") + cols[i].text(0);
            auto& rows = out[table];
            for (const auto& r : tx.query(select + " FROM " + table)) {
                std::string line;
                for (size_t i = 0; i < r.values.size(); ++i) line += cols[i].text(0) + "=" + serialise(r.values[i]) + "|";
                rows.push_back(std::move(line));
            }
            std::sort(rows.begin(), rows.end());
        }
    });
    return out;
}

int64_t rows_in(const Dump& d) {
    int64_t n = 0;
    for (const auto& [table, rows] : d) n += int64_t(rows.size());
    return n;
}

std::string printable(const std::string& s) {
    std::string out;
    for (unsigned char c : s.substr(0, 300)) {
        if (c >= 0x20 && c < 0x7f) {
            out += char(c);
        } else {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        }
    }
    return out;
}

// Every difference between two dumps, as far as the first differing row of each table.
void expect_same_rows(const Dump& a, const Dump& b, const std::string& what) {
    for (const auto& [table, rows] : a) {
        auto it = b.find(table);
        if (it == b.end()) {
            ADD_FAILURE() << what << ": table " << table << " is missing";
            continue;
        }
        EXPECT_EQ(rows.size(), it->second.size()) << what << ": rows of " << table;
        auto [mine, theirs] = std::mismatch(rows.begin(), rows.end(), it->second.begin(), it->second.end());
        if (mine != rows.end() || theirs != it->second.end())
            ADD_FAILURE() << what << ": " << table << " differs, first at\n  " << (mine != rows.end() ? printable(*mine) : "(none)") << "\n  "
                          << (theirs != it->second.end() ? printable(*theirs) : "(none)");
    }
    for (const auto& [table, rows] : b)
        if (!a.count(table)) ADD_FAILURE() << what << ": table " << table << " is extra";
}

// Equal texts, or where they part.
void expect_same_text(const std::string& after, const std::string& before, const std::string& what) {
    if (after == before) return;
    const size_t at =
        size_t(std::mismatch(after.begin(), after.begin() + long(std::min(after.size(), before.size())), before.begin()).first - after.begin());
    const size_t from = at > 120 ? at - 120 : 0;
    ADD_FAILURE() << what << " differs on the copy at byte " << at << " (of " << after.size() << " / " << before.size()
                  << "):\n  copy:     " << printable(after.substr(from, 300)) << "\n  original: " << printable(before.substr(from, 300));
}

std::string value_of(const std::string& body, const std::string& key) {
    const std::string k = "\"" + key + "\":";
    const size_t at = body.find(k);
    if (at == std::string::npos) return "";
    const size_t from = at + k.size();
    if (body[from] == '"') return body.substr(from + 1, body.find('"', from + 1) - from - 1);
    return body.substr(from, body.find_first_of(",}]", from) - from);
}

size_t count_of(const std::string& haystack, const std::string& needle) {
    size_t n = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
    return n;
}

std::string between(const std::string& body, const std::string& from, const std::string& to) {
    const size_t a = body.find(from);
    if (a == std::string::npos) return "";
    const size_t b = body.find(to, a);
    return body.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

// A staff member enrolled through the pages: their session and the recovery codes left (each signs in once, or
// answers a second-factor question once).
struct Staff {
    std::string username, session;
    std::vector<std::string> codes;
};

const std::string csrf = "c" + std::string(42, 'x');

std::string sign_in(uint16_t port, const std::string& username, const std::string& code) {
    auto login = testing::request(port, "POST", "/api/v1/auth/login",
                                  R"({"username":")" + username + R"(","password":")" + password + R"(","totp":")" + code + "\"}",
                                  "Content-Type: application/json\r\n");
    if (login.status != 200) return "";
    std::string cookie = login.headers.substr(login.headers.find("haven_session=") + 14);
    return cookie.substr(0, cookie.find(';'));
}

Staff enrol(uint16_t port, const std::string& link_output, const std::string& username) {
    Staff s{username, "", {}};
    std::string token = link_output.substr(link_output.find("/enrol/") + 7);
    token = token.substr(0, token.find_first_of("\r\n"));
    const std::string form = "Content-Type: application/x-www-form-urlencoded\r\nCookie: haven_csrf=" + csrf + "\r\n";
    auto enrolled = testing::request(port, "POST", "/enrol/" + token, "_csrf=" + csrf + "&password=quiet+river+lantern+7", form);
    auto at = enrolled.body.find("id=\"totp-secret\">");
    if (at == std::string::npos) return s;
    at = enrolled.body.find(">", at) + 1;
    auto secret = crypto::base32_decode(enrolled.body.substr(at, enrolled.body.find('<', at) - at));
    if (!secret) return s;
    auto done =
        testing::request(port, "POST", "/enrol/" + token + "/code", "_csrf=" + csrf + "&code=" + crypto::totp_code(*secret, time(nullptr)), form);
    const std::string list = between(done.body, "id=\"recovery-codes\"", "</ul>");
    for (size_t c = list.find("<code>"); c != std::string::npos; c = list.find("<code>", c + 6))
        s.codes.push_back(list.substr(c + 6, list.find('<', c + 6) - c - 6));
    if (s.codes.size() < 4) return s;
    s.session = sign_in(port, username, s.codes.front());
    s.codes.erase(s.codes.begin());
    return s;
}

std::string as(const std::string& session, const std::string& type = "application/json") {
    return "Cookie: haven_session=" + session + "; haven_csrf=" + csrf + "\r\nX-CSRF-Token: " + csrf + "\r\nContent-Type: " + type + "\r\n";
}
// Reads carry the CSRF cookie too, so that the forms of a page hold the same token on both servers.
std::string reader(const std::string& session) { return "Cookie: haven_session=" + session + "; haven_csrf=" + csrf + "\r\n"; }

// Names in two alphabets, each person's own: syllables numbering them (8^4 = 4,096 of each).
const char* const cyrillic_syllables[] = {"ва", "ло", "ми", "ра", "ту", "не", "ко", "ши"};
const char* const latin_syllables[] = {"va", "lo", "mi", "ra", "tu", "ne", "ko", "shi"};
std::string numbered(int n, const char* const* syllables, bool capital_cyrillic) {
    std::string out;
    for (int k = 0; k < 4; ++k, n /= 8) out += syllables[n % 8];
    if (capital_cyrillic) return out;  // Cyrillic capitals differ in bytes: the Cyrillic names stay lower-case
    out[0] = char(std::toupper((unsigned char)out[0]));
    return out;
}
std::string cyrillic_name(int n) {
    return "Ж" + numbered(n, cyrillic_syllables, true) + " " + numbered((n * 7 + 3) % 4096, cyrillic_syllables, true);
}
std::string latin_name(int n) { return "Zh" + numbered(n, latin_syllables, true) + " " + numbered((n * 7 + 3) % 4096, latin_syllables, false); }

// What a person reads, made on the original before the copy and on the copy after it.
struct Reads {
    std::string dashboard, search, person, person_page, kase, week, members, roster, roster_etag, exported, audit_cases, audit_bookings;
};

Reads read_all(uint16_t port, const Staff& coordinator, const std::string& export_code, const Staff& admin, const Staff& op, int64_t site,
               int64_t person, const std::string& case_url, int64_t space, const std::string& search_for) {
    Reads r;
    auto get = [&](const std::string& who, const std::string& target, int timeout = 10000) {
        auto reply = testing::request(port, "GET", target, "", reader(who), timeout);
        EXPECT_EQ(reply.status, 200) << target << ": " << reply.body.substr(0, 300);
        return reply;
    };
    const std::string s = std::to_string(site);
    r.dashboard = get(coordinator.session, "/api/v1/sites/" + s + "/dashboard").body;
    r.search = get(coordinator.session, "/api/v1/people?q=" + search_for).body;
    r.person = get(coordinator.session, "/api/v1/people/" + std::to_string(person)).body;
    // The record page, without what changes with each page (its nonce and tokens): the person's part of <main>.
    r.person_page = between(get(coordinator.session, "/people/" + std::to_string(person)).body, "<main", "</main>");
    r.kase = get(coordinator.session, case_url).body;
    r.week = get(coordinator.session, "/api/v1/spaces/" + std::to_string(space) + "/bookings?from=2030-03-04T00:00:00Z&to=2030-03-11T00:00:00Z").body;
    r.members = get(op.session, "/api/v1/network/members").body;
    auto roster = get(op.session, "/api/v1/network/roster");
    r.roster = roster.body;
    r.roster_etag = roster.header("ETag");
    auto exported = testing::request(port, "GET", "/api/v1/sites/" + s + "/people/export", "",
                                     reader(coordinator.session) + "X-Second-Factor: " + export_code + "\r\n", 60000);
    EXPECT_EQ(exported.status, 200) << exported.body.substr(0, 300);
    r.exported = exported.body;
    r.audit_cases = between(get(admin.session, "/audit?action=case.open").body, "<table class=\"list\" id=\"audit\"", "</table>");
    r.audit_bookings = between(get(admin.session, "/audit?action=booking.create").body, "<table class=\"list\" id=\"audit\"", "</table>");
    return r;
}

void stop(const testing::HavenProcess& server) {
    kill(server.pid, SIGTERM);
    waitpid(server.pid, nullptr, 0);
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

TEST(DbCopy, APopulatedStoreCopiedToPostgresAndBackReadsTheSameEverywhere) {
    const std::string dir = testing::temp_dir("haven-db-copy");
    std::string pg;
    testing::fresh_database("postgres", dir, pg);
    if (pg.empty()) return;
    const std::string data = "--data " + dir, pass = dir + "/unseal-passphrase";
    const std::string original = "sqlite:" + dir + "/haven.db";

    // The store as `haven init` makes it by default (SQLite in the data directory), a site, and its server.
    auto init = haven("init " + data);
    ASSERT_EQ(init.code, 0) << init.out;
    const std::string audited = data + " --passphrase-file " + pass;  // commands that write to the audit log open the vault
    ASSERT_EQ(haven("site add --name Paris --city Paris --country France --time-zone Europe/Paris " + audited).code, 0);
    ASSERT_TRUE(fs::exists(dir + "/haven.db")) << "haven init no longer puts the store in the data directory";
    auto server =
        testing::start_haven({"--data", dir, "--passphrase-file", pass, "--secure-cookies", "false", "--log-level", "warn"}, dir + "/server.log");
    ASSERT_GT(server.port, 0) << "see " << dir << "/server.log";
    uint16_t port = server.port;
    const auto populating = Clock::now();

    auto staff = [&](const std::string& name, const std::string& role) {
        auto link = haven("user add --name " + name + " --role " + role + " --site Paris " + audited);
        EXPECT_EQ(link.code, 0) << link.out;
        Staff s = enrol(port, link.out, name);
        EXPECT_FALSE(s.session.empty()) << name << " could not enrol and sign in";
        return s;
    };
    const Staff coordinator = staff("coord", "coordinator"), admin = staff("admin", "administrator"), op = staff("netop", "emergency_operator"),
                support = staff("support", "prisoner_support");
    ASSERT_FALSE(coordinator.session.empty() || admin.session.empty() || op.session.empty() || support.session.empty());
    auto sites = testing::request(port, "GET", "/api/v1/sites", "", reader(coordinator.session));
    const int64_t site = std::stoll(value_of(sites.body, "id"));

    // 2,000 people from a spreadsheet: a pseudonym, a legal name in Cyrillic and in Latin letters, a phone, a note.
    {
        std::string sheet = "Pseudonym;ФИО;Name (passport);Phone;Notes\r\n";
        for (int n = 0; n < people_count; ++n)
            sheet += "Copyfinch" + std::to_string(n) + ";" + cyrillic_name(n) + ";" + latin_name(n) + ";+33 7 55 " + std::to_string(100000 + n) +
                     ";\"Crossed at Verkhny Lars, file " + std::to_string(n) + "\"\r\n";
        auto imported = testing::request(port, "POST", "/api/v1/sites/" + std::to_string(site) + "/people/import?duplicates=import", sheet,
                                         as(coordinator.session, "text/csv"), 120000);
        ASSERT_EQ(imported.status, 201) << imported.body.substr(0, 500);
        ASSERT_EQ(value_of(imported.body, "imported"), std::to_string(people_count)) << imported.body.substr(0, 300);
    }
    std::vector<int64_t> people;
    for (const auto& r : storage::open_database(original, {1})->query("SELECT id FROM people ORDER BY id")) people.push_back(r.integer(0));
    ASSERT_EQ(people.size(), size_t(people_count));
    const double import_s = seconds_since(populating);

    // Legal cases for 50 of them, each first step done with a note.
    std::string first_case;
    for (int i = 0; i < cases_count; ++i) {
        auto kase = testing::request(port, "POST", "/api/v1/people/" + std::to_string(people[size_t(i)]) + "/cases", R"({"template_id":1})",
                                     as(coordinator.session));
        ASSERT_EQ(kase.status, 201) << kase.body;
        const std::string url = "/api/v1/cases/" + value_of(kase.body, "id");
        if (i == 0) first_case = url;
        auto read = testing::request(port, "GET", url, "", reader(coordinator.session));
        const std::string step = value_of(between(read.body, "\"steps\"", "]"), "id");
        ASSERT_FALSE(step.empty()) << read.body.substr(0, 300);
        ASSERT_EQ(testing::request(port, "POST", url + "/steps/" + step,
                                   R"({"done":true,"note":"Appeal drafted with Maître Orlovskaya, file )" + std::to_string(i) + "\"}",
                                   as(coordinator.session))
                      .status,
                  200);
    }

    // A room and a week of bookings: a daily workshop (its note sealed) and three afternoon meetings.
    auto room =
        testing::request(port, "POST", "/api/v1/spaces",
                         R"({"site_id":)" + std::to_string(site) + R"(,"name":"Salle Louise Michel","kind":"room","equipment":["projector"]})",
                         as(coordinator.session));
    ASSERT_EQ(room.status, 201) << room.body;
    const int64_t space = std::stoll(value_of(room.body, "id"));
    auto book = [&](const std::string& start, const std::string& end, const std::string& extra) {
        auto b = testing::request(port, "POST", "/api/v1/bookings",
                                  R"({"space_id":)" + std::to_string(space) + R"(,"start":")" + start + R"(","end":")" + end + "\"" + extra + "}",
                                  as(coordinator.session));
        EXPECT_EQ(b.status, 201) << b.body;
    };
    book("2030-03-04T10:00:00+01:00", "2030-03-04T12:00:00+01:00", R"(,"note":"Atelier CV avec Zinaïda","recurrence":{"freq":"daily","count":7})");
    for (const char* day : {"2030-03-05", "2030-03-07", "2030-03-08"})
        book(std::string(day) + "T14:00:00+01:00", std::string(day) + "T15:30:00+01:00", R"(,"note":"Permanence juridique")");

    // A legal-aid fund with donations and a disbursement: a signed ledger to verify on the copy.
    {
        auto fund = testing::request(port, "POST", "/api/v1/sites/" + std::to_string(site) + "/funds",
                                     R"({"name":"Zashchita Dobrolyubovoy","currency":"EUR","goal_minor":900000})", as(support.session));
        ASSERT_EQ(fund.status, 201) << fund.body;
        const std::string base = "/api/v1/funds/" + value_of(fund.body, "id");
        for (int i = 0; i < 5; ++i)
            ASSERT_EQ(
                testing::request(port, "POST", base + "/donations",
                                 R"({"amount_minor":10000,"currency":"EUR","channel":"bank_transfer","value_date":"2026-11-01","donor":"Donatella )" +
                                     std::to_string(i) + "\"}",
                                 as(support.session))
                    .status,
                201);
        ASSERT_EQ(testing::request(port, "POST", base + "/disbursements",
                                   R"({"amount_minor":5000,"currency":"EUR","risk":"medium","value_date":"2026-11-02","payee":"Advokatskoe byuro"})",
                                   as(support.session))
                      .status,
                  201);
    }

    // The emergency network: 1,000 members enrolled by their devices, and the operators' sealed roster of them.
    const auto networking = Clock::now();
    {
        using namespace emergency;
        const BoxKeys operators = new_box_keys();
        const Bytes roster_key = crypto::random_bytes(32);
        std::string roster;
        for (int i = 0; i < members_count; ++i) {
            const SigningKeys identity = new_signing_keys();
            const BoxKeys prekey = new_box_keys();
            auto code = testing::request(port, "POST", "/api/v1/network/enrolments", "{}", as(op.session));
            ASSERT_EQ(code.status, 201) << code.body;
            const auto p = sign_prekey(identity, prekey.public_key, 4'000'000'000'000);
            const std::string who =
                "Sinitsa-driver" + std::to_string(i) + ";Pskovskaya-oblast;boat-skipper;kestrel" + std::to_string(i) + "@proton.example";
            const std::string member_id = to_hex(crypto::random_bytes(16));
            const Bytes packet = seal_to(operators.public_key, member_id + ";" + who + ";" + to_hex(crypto::random_bytes(32)));
            auto r = testing::request(port, "POST", "/api/v1/network/members",
                                      R"({"code":")" + value_of(code.body, "code") + R"(","member_id":")" + member_id + R"(","prekey":")" +
                                          to_hex(p.prekey) + R"(","not_after":)" + std::to_string(p.not_after) + R"(,"signature":")" +
                                          to_hex(p.signature) + R"(","packet":")" + to_hex(packet) + "\"}",
                                      "Content-Type: application/json\r\n");
            ASSERT_EQ(r.status, 201) << r.body;
            roster += who + "\n";
        }
        ASSERT_EQ(testing::request(port, "PUT", "/api/v1/network/roster", seal_secret(roster_key, roster),
                                   as(op.session, "application/octet-stream") + "If-Match: \"0\"\r\n")
                      .status,
                  200);
    }
    const double network_s = seconds_since(networking);

    // The audit log to 10,000 entries: people's records opened (each opening is audited), by two readers at once.
    const auto auditing = Clock::now();
    {
        auto db = storage::open_database(original, {1});
        const int64_t have = db->query("SELECT COUNT(*) FROM audit_log").at(0).integer(0);
        std::atomic<int64_t> next{0}, failed{0};
        const int64_t wanted = audit_entries - have;
        auto open_records = [&] {
            for (int64_t i; (i = next++) < wanted;) {
                auto r = testing::request(port, "GET", "/api/v1/people/" + std::to_string(people[size_t(i) % people.size()]), "",
                                          reader(i % 2 ? coordinator.session : admin.session));
                if (r.status != 200) ++failed;
            }
        };
        std::thread a(open_records), b(open_records);
        a.join();
        b.join();
        EXPECT_EQ(failed.load(), 0);
        ASSERT_GE(db->query("SELECT COUNT(*) FROM audit_log").at(0).integer(0), audit_entries);
    }
    const double audit_s = seconds_since(auditing);
    const double populate_s = seconds_since(populating);

    // What a person reads on the original.
    int64_t person = 0;
    {
        auto found = testing::request(port, "GET", "/api/v1/people?q=Copyfinch777", "", reader(coordinator.session));
        for (size_t at = found.body.find("\"id\":"); at != std::string::npos && !person; at = found.body.find("\"id\":", at + 5)) {
            const std::string id = std::to_string(std::stoll(found.body.substr(at + 5)));
            if (testing::request(port, "GET", "/api/v1/people/" + id, "", reader(coordinator.session)).body.find("\"pseudonym\":\"Copyfinch777\"") !=
                std::string::npos)
                person = std::stoll(id);
        }
        ASSERT_NE(person, 0) << "Copyfinch777 is not found: " << found.body.substr(0, 300);
    }
    const std::string search_for = "Zh" + numbered(777, latin_syllables, true);  // the given name, in Latin letters, of a person recorded in both
    const Reads before = read_all(port, coordinator, coordinator.codes[0], admin, op, site, person, first_case, space, search_for);
    EXPECT_NE(before.dashboard.find("\"people\":" + std::to_string(people_count)), std::string::npos) << before.dashboard;
    EXPECT_NE(before.search.find(cyrillic_name(777)), std::string::npos) << before.search.substr(0, 400);
    EXPECT_NE(before.person.find(cyrillic_name(777)), std::string::npos) << "the sealed legal names in clear: " << before.person.substr(0, 400);
    EXPECT_NE(before.person.find("+33 7 55 100777"), std::string::npos) << before.person.substr(0, 400);
    EXPECT_NE(before.person_page.find(latin_name(777)), std::string::npos) << before.person_page.substr(0, 400);
    EXPECT_NE(before.kase.find("Maître Orlovskaya, file 0"), std::string::npos) << before.kase.substr(0, 400);
    EXPECT_EQ(count_of(before.week, "\"start\""), 10u) << before.week.substr(0, 400);
    EXPECT_EQ(count_of(before.members, "\"member_id\""), size_t(members_count));
    EXPECT_EQ(count_of(before.exported, "Copyfinch"), size_t(people_count));
    EXPECT_EQ(count_of(before.audit_cases, "<tr>"), size_t(cases_count) + 1) << "a heading row and one per case opened";
    stop(server);
    const Dump source = dump(original);

    // 1. The copy into PostgreSQL.
    auto copied = haven("db copy " + data + " --to " + shell_quoted(pg));
    ASSERT_EQ(copied.code, 0) << copied.out;
    EXPECT_NE(copied.out.find("Copied " + std::to_string(rows_in(source)) + " rows of "), std::string::npos)
        << copied.out << "(the store holds " << rows_in(source) << " rows)";
    EXPECT_NE(copied.out.find("from sqlite to postgres"), std::string::npos) << copied.out;
    const Dump in_pg = dump(pg);
    expect_same_rows(source, in_pg, "SQLite → PostgreSQL");

    // 2. A second copy into it is refused and changes nothing.
    auto again = haven("db copy " + data + " --to " + shell_quoted(pg));
    EXPECT_NE(again.code, 0) << again.out;
    EXPECT_NE(again.out.find("already holds records"), std::string::npos) << again.out;
    expect_same_rows(in_pg, dump(pg), "PostgreSQL after a refused second copy");

    // 3. Back into a new SQLite file: every row of the original, byte for byte.
    const std::string back = "sqlite:" + dir + "/round-trip.db";
    auto returned = haven("db copy " + data + " --db " + shell_quoted(pg) + " --to " + back);
    ASSERT_EQ(returned.code, 0) << returned.out;
    EXPECT_NE(returned.out.find("Copied " + std::to_string(rows_in(source)) + " rows of "), std::string::npos) << returned.out;
    expect_same_rows(source, dump(back), "SQLite → PostgreSQL → SQLite");

    // 4. The audit chain and the ledger verify on the copy.
    auto audit = haven("audit verify " + data + " --db " + shell_quoted(pg));
    EXPECT_EQ(audit.code, 0) << audit.out;
    EXPECT_NE(audit.out.find("audit log intact: " + std::to_string(source.at("audit_log").size()) + " entries"), std::string::npos) << audit.out;
    auto ledger = haven("ledger verify " + data + " --db " + shell_quoted(pg));
    EXPECT_EQ(ledger.code, 0) << ledger.out;
    EXPECT_NE(ledger.out.find("ledger intact"), std::string::npos) << ledger.out;

    // 5. `haven serve` on the copy: every read gives what it gave on the original.
    server = testing::start_haven({"--data", dir, "--db", pg, "--passphrase-file", pass, "--secure-cookies", "false", "--log-level", "warn"},
                                  dir + "/server-copy.log");
    ASSERT_GT(server.port, 0) << "see " << dir << "/server-copy.log";
    port = server.port;
    auto again_in = [&](Staff s) {
        s.session = sign_in(port, s.username, s.codes.back());
        s.codes.pop_back();
        EXPECT_FALSE(s.session.empty()) << s.username << " cannot sign in on the copy";
        return s;
    };
    const Staff coordinator2 = again_in(coordinator), admin2 = again_in(admin), op2 = again_in(op);
    const Reads after = read_all(port, coordinator2, coordinator2.codes[1], admin2, op2, site, person, first_case, space, search_for);
    // A recovery code spent on the original stays spent on the copy.
    EXPECT_NE(testing::request(port, "GET", "/api/v1/sites/" + std::to_string(site) + "/people/export", "",
                               reader(coordinator2.session) + "X-Second-Factor: " + coordinator.codes[0] + "\r\n", 60000)
                  .status,
              200);
    // The copy takes new records (ids are random: no sequence to carry over), and its audit chain goes on from the
    // copied head.
    {
        auto p = testing::request(port, "POST", "/api/v1/people", R"({"pseudonym":"Newcomer on the copy","legal_names":["Новикова Пелагея"]})",
                                  as(coordinator2.session));
        EXPECT_EQ(p.status, 201) << p.body;
        auto b =
            testing::request(port, "POST", "/api/v1/bookings",
                             R"({"space_id":)" + std::to_string(space) + R"(,"start":"2030-03-06T16:00:00+01:00","end":"2030-03-06T17:00:00+01:00"})",
                             as(coordinator2.session));
        EXPECT_EQ(b.status, 201) << b.body;
        EXPECT_EQ(testing::request(port, "POST", "/api/v1/network/enrolments", "{}", as(op2.session)).status, 201);
        auto found = testing::request(port, "GET", "/api/v1/people?q=Novikova", "", reader(coordinator2.session));
        EXPECT_NE(found.body.find("Newcomer on the copy"), std::string::npos) << found.body.substr(0, 300);
    }
    stop(server);
    auto audit_after = haven("audit verify " + data + " --db " + shell_quoted(pg));
    EXPECT_EQ(audit_after.code, 0) << audit_after.out;
    EXPECT_EQ(audit_after.out.find("audit log intact: " + std::to_string(source.at("audit_log").size()) + " entries"), std::string::npos)
        << "the copy's own entries follow the copied ones: " << audit_after.out;
    expect_same_text(after.dashboard, before.dashboard, "dashboard");
    expect_same_text(after.search, before.search, "search");
    expect_same_text(after.person, before.person, "person");
    expect_same_text(after.person_page, before.person_page, "person_page");
    expect_same_text(after.kase, before.kase, "kase");
    expect_same_text(after.week, before.week, "week");
    expect_same_text(after.members, before.members, "members");
    expect_same_text(after.roster, before.roster, "the sealed roster");
    expect_same_text(after.roster_etag, before.roster_etag, "roster_etag");
    expect_same_text(after.exported, before.exported, "the export of every person (sealed values opened)");
    expect_same_text(after.audit_cases, before.audit_cases, "audit_cases");
    expect_same_text(after.audit_bookings, before.audit_bookings, "audit_bookings");

    std::map<std::string, size_t> biggest;
    for (const auto& [table, rows] : source) biggest[table] = rows.size();
    std::printf("db copy: %lld rows in %zu tables (people %zu, audit_log %zu, network_members %zu, cases %zu, bookings %zu)\n",
                (long long)rows_in(source), source.size(), biggest["people"], biggest["audit_log"], biggest["network_members"], biggest["cases"],
                biggest["bookings"]);
    std::printf("db copy: populated in %.1f s (import %.1f s, network %.1f s, audit reads %.1f s)\n", populate_s, import_s, network_s, audit_s);
    std::printf("db copy: SQLite → PostgreSQL %lld ms, PostgreSQL → SQLite %lld ms (wall; the command's own figures:%s,%s)\n", (long long)copied.ms,
                (long long)returned.ms, between(copied.out, " in ", ".").c_str(), between(returned.out, " in ", ".").c_str());
    std::printf("db copy: on the copy %s\n", between(audit.out, "audit log", "\n").c_str());
    std::printf("db copy: after serving from it %s\n", between(audit_after.out, "audit log", "\n").c_str());
    if (!HasFailure()) fs::remove_all(dir);
}

// The migrations up to (not including) `below`: a store as an older Haven left it.
std::vector<EmbeddedFile> migrations_before(int below) {
    std::vector<EmbeddedFile> out;
    for (const auto& f : migration_files())
        if (std::atoi(std::string(f.name.substr(0, 4)).c_str()) < below) out.push_back(f);
    return out;
}

TEST(DbCopy, IsRefusedNamingTheProblemFromAnOlderStoreIntoAnotherHavensOrIntoANewerOne) {
    const std::string dir = testing::temp_dir("haven-db-copy-refused");
    std::string pg;
    testing::fresh_database("postgres", dir, pg);
    if (pg.empty()) return;
    const int latest = storage::migrations_for("sqlite").back().version;

    // A store with a site, to copy from.
    const std::string a = dir + "/a";
    ASSERT_EQ(haven("init --data " + a).code, 0);
    ASSERT_EQ(haven("site add --name Paris --city Paris --country France --time-zone Europe/Paris --data " + a + " --passphrase-file " + a +
                    "/unseal-passphrase")
                  .code,
              0);

    // Into another Haven's store (a site of its own, on PostgreSQL): refused, naming the table that holds records;
    // it is left exactly as it was.
    {
        const std::string b = dir + "/b";
        ASSERT_EQ(haven("init --data " + b + " --db " + shell_quoted(pg)).code, 0);
        ASSERT_EQ(haven("site add --name Berlin --city Berlin --country Germany --time-zone Europe/Berlin --data " + b + " --db " + shell_quoted(pg) +
                        " --passphrase-file " + b + "/unseal-passphrase")
                      .code,
                  0);
        const Dump theirs = dump(pg);
        auto r = haven("db copy --data " + a + " --to " + shell_quoted(pg));
        EXPECT_EQ(r.code, 1) << r.out;
        EXPECT_NE(r.out.find("already holds records (sites)"), std::string::npos) << r.out;
        expect_same_rows(theirs, dump(pg), "another Haven's store after a refused copy");
    }

    // Into another Haven's store at an older schema: refused too, and its schema left as it was (a refused copy must
    // not upgrade a store that another Haven serves).
    {
        const std::string c = dir + "/c.db";
        {
            auto db = storage::open_database("sqlite:" + c, {1});
            const auto older = migrations_before(latest);
            ASSERT_TRUE(storage::migrate(*db, older));
            ASSERT_TRUE(db->write([](storage::Tx& tx) -> Status {
                tx.exec(
                    "INSERT INTO sites (id, name, city, country, time_zone, created_at) VALUES (4242, 'Wien', 'Wien', 'Austria', 'Europe/Vienna', "
                    "1)");
                return {};
            }));
        }
        auto r = haven("db copy --data " + a + " --to sqlite:" + c);
        EXPECT_EQ(r.code, 1) << r.out;
        EXPECT_NE(r.out.find("already holds records (sites)"), std::string::npos) << r.out;
        auto db = storage::open_database("sqlite:" + c, {1});
        EXPECT_EQ(storage::schema_version(*db), latest - 1) << "a refused copy upgraded the target's schema";
    }

    // Into a store newer than this Haven: refused, saying so.
    {
        const std::string n = dir + "/newer.db";
        {
            auto db = storage::open_database("sqlite:" + n, {1});
            ASSERT_TRUE(storage::migrate(*db));
            ASSERT_TRUE(db->write([&](storage::Tx& tx) -> Status {
                tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'from_the_future', 1)", {int64_t(latest + 1)});
                return {};
            }));
        }
        auto r = haven("db copy --data " + a + " --to sqlite:" + n);
        EXPECT_EQ(r.code, 1) << r.out;
        EXPECT_NE(r.out.find("newer than this Haven"), std::string::npos) << r.out;
    }

    // From a store at an older schema: the command does not change it (serving it with this Haven migrates it, after a
    // backup) and writes nothing anywhere; copy_database itself refuses two stores at different versions, naming both.
    {
        const std::string old_dir = dir + "/old";
        fs::create_directories(old_dir);
        {
            auto db = storage::open_database("sqlite:" + old_dir + "/haven.db", {1});
            const auto older = migrations_before(latest);
            ASSERT_TRUE(storage::migrate(*db, older));
        }
        const std::string target = dir + "/target.db";
        auto r = haven("db copy --data " + old_dir + " --to sqlite:" + target);
        EXPECT_EQ(r.code, 1) << r.out;
        EXPECT_NE(r.out.find("the source is at schema version " + std::to_string(latest - 1)), std::string::npos) << r.out;
        EXPECT_FALSE(fs::exists(target) && fs::file_size(target) > 0 && storage::schema_version(*storage::open_database("sqlite:" + target, {1})) > 0)
            << "the target was written although the source was refused";

        auto old_db = storage::open_database("sqlite:" + old_dir + "/haven.db", {1});
        auto new_db = storage::open_database("sqlite:" + dir + "/fresh.db", {1});
        ASSERT_TRUE(storage::migrate(*new_db));
        auto refused = storage::copy_database(*old_db, *new_db);
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().code, "schema_mismatch");
        EXPECT_NE(refused.error().message.find(std::to_string(latest - 1)), std::string::npos) << refused.error().message;
    }
    if (!HasFailure()) fs::remove_all(dir);
}

}  // namespace
}  // namespace haven
