// Haven's performance targets, each measured against a baseline in the same run (machines here are
// shared and noisy: read the ratios, not the absolute figures).
//   1. requests/s and p99 through the full middleware stack vs a bare Beast server with the same bytes;
//   2. durable writes/s with group commit vs one fsync per write, 64 writers, synchronous=FULL;
//   3. idle RSS and start-to-ready time of `haven serve`;
//   4. the vault's unseal and field sealing;
//   5. people over 100,000 records on both engines: import, intake writes/s (vs plain durable writes) and
//      name search p50/p99;
//   6. bookings over 10,000: conflict check refused and accepted, a week's listing and its page render, both engines;
//   7. the emergency network's fan-out to 8,000 and 1,000,000 members vs the pure-crypto bound, and a member's decrypt;
//   8. 8,000 member devices long-polling at once: server memory, a request's p99 while they wait, publication to answers;
//   9. legal-aid funds: signed ledger appends/s, verification speed, a fund's balance over 1,000,000 entries.
//  10. matching letters to prisoners: one ask's p50/p99 over 1,500 prisoners and 10,000 writers, asks/s from 8 threads.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/app.hpp"
#include "bare_server.hpp"
#include "core/log.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/random.hpp"
#include "crypto/vault.hpp"
#include "emergency/wire.hpp"
#include "http/transport/server.hpp"
#include "modules/people/service.hpp"
#include "modules/people/store.hpp"
#include "modules/prisoners/fund.hpp"
#include "modules/reports/report.hpp"
#include "modules/reports/store.hpp"
#include "modules/spaces/handlers.hpp"
#include "modules/spaces/service.hpp"
#include "storage/db.hpp"
#include "storage/migrate.hpp"
#include "support/haven_process.hpp"
#include "support/http_client.hpp"
#include "support/roster.hpp"
#include "text/names.hpp"

using namespace haven;
using Clock_ = std::chrono::steady_clock;
using http::Response;

namespace {

struct Load {
    double rps = 0;
    double p50_us = 0, p99_us = 0;
};

// `connections` keep-alive clients hammer GET target for `seconds`.
Load run_load(uint16_t port, const std::string& target, int connections, double seconds) {
    std::atomic<bool> stop{false};
    std::vector<std::vector<double>> latencies(connections);
    std::vector<std::thread> threads;
    const std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    for (int i = 0; i < connections; ++i) {
        threads.emplace_back([&, i] {
            testing::Connection c(port);
            while (!stop) {
                auto t0 = Clock_::now();
                if (!c.send(req) || c.read_reply().status != 200) {
                    std::fprintf(stderr, "load: request failed\n");
                    return;
                }
                latencies[i].push_back(std::chrono::duration<double, std::micro>(Clock_::now() - t0).count());
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    Load r;
    if (all.empty()) return r;
    r.rps = double(all.size()) / seconds;
    r.p50_us = all[all.size() / 2];
    r.p99_us = all[std::min(all.size() - 1, size_t(double(all.size()) * 0.99))];
    return r;
}

// A PostgreSQL database left by an earlier run is emptied (SQLite files start in a new directory).
void empty_if_postgres(const std::string& url) {
    if (!url.starts_with("postgres")) return;
    auto fresh = storage::open_database(url, {1});
    (void)fresh->write([](storage::Tx& tx) -> Status {
        tx.exec_script("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
        return {};
    });
}

// Haven in this process, with a new vault in `dir` and an empty database, unsealed, serving on a free port.
std::unique_ptr<App> started_app(const std::string& dir, const std::string& db, uint16_t& port) {
    std::filesystem::create_directories(dir);
    empty_if_postgres(db);
    Config c;
    c.data_dir = dir;
    c.db = db;
    c.listen_port = 0;
    c.log_level = "warn";
    if (const char* w = std::getenv("HAVEN_BENCH_WORKERS")) c.workers = std::atoi(w);
    log::set_level(log::Level::warn);
    static SystemClock clock;
    std::string operator_file;
    {
        crypto::Vault vault(dir + "/vault.json", clock);
        operator_file = vault.create(false, 1, 1)->operator_files.at(0);
    }
    auto app = App::create(c, clock);
    if (!app) {
        std::printf("cannot start Haven: %s\n", app.error().message.c_str());
        return nullptr;
    }
    (void)app.value()->vault().unseal_with_operator_files({operator_file});
    port = app.value()->listen();
    app.value()->start();
    return std::move(app).value();
}

void bench_http(const std::string& dir) {
    uint16_t haven_port = 0;
    auto started = started_app(dir, "sqlite:" + dir + "/http.db", haven_port);
    if (!started) return;
    // The bare server answers with exactly the bytes Haven answers /healthz with.
    testing::Connection probe(haven_port);
    probe.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto sample = probe.read_reply();
    std::vector<std::pair<std::string, std::string>> headers;
    size_t pos = sample.headers.find("\r\n") + 2;
    while (pos < sample.headers.size()) {
        size_t end = sample.headers.find("\r\n", pos);
        std::string line = sample.headers.substr(pos, end - pos);
        pos = end + 2;
        auto colon = line.find(':');
        std::string name = line.substr(0, colon);
        if (name == "Content-Length") continue;
        headers.emplace_back(name, line.substr(colon + 2));
    }
    uint16_t bare_port = bench::start_bare_server(headers, sample.body);

    const int connections = 8;
    const double seconds = 3.0;
    run_load(haven_port, "/healthz", connections, 0.5);  // warm up
    run_load(bare_port, "/healthz", connections, 0.5);
    // The transport alone (worker hand-off included, no pipeline): where the gap comes from.
    http::ServerLimits limits;
    limits.workers = Config{}.workers;
    if (const char* w = std::getenv("HAVEN_BENCH_WORKERS")) limits.workers = std::atoi(w);
    Response fixed = Response::json(200, sample.body);
    for (auto& [k, v] : headers) fixed.set_header(k, v);
    http::Server transport(
        limits,
        {[&fixed](http::Request&) { return fixed; }, [](int s, const std::string&, const std::string&) { return Response::text(s, ""); }, {}});
    uint16_t transport_port = transport.listen("127.0.0.1", 0);
    transport.start();
    run_load(transport_port, "/healthz", connections, 0.5);
    Load bare = run_load(bare_port, "/healthz", connections, seconds);
    Load only = run_load(transport_port, "/healthz", connections, seconds);
    Load full = run_load(haven_port, "/healthz", connections, seconds);
    std::printf("http  transport only  : %9.0f req/s   p50 %6.0f us   p99 %6.0f us\n", only.rps, only.p50_us, only.p99_us);
    std::printf("http  bare Beast      : %9.0f req/s   p50 %6.0f us   p99 %6.0f us\n", bare.rps, bare.p50_us, bare.p99_us);
    std::printf("http  Haven full stack: %9.0f req/s   p50 %6.0f us   p99 %6.0f us\n", full.rps, full.p50_us, full.p99_us);
    std::printf("http  ratio Haven/bare: %.2f of the throughput (target >= 0.60), p99 x%.2f\n", full.rps / bare.rps, full.p99_us / bare.p99_us);
    started->stop();
}

double durable_writes_per_second(const std::string& path, bool group_commit, int writers, double seconds) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    auto db = storage::open_database("sqlite:" + path, {2, group_commit, 256});
    (void)db->write([](storage::Tx& tx) -> Status {
        tx.exec_script("CREATE TABLE w (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
        return {};
    });
    std::atomic<bool> stop{false};
    std::atomic<int64_t> done{0}, next{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < writers; ++i) {
        threads.emplace_back([&] {
            while (!stop) {
                int64_t id = next++;
                auto s = db->write([&](storage::Tx& tx) -> Status {
                    tx.exec("INSERT INTO w (id, payload) VALUES ($1, $2)", {id, std::string(100, 'x')});
                    return {};
                });
                if (s) ++done;
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    return double(done.load()) / seconds;
}

void bench_writes(const std::string& dir) {
    const int writers = 64;
    double naive = durable_writes_per_second(dir + "/naive.db", false, writers, 3.0);
    double grouped = durable_writes_per_second(dir + "/grouped.db", true, writers, 3.0);
    std::printf("write one fsync per write : %9.0f writes/s (64 writers, synchronous=FULL)\n", naive);
    std::printf("write group commit        : %9.0f writes/s\n", grouped);
    std::printf("write ratio group/naive   : %.1fx (target >= 10x)\n", grouped / naive);
}

long rss_kb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return -1;
}

void bench_startup(const std::string& dir) {
    std::string data = dir + "/serve";
    std::system((std::string(HAVEN_BINARY) + " init --data " + data + " > /dev/null").c_str());
    std::vector<double> ready_ms;
    long rss = 0;
    for (int run = 0; run < 5; ++run) {
        auto t0 = Clock_::now();
        std::fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            std::freopen("/dev/null", "w", stdout);
            std::freopen("/dev/null", "w", stderr);
            execl(HAVEN_BINARY, HAVEN_BINARY, "serve", "--data", data.c_str(), "--listen", "127.0.0.1:18599", nullptr);
            _exit(127);
        }
        while (testing::request(18599, "GET", "/healthz").status != 200) std::this_thread::sleep_for(std::chrono::microseconds(500));
        ready_ms.push_back(std::chrono::duration<double, std::milli>(Clock_::now() - t0).count());
        std::this_thread::sleep_for(std::chrono::seconds(1));
        rss = std::max(rss, rss_kb(pid));
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
    }
    std::sort(ready_ms.begin(), ready_ms.end());
    std::printf("start start-to-ready     : %6.1f ms median of 5 (target <= 200 ms)\n", ready_ms[2]);
    std::printf("start idle RSS           : %6.1f MB (target <= 25 MB)\n", double(rss) / 1024.0);
}

void bench_vault(const std::string& dir) {
    ManualClock clock;
    const std::string path = dir + "/bench-vault.json";
    std::string passphrase;
    {
        crypto::Vault v(path, clock);
        passphrase = v.create(true, 0, 0)->passphrase;
    }
    crypto::Vault v(path, clock);
    auto t0 = Clock_::now();
    if (!v.unseal_with_passphrase(passphrase)) std::printf("vault: unseal failed\n");
    const double unseal_ms = std::chrono::duration<double, std::milli>(Clock_::now() - t0).count();
    // A typical record: six sealed fields of 20 to 200 bytes (names, contacts, a note).
    const std::vector<std::pair<const char*, std::string>> record = {{"real_name", "Анна Петровна Смирнова"},
                                                                     {"email", "anna.smirnova@example.org"},
                                                                     {"phone", "+33 6 12 34 56 78"},
                                                                     {"birth_date", "1991-04-17"},
                                                                     {"address", "12 rue de la Paix, 75002 Paris"},
                                                                     {"note", std::string(200, 'x')}};
    const int rounds = 20'000;
    t0 = Clock_::now();
    size_t total = 0;
    for (int i = 0; i < rounds; ++i) {
        for (const auto& [column, value] : record) {
            std::string sealed = v.seal_field("people", column, i, value);
            total += v.open_field("people", column, i, sealed)->size();
        }
    }
    const double per_record_us = std::chrono::duration<double, std::micro>(Clock_::now() - t0).count() / rounds;
    std::printf("vault unseal (Argon2id MODERATE): %6.0f ms\n", unseal_ms);
    std::printf("vault seal+open of a 6-field record: %6.1f us (%zu bytes round-tripped)\n", per_record_us, total / rounds);
}

// A new vault (1-of-1 operator file, no Argon2id) and an empty, migrated database at `url` (on PostgreSQL the
// schema is dropped first); null when either fails.
std::unique_ptr<storage::Database> fresh_store(const std::string& url, crypto::Vault& vault) {
    if (!vault.create(false, 1, 1).ok()) return nullptr;
    empty_if_postgres(url);
    auto db = storage::open_database(url, {4, true, 256});
    if (!storage::migrate(*db)) return nullptr;
    return db;
}

// People over 100,000 records, through the real service (sealed records, blind index, audit), both engines:
// the import path (create_all, 2,000 per transaction), intake writes/s by 8 coordinators at once (each intake
// is a duplicate check then one durable transaction) beside plain durable one-row writes at the same
// concurrency, and the search (issue 17): over a generated roster with common names' frequencies (many
// Ivanovs, many Elenas; tests/support/roster.cpp), 1,000 people whose name nobody else bears are searched in each
// of five spellings (Cyrillic, passport, English, French, German; given name first for half): where the right
// person comes (first, top 3), how many results, and p50/p99 — against a baseline in the same run, a search for
// a name nobody bears (the index lookup and the audit entry, nothing to open).
// The process's CPU time (user and system), less noisy than the clock on a shared machine.
double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void bench_people(const std::string& dir, const std::string& url) {
    ManualClock clock(1'795'700'000'000);
    crypto::Vault v(dir + "/people-vault-" + std::to_string(url.size()) + ".json", clock);
    auto db = fresh_store(url, v);
    if (!db) return;
    const bool sqlite = db->engine() == "sqlite";
    audit::Recorder audit(v, clock);
    const modules::Shared shared{*db, v, clock, audit};
    accounts::Service accounts(shared);
    people::Service people(shared, accounts);
    auto site = accounts.create_site(nullptr, {"Bench", "Paris", "France", "Europe/Paris", false});
    auto invited = accounts.invite(nullptr, site ? site->id : 0, "bench", Role::coordinator);  // a real account: reads are counted against it
    if (!site || !invited) return;
    Principal coordinator{invited->account.id, "bench", {{site->id, Role::coordinator}}, "session", "", false, "en"};

    const int records = std::getenv("HAVEN_BENCH_PEOPLE") ? std::atoi(std::getenv("HAVEN_BENCH_PEOPLE")) / 2000 * 2000 : 100'000;
    const auto roster = testing::make_roster(size_t(records) + 200'000);  // the rest for the intakes
    std::mt19937 rng(7);
    auto random_person = [&](int n) {
        people::Person p;
        p.pseudonym = "P" + std::to_string(n);
        p.legal_names = roster[size_t(n) % roster.size()].legal_names();
        p.phone = "+33 6 " + std::to_string(10000000 + int(rng() % 89999999));
        p.languages = {"ru"};
        p.notes = "Arrived via Tbilisi";
        return p;
    };

    auto t0 = Clock_::now();
    for (int batch = 0; batch < records; batch += 2000) {
        std::vector<people::Person> list;
        for (int i = batch; i < batch + 2000; ++i) {
            list.push_back(random_person(i));
            (void)people::check(list.back(), clock.now_ms());
        }
        if (!people.create_all(coordinator, site->id, std::move(list))) {
            std::printf("people %s: import failed\n", sqlite ? "sqlite" : "postgres");
            return;
        }
    }
    const double load_s = std::chrono::duration<double>(Clock_::now() - t0).count();
    const int64_t index_rows = db->query("SELECT COUNT(*) FROM people_names").at(0).integer(0);

    // Intake: 8 coordinators at once for 5 s, against one-row durable writes at the same concurrency.
    auto concurrent = [&](const std::function<void(int, int)>& one) {
        std::atomic<bool> stop{false};
        std::atomic<int64_t> done{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; !stop; ++i) {
                    one(t, i);
                    ++done;
                }
            });
        std::this_thread::sleep_for(std::chrono::seconds(5));
        stop = true;
        for (auto& th : threads) th.join();
        return double(done) / 5.0;
    };
    std::mutex rng_mutex;
    const bool skip_intake = std::getenv("HAVEN_BENCH_SKIP_INTAKE") != nullptr;  // for profiling the search alone
    const double intakes = skip_intake ? 0 : concurrent([&](int t, int i) {
        people::Person p;
        {
            std::lock_guard lock(rng_mutex);
            p = random_person(records + t * 20'000 + i % 20'000);
        }
        if (!people.create(coordinator, std::move(p))) std::fprintf(stderr, "intake failed\n");
    });
    (void)db->write([](storage::Tx& tx) -> Status {
        tx.exec_script("CREATE TABLE IF NOT EXISTS bench_writes (id BIGINT PRIMARY KEY, at BIGINT NOT NULL)");
        return {};
    });
    std::atomic<int64_t> next_id{1};
    const double plain = skip_intake ? 0 : concurrent([&](int, int) {
        (void)db->write([&](storage::Tx& tx) -> Status {
            tx.exec("INSERT INTO bench_writes (id, at) VALUES ($1, $2)", {int64_t(next_id++), int64_t(0)});
            return {};
        });
    });

    auto timed = [&](const std::string& query) {
        auto t = Clock_::now();
        auto found = people.search(coordinator, query, 50);
        if (!found && std::getenv("HAVEN_BENCH_VERBOSE")) std::printf("search failed: %s\n", found.error().message.c_str());
        return std::make_pair(std::chrono::duration<double, std::micro>(Clock_::now() - t).count(),
                              found ? std::move(found.value()) : std::vector<people::Match>{});
    };
    std::vector<double> base;
    for (int q = 0; q < 300; ++q) base.push_back(timed("Zzyzxq Qwxyvb" + std::to_string(q % 10 == 0 ? q : 0)).first);
    std::sort(base.begin(), base.end());
    std::map<std::string, int> same_name;
    for (const auto& p : roster) ++same_name[p.key()];  // the whole roster: the intakes above drew from its end
    const int per_scheme = std::getenv("HAVEN_BENCH_SEARCHES") ? std::atoi(std::getenv("HAVEN_BENCH_SEARCHES")) : 1000;
    std::vector<double> us, lookup;
    std::vector<std::pair<double, std::string>> slowest;  // HAVEN_BENCH_VERBOSE names the slowest 1 %
    size_t found_total = 0;
    const double cpu_before = cpu_seconds();
    for (int scheme = -1; scheme < 4; ++scheme) {
        int asked = 0, first_place = 0, top3 = 0;
        std::vector<size_t> sizes;
        for (int i = 0; asked < per_scheme && i < records; i += 7) {
            const auto& who = roster[size_t(i)];
            if (same_name[who.key()] > 1) continue;
            const std::string query = who.query(scheme, asked % 2);
            size_t candidates = 0;
            {  // the index lookup alone, as the search makes it (words' values, the people holding one of each)
                std::vector<std::set<int64_t>> values;
                for (const auto& word : text::words(query))
                    values.push_back(crypto::name_index_values(v, "people.name", word, people::Settings{}.name_index_bits));
                auto t = Clock_::now();
                (void)db->read([&](storage::Tx& tx) -> Status {
                    candidates = people::store::holding_every(tx, values, 20000).size();
                    return {};
                });
                lookup.push_back(std::chrono::duration<double, std::micro>(Clock_::now() - t).count());
            }
            auto [t, found] = timed(query);
            us.push_back(t);
            slowest.emplace_back(t, query + " (" + std::to_string(candidates) + " candidates)");
            found_total += found.size();
            sizes.push_back(found.size());
            const std::string pseudonym = "P" + std::to_string(i);
            size_t place = 0;
            while (place < found.size() && found[place].pseudonym != pseudonym) ++place;
            first_place += place == 0;
            top3 += place < 3;
            if (place != 0 && std::getenv("HAVEN_BENCH_VERBOSE"))  // names the misses
                std::printf("not first: %s (%s) at %zu of %zu, first %s\n", query.c_str(), who.legal_names()[0].c_str(), place, found.size(),
                            found.empty() || found[0].legal_names.empty() ? "-" : found[0].legal_names[0].c_str());
            ++asked;
        }
        std::sort(sizes.begin(), sizes.end());
        std::printf("people %-8s search %-9s %d people: first %.1f %%, top 3 %.2f %%, median results %zu\n", sqlite ? "sqlite" : "postgres",
                    scheme < 0    ? "cyrillic"
                    : scheme == 0 ? "passport"
                    : scheme == 1 ? "english"
                    : scheme == 2 ? "french"
                                  : "german",
                    asked, 100.0 * first_place / std::max(asked, 1), 100.0 * top3 / std::max(asked, 1), sizes.empty() ? 0 : sizes[sizes.size() / 2]);
    }
    if (const char* q = std::getenv("HAVEN_BENCH_QUERY")) {  // what one query finds, for looking into a miss
        auto [t, found] = timed(q);
        std::printf("query %s: %zu results in %.2f ms\n", q, found.size(), t / 1000.0);
        for (size_t r = 0; r < found.size() && r < 5; ++r) std::printf("  %s %s\n", found[r].pseudonym.c_str(), found[r].legal_names.at(0).c_str());
    }
    std::sort(us.begin(), us.end());
    std::sort(lookup.begin(), lookup.end());
    const double cpu_per_search = (cpu_seconds() - cpu_before) / double(std::max<size_t>(us.size(), 1));
    if (std::getenv("HAVEN_BENCH_VERBOSE")) std::printf("cpu per search (with the index lookup measured alone): %.3f ms\n", cpu_per_search * 1000);
    std::sort(slowest.rbegin(), slowest.rend());
    for (size_t i = 0; std::getenv("HAVEN_BENCH_VERBOSE") && i < slowest.size() / 100; ++i)
        std::printf("slow: %.2f ms %s\n", slowest[i].first / 1000.0, slowest[i].second.c_str());
    const char* engine = sqlite ? "sqlite" : "postgres";
    std::printf("people %-8s search over %d: the index lookup alone p50 %.2f ms, p99 %.2f ms\n", engine, records, lookup[lookup.size() / 2] / 1000.0,
                lookup[lookup.size() * 99 / 100] / 1000.0);
    std::printf("people %-8s import %d people in %.1f s (%.0f people/s; %lld index rows, %d bits)\n", engine, records, load_s, records / load_s,
                (long long)index_rows, people::Settings{}.name_index_bits);
    std::printf(
        "people %-8s intake %.0f/s by 8 coordinators (each: duplicate check among namesakes, then one durable transaction); "
        "plain durable one-row writes at the same concurrency %.0f/s\n",
        engine, intakes, plain);
    std::printf(
        "people %-8s search over %d: p50 %.2f ms, p99 %.2f ms (%.1f results on average); baseline, a name nobody bears: p50 %.2f ms, p99 %.2f ms "
        "— ratio p99 %.1f (targets p99 <= 5 ms on SQLite, <= 10 ms on PostgreSQL)\n",
        engine, records, us[us.size() / 2] / 1000.0, us[us.size() * 99 / 100] / 1000.0, double(found_total) / double(us.size()),
        base[base.size() / 2] / 1000.0, base[base.size() * 99 / 100] / 1000.0, us[us.size() * 99 / 100] / base[base.size() * 99 / 100]);
}

// Legal-aid funds (issue 18), both engines: ledger appends/s by 8 writers through the service (each a signed,
// chained entry, its balance and an audit entry in one durable transaction) and `haven ledger verify`'s speed over
// them; then a fund of 1,000,000 entries (written in bulk: the figure is the read) — its balance as the pages read
// it, p50/p99, against the baseline of summing its entries.
void bench_funds(const std::string& dir, const std::string& url) {
    ManualClock clock(1'796'040'000'000);
    crypto::Vault v(dir + "/funds-vault-" + std::to_string(url.size()) + ".json", clock);
    auto db = fresh_store(url, v);
    if (!db) return;
    const char* engine = db->engine() == "sqlite" ? "sqlite" : "postgres";
    audit::Recorder audit(v, clock);
    const modules::Shared shared{*db, v, clock, audit};
    accounts::Service accounts(shared);
    prisoners::FundService funds(shared, accounts);
    auto site = accounts.create_site(nullptr, {"Bench", "Paris", "France", "Europe/Paris", false});
    auto invited = accounts.invite(nullptr, site ? site->id : 0, "support", Role::prisoner_support);
    if (!site || !invited) return;
    Principal support{invited->account.id, "support", {{site->id, Role::prisoner_support}}, "session", "", false, "en"};
    auto fund = funds.create(support, {0, site->id, "Bench fund", "", "EUR", 100000, 0, {}});
    auto big = funds.create(support, {0, site->id, "A million entries", "", "EUR", 100000, 0, {}});
    if (!fund || !big) return;

    const int appends = 20'000;
    std::atomic<int> next{0};
    auto t0 = Clock_::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            while (next++ < appends) (void)funds.donate(support, *fund, {1234, "EUR", "online", "2026-11-20", ""});
        });
    for (auto& th : threads) th.join();
    const double append_s = std::chrono::duration<double>(Clock_::now() - t0).count();
    t0 = Clock_::now();
    const auto check = prisoners::verify_ledger(*db, v.audit_public_key());
    const double verify_s = std::chrono::duration<double>(Clock_::now() - t0).count();

    const int64_t million = 1'000'000;
    (void)db->write([&](storage::Tx& tx) -> Status {
        tx.exec(
            "INSERT INTO fund_ledger (seq, fund_id, number, at, value_date, kind, amount_minor, currency, channel, risk, party, reverses, "
            "recorded_by, "
            "prev_hash, hash, signature) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) "
            "SELECT 100000000 + i, $2, i, 0, '2026-11-20', 'donation', 100, 'EUR', 'online', '', 0, 0, '', '', '', '' FROM n",
            {million, *big});
        tx.exec("INSERT INTO fund_balances (fund_id, currency, balance_minor, entries) VALUES ($1, 'EUR', $2, $3)", {*big, million * 100, million});
        return {};
    });
    std::vector<double> read_us, sum_us;
    for (int i = 0; i < 1000; ++i) {
        auto t = Clock_::now();
        auto f = funds.fund(support, *big);
        read_us.push_back(std::chrono::duration<double, std::micro>(Clock_::now() - t).count());
        if (!f || f->balances.empty() || f->balances[0].minor != million * 100) std::printf("funds %s: wrong balance\n", engine);
    }
    for (int i = 0; i < 10; ++i) {
        auto t = Clock_::now();
        (void)db->query("SELECT SUM(amount_minor) FROM fund_ledger WHERE fund_id = $1 AND currency = 'EUR'", {*big});
        sum_us.push_back(std::chrono::duration<double, std::micro>(Clock_::now() - t).count());
    }
    // The floor under every read: one statement that reads nothing (on PostgreSQL one round trip, BEGIN with it).
    std::vector<double> floor_us;
    for (int i = 0; i < 1000; ++i) {
        auto t = Clock_::now();
        (void)db->query("SELECT 1");
        floor_us.push_back(std::chrono::duration<double, std::micro>(Clock_::now() - t).count());
    }
    std::sort(floor_us.begin(), floor_us.end());
    std::sort(read_us.begin(), read_us.end());
    std::sort(sum_us.begin(), sum_us.end());
    std::printf(
        "funds %-8s ledger appends by 8 writers: %.0f/s (%d signed, chained entries, each with its balance and audit entry); "
        "haven ledger verify: %.0f entries/s (%s)\n",
        engine, appends / append_s, appends, double(check.entries) / verify_s, check.bad_seq ? check.problem.c_str() : "intact");
    std::printf(
        "funds %-8s balance of a fund of 1,000,000 entries: p50 %.0f us, p99 %.0f us; baseline, summing its entries: p50 %.0f us "
        "— ratio p50 %.0fx; floor, a read of nothing (SELECT 1): p50 %.0f us\n",
        engine, read_us[read_us.size() / 2], read_us[read_us.size() * 99 / 100], sum_us[sum_us.size() / 2],
        sum_us[sum_us.size() / 2] / read_us[read_us.size() / 2], floor_us[floor_us.size() / 2]);
}

// Matching letters to prisoners (issue 18), both engines: 1,500 prisoners, 10,000 writers, 30,000 letters of the
// last 30 days; then 2,000 writers each ask once, one after another (p50/p99 of one ask: lock row, counts, choice,
// the draft and its audit entry in one durable transaction), and 2,000 more from 8 threads at once (asks/s).
// Baseline in the same run: a one-row durable write. The spread of letters per prisoner is printed too.
void bench_matching(const std::string& dir, const std::string& url) {
    ManualClock clock(1'796'040'000'000);
    crypto::Vault v(dir + "/match-vault-" + std::to_string(url.size()) + ".json", clock);
    auto db = fresh_store(url, v);
    if (!db) return;
    const char* engine = db->engine() == "sqlite" ? "sqlite" : "postgres";
    audit::Recorder audit(v, clock);
    const modules::Shared shared{*db, v, clock, audit};
    accounts::Service accounts(shared);
    prisoners::Registry registry(shared, accounts);
    prisoners::Letters letters(shared, accounts, registry);
    auto site = accounts.create_site(nullptr, {"Bench", "Vilnius", "Lithuania", "Europe/Vilnius", false});
    if (!site) return;
    Principal support{1, "support", {{site->id, Role::prisoner_support}}, "session", "", false, "en"};
    std::vector<int64_t> prisoner_ids;
    for (int i = 0; i < 1500; ++i) {
        prisoners::Prisoner p;
        p.site_id = site->id;
        p.names = {"Заключённый " + std::to_string(i)};
        p.status = i % 2 ? "convicted" : "pre_trial";
        p.weight = 1 + i % 3;
        auto id = registry.create(support, p);
        if (id) prisoner_ids.push_back(*id);
    }
    // 10,000 writers with their pen names, and 30,000 letters of the last 30 days, written in bulk (not measured).
    const int writers = 10'000;
    std::vector<int64_t> writer_accounts;
    (void)db->write([&](storage::Tx& tx) -> Status {
        for (int i = 0; i < writers; ++i) {
            const int64_t account = 5'000'000 + i, writer = 6'000'000 + i;
            tx.exec("INSERT INTO accounts (id, username, status, created_at, updated_at) VALUES ($1, $2, 'active', 0, 0)",
                    {account, "writer" + std::to_string(i)});
            tx.exec("INSERT INTO account_roles (account_id, site_id, role) VALUES ($1, $2, 'writer')", {account, site->id});
            tx.exec("INSERT INTO writers (id, account_id, site_id, record, created_at) VALUES ($1, $2, $3, $4, 0)",
                    {writer, account, site->id, storage::Blob::of(v.seal_field("writers", "record", writer, "{\"pen_name\":\"Перо\"}"))});
            writer_accounts.push_back(account);
        }
        for (int i = 0; i < 30'000; ++i)
            tx.exec(
                "INSERT INTO letters (id, site_id, prisoner_id, writer_id, status, held, body, handwritten, warnings, channel, cost_minor, currency, "
                "created_at, updated_at, sent_at) VALUES ($1, $2, $3, $4, 'sent', 0, $5, 0, 0, 'post', 0, 'EUR', $6, $6, $6)",
                {int64_t(7'000'000 + i), site->id, prisoner_ids[size_t(i * 7919) % prisoner_ids.size()], int64_t(6'000'000 + i % writers),
                 storage::Blob::of("x"), clock.now_ms() - int64_t(i % 29) * 86'400'000});
        return {};
    });
    auto writer_principal = [&](int i) {
        return Principal{writer_accounts[size_t(i)], "writer", {{site->id, Role::writer}}, "session", "", false, "ru"};
    };
    std::vector<double> ask_us;
    int refused = 0;
    for (int i = 0; i < 2000; ++i) {
        auto t = Clock_::now();
        auto l = letters.ask(writer_principal(i), site->id);
        ask_us.push_back(std::chrono::duration<double, std::micro>(Clock_::now() - t).count());
        if (!l) ++refused;
    }
    std::atomic<int> next{2000};
    auto t0 = Clock_::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            for (int i = next++; i < 4000; i = next++)
                if (!letters.ask(writer_principal(i), site->id)) ++refused;
        });
    for (auto& th : threads) th.join();
    const double parallel_s = std::chrono::duration<double>(Clock_::now() - t0).count();
    std::vector<double> write_us;
    for (int i = 0; i < 200; ++i) {
        auto t = Clock_::now();
        (void)db->write([&](storage::Tx& tx) -> Status {
            tx.exec("UPDATE prisoner_matching SET requests = requests + 1 WHERE site_id = $1", {site->id});
            return {};
        });
        write_us.push_back(std::chrono::duration<double, std::micro>(Clock_::now() - t).count());
    }
    int64_t most = 0, fewest = 0;
    db->read([&](storage::Tx& tx) {
        auto r = tx.query(
            "SELECT MAX(n * 6 / weight), MIN(n * 6 / weight) FROM (SELECT p.id, p.weight, COUNT(l.id) AS n FROM prisoners p "
            "LEFT JOIN letters l ON l.prisoner_id = p.id GROUP BY p.id, p.weight) AS c");
        most = r.at(0).integer(0);
        fewest = r.at(0).integer(1);
    });
    std::sort(ask_us.begin(), ask_us.end());
    std::sort(write_us.begin(), write_us.end());
    std::printf(
        "matching %-8s 1,500 prisoners, 10,000 writers, 30,000 recent letters: one ask p50 %.0f us, p99 %.0f us; 8 threads %.0f asks/s; "
        "baseline one-row durable write p50 %.0f us — ratio p50 %.1fx; refused %d; letters per prisoner per unit of weight %.1f to %.1f\n",
        engine, ask_us[ask_us.size() / 2], ask_us[ask_us.size() * 99 / 100], 2000 / parallel_s, write_us[write_us.size() / 2],
        ask_us[ask_us.size() / 2] / write_us[write_us.size() / 2], refused, double(fewest) / 6, double(most) / 6);
}

// Reports for funders (issue 19): a report of 24 months by site and by month, four indicators (people registered,
// legal cases opened and closed, help requests done) — three breakdowns, 400 figures — over 100,000 then 1,000,000
// service records, both engines: prepare() p50/p99 (counting, disclosure control with its linear programs, sealing
// and storing the release), and the process's resident memory before and after (flat as records grow: the
// counting is GROUP BY in the database). One site is small, so primary and secondary suppression have work.
// Baseline in the same run: a one-row durable write.
void bench_reports(const std::string& dir, const std::string& url) {
    ManualClock clock(1'798'761'600'000);  // 2027-01-01
    crypto::Vault v(dir + "/reports-vault-" + std::to_string(url.size()) + ".json", clock);
    auto db = fresh_store(url, v);
    if (!db) return;
    const char* engine = db->engine() == "sqlite" ? "sqlite" : "postgres";
    audit::Recorder audit(v, clock);
    const modules::Shared shared{*db, v, clock, audit};
    accounts::Service accounts(shared);
    reports::Reports service(shared, accounts);
    std::vector<int64_t> sites;
    for (const char* name : {"Paris", "Lyon", "Nice"}) {
        auto site = accounts.create_site(nullptr, {name, name, "France", "Europe/Paris", false});
        if (!site) return;
        sites.push_back(site->id);
    }
    Principal editor{4'000'000, "editor", {}, "session", "", false, "en"};
    for (int64_t s : sites) editor.roles.push_back({s, Role::report_editor});
    (void)db->write([&](storage::Tx& tx) -> Status {
        tx.exec("INSERT INTO accounts (id, username, status, created_at, updated_at) VALUES ($1, 'editor', 'active', 0, 0)", {editor.account_id});
        return {};
    });
    const int64_t jan_2025 = 1'735'689'600'000, day = 86'400'000;
    // Records [from, to) of each table, one in 2,000 at the small site (Nice), spread over 730 days: people are a
    // fifth of the records, cases and help requests two fifths each.
    auto add = [&](int64_t from, int64_t to) {
        (void)db->write([&](storage::Tx& tx) -> Status {
            const std::string numbers = "WITH RECURSIVE n(i) AS (SELECT CAST(" + std::to_string(from) +
                                        " AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(to - 1) + ") ";
            const std::string site =
                "CASE WHEN i % 2000 = 0 THEN CAST($3 AS BIGINT) WHEN i % 2 = 0 THEN CAST($1 AS BIGINT) ELSE CAST($2 AS BIGINT) END";
            const std::string at = std::to_string(jan_2025) + " + (i % 730) * " + std::to_string(day) + " + i % 1000";
            tx.exec(numbers + "INSERT INTO people (id, site_id, person_key, record, created_at, active_at) SELECT 10000000 + i, " + site +
                        ", $4, $4, " + at + ", 0 FROM n WHERE i % 5 = 0",
                    {sites[0], sites[1], sites[2], storage::Blob::of("x")});
            tx.exec(numbers +
                        "INSERT INTO cases (id, person_id, site_id, status, record, created_at, updated_at, closed_at) SELECT 20000000 + i, 10000000 "
                        "+ i - i % 5, " +
                        site + ", CASE WHEN i % 3 = 0 THEN 'closed' ELSE 'open' END, $4, " + at + ", " + at + " + 20 * " + std::to_string(day) +
                        ", CASE WHEN i % 3 = 0 THEN " + at + " + 20 * " + std::to_string(day) + " ELSE NULL END" + " FROM n WHERE i % 5 IN (1, 2)",
                    {sites[0], sites[1], sites[2], storage::Blob::of("x")});
            tx.exec(numbers + "INSERT INTO help_requests (id, site_id, person_id, status, record, created_by, created_at) SELECT 30000000 + i, " +
                        site + ", 10000000 + i - i % 5, CASE WHEN i % 4 = 0 THEN 'open' ELSE 'done' END, $4, 1, " + at +
                        " FROM n WHERE i % 5 IN (3, 4)",
                    {sites[0], sites[1], sites[2], storage::Blob::of("x")});
            return {};
        });
    };
    reports::Definition d;
    d.title = "Bench";
    d.sites = sites;
    d.from = "2025-01";
    d.to = "2026-12";
    d.grain = "month";
    d.indicators = {"people_new", "cases_opened", "cases_closed", "requests_done"};
    auto measure = [&](int64_t records) {
        const long rss_before = rss_kb(getpid());
        std::vector<double> ms;
        int failed = 0;
        for (int i = 0; i < 30; ++i) {
            clock.advance_ms(2 * 3600 * 1000);  // one editor may prepare 20 reports a day
            auto t = Clock_::now();
            if (!service.prepare(editor, d)) ++failed;
            ms.push_back(std::chrono::duration<double, std::milli>(Clock_::now() - t).count());
        }
        const long rss_after = rss_kb(getpid());
        // The counting alone (the four indicators' statements), to show where the time goes.
        std::vector<reports::store::Month> months;
        for (int m = 0; m < 24; ++m) {
            const int64_t start =
                std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::sys_days{std::chrono::year{2025 + m / 12} / std::chrono::month{unsigned(m % 12 + 1)} / 1}.time_since_epoch())
                    .count();
            const int64_t end = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::sys_days{std::chrono::year{2025 + (m + 1) / 12} / std::chrono::month{unsigned((m + 1) % 12 + 1)} / 1}
                                        .time_since_epoch())
                                    .count();
            months.push_back({"", start, end, "", ""});
        }
        std::vector<double> counting;
        for (int i = 0; i < 10; ++i) {
            auto t = Clock_::now();
            db->read([&](storage::Tx& tx) {
                for (const auto& name : d.indicators) (void)reports::store::counts(tx, name, sites, months);
            });
            counting.push_back(std::chrono::duration<double, std::milli>(Clock_::now() - t).count());
        }
        std::sort(counting.begin(), counting.end());
        std::printf("reports %-8s %8lld service records: the counting alone p50 %.1f ms\n", engine, (long long)records,
                    counting[counting.size() / 2]);
        std::sort(ms.begin(), ms.end());
        std::printf(
            "reports %-8s %8lld service records, 3 sites x 24 months x 4 indicators (400 figures): prepare p50 %.1f ms, p99 %.1f ms; "
            "resident memory %.1f MB, +%.1f MB over 30 reports; failed %d\n",
            engine, (long long)records, ms[ms.size() / 2], ms[ms.size() * 99 / 100], double(rss_after) / 1024.0,
            double(rss_after - rss_before) / 1024.0, failed);
        return ms[ms.size() / 2];
    };
    // PostgreSQL answers a count from the index alone once VACUUM has marked the pages all-visible, as autovacuum
    // does on a live server a minute after a bulk load; the bench does it at once (psql, outside a transaction).
    auto settle = [&] {
        if (db->engine() != "sqlite" && std::system(("/usr/lib/postgresql/15/bin/psql -q '" + url + "' -c 'VACUUM ANALYZE' >/dev/null").c_str()) != 0)
            std::printf("reports postgres: VACUUM ANALYZE failed; figures as a fresh bulk load gives them\n");
    };
    add(0, 100'000);
    settle();
    const double small = measure(100'000);
    for (int64_t from = 100'000; from < 1'000'000; from += 150'000) add(from, std::min<int64_t>(from + 150'000, 1'000'000));
    settle();
    const double large = measure(1'000'000);
    std::vector<double> write_us;
    for (int i = 0; i < 200; ++i) {
        auto t = Clock_::now();
        (void)db->write([&](storage::Tx& tx) -> Status {
            tx.exec("UPDATE report_release_head SET releases = releases + 1 WHERE id = 1");
            return {};
        });
        write_us.push_back(std::chrono::duration<double, std::micro>(Clock_::now() - t).count());
    }
    std::sort(write_us.begin(), write_us.end());
    std::printf("reports %-8s 10x the records: prepare p50 x%.2f; baseline one-row durable write p50 %.0f us — prepare at 1,000,000 is %.0fx it\n",
                engine, large / small, write_us[write_us.size() / 2], large * 1000 / write_us[write_us.size() / 2]);

    // Breakdowns (issue 19/20): the people registered by age band, which opens each person's sealed record. 6,000
    // people registered at the three sites over a quarter (real, sealed, by the people module), a month-by-month
    // report of the four indicators with the people broken down: p50/p99 of 10, against the same report without.
    people::Service people(shared, accounts);
    service.set_profiles([&people](storage::Tx& tx, const std::vector<int64_t>& at, int64_t from_ms, int64_t to_ms,
                                   size_t most) -> Result<std::vector<reports::Profile>> {
        HAVEN_TRY(found, people.profiles(tx, at, from_ms, to_ms, most));
        std::vector<reports::Profile> out;
        for (auto& f : found) out.push_back({f.site_id, f.created_at, std::move(f.birth_date), std::move(f.nationality)});
        return out;
    });
    Principal coordinator{4'000'001, "coordinator", {}, "session", "", false, "en"};
    for (int64_t s : sites) coordinator.roles.push_back({s, Role::coordinator});
    (void)db->write([&](storage::Tx& tx) -> Status {
        tx.exec("INSERT INTO accounts (id, username, status, created_at, updated_at) VALUES ($1, 'coordinator', 'active', 0, 0)",
                {coordinator.account_id});
        return {};
    });
    const char* nationalities[] = {"RU", "RU", "RU", "BY", "UA", "KZ", ""};
    int64_t created = 0;
    for (int month = 0; month < 3; ++month)
        for (size_t s = 0; s < sites.size(); ++s) {
            clock.set_ms(1'830'297'600'000 + int64_t(month) * 31 * day + int64_t(s) * 3600'000);  // 2028-01-01, then February, March
            std::vector<people::Person> list;
            for (int i = 0; i < 666; ++i) {
                people::Person p;
                p.pseudonym = "B" + std::to_string(month) + "-" + std::to_string(s) + "-" + std::to_string(i);
                p.birth_date = std::to_string(1950 + i % 60) + "-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 9);
                p.nationality = nationalities[i % 7];
                list.push_back(std::move(p));
            }
            if (auto ids = people.create_all(coordinator, sites[s], std::move(list))) created += int64_t(ids->size());
        }
    clock.set_ms(1'838'160'000'000);  // 2028-04-01
    reports::Definition q = d;
    q.from = "2028-01";
    q.to = "2028-03";
    auto prepare_p50 = [&](const char* breakdown, double& p99, int& failed) {
        q.breakdown = breakdown;
        std::vector<double> ms;
        for (int i = 0; i < 10; ++i) {
            clock.advance_ms(2 * 3600 * 1000);
            auto t = Clock_::now();
            if (!service.prepare(editor, q)) ++failed;
            ms.push_back(std::chrono::duration<double, std::milli>(Clock_::now() - t).count());
        }
        std::sort(ms.begin(), ms.end());
        p99 = ms.back();
        return ms[ms.size() / 2];
    };
    double plain99 = 0, broken99 = 0;
    int failed = 0;
    const double plain = prepare_p50("", plain99, failed), broken = prepare_p50("age", broken99, failed);
    std::printf(
        "reports %-8s %lld people over a quarter, 3 sites x 3 months x 4 indicators: prepare p50 %.1f ms (p99 %.1f); broken down by age "
        "(each person's record opened, 30 pairs a month) p50 %.1f ms (p99 %.1f), x%.1f; failed %d\n",
        engine, (long long)created, plain, plain99, broken, broken99, broken / plain, failed);
}

// Bookings: 10,000 one-hour bookings of one room (working hours over about two years), then the conflict check
// as a client meets it — a refused booking (clash + nearest free slots) and an accepted one — and a week's
// listing, p50/p99, on both engines. Baseline in the same run: a one-row durable write.
void bench_bookings(const std::string& dir, const std::string& url) {
    ManualClock clock(1'767'600'000'000);  // 2026-01-05
    crypto::Vault v(dir + "/bookings-vault-" + std::to_string(url.size()) + ".json", clock);
    auto db = fresh_store(url, v);
    if (!db) return;
    audit::Recorder audit(v, clock);
    const modules::Shared shared{*db, v, clock, audit};
    accounts::Service accounts(shared);
    spaces::Service spaces(shared, accounts);
    auto site = accounts.create_site(nullptr, {"Bench", "Paris", "France", "Europe/Paris", false});
    auto inv = accounts.invite(nullptr, site->id, "bench", Role::coordinator);
    if (!site || !inv) return;
    Principal coordinator{inv->account.id, "bench", {{site->id, Role::coordinator}}, "session", "", false, "en"};
    auto room = spaces.create_space(coordinator, {0, site->id, "room", "Room", "", {}, {}});
    if (!room) return;
    const int64_t hour = 3600 * 1000, day = 24 * hour, first = clock.now_ms() + day;
    std::vector<int64_t> starts;
    for (int64_t d = 0; starts.size() < 10'000; ++d)
        for (int h = 8; h < 20 && starts.size() < 10'000; ++h) starts.push_back(first + d * day + h * hour);
    (void)db->write([&](storage::Tx& tx) -> Status {
        for (size_t i = 0; i < starts.size(); ++i)
            tx.exec("INSERT INTO bookings (id, space_id, series_id, start_at, end_at, booked_by, created_at) VALUES ($1, $2, $1, $3, $4, $5, 0)",
                    {int64_t(i + 1), room->id, starts[i], starts[i] + hour, coordinator.account_id});
        return {};
    });
    std::mt19937 rng(11);
    auto timed = [](const std::function<void()>& f) {
        auto t = Clock_::now();
        f();
        return std::chrono::duration<double, std::micro>(Clock_::now() - t).count();
    };
    std::vector<double> refused, accepted, week, page;
    spaces::Context pages{spaces, false};
    for (int i = 0; i < 300; ++i) {
        const int64_t s = starts[rng() % starts.size()] + 30 * 60 * 1000;  // half into a booked hour
        refused.push_back(timed([&] { (void)spaces.book(coordinator, {room->id, s, s + hour, {}, ""}); }));
        const int64_t night = first + int64_t(rng() % 800) * day + 22 * hour + (i % 2) * 30 * 60 * 1000;  // 22:00 or 22:30: free
        accepted.push_back(timed([&] { (void)spaces.book(coordinator, {room->id, night, night + 30 * 60 * 1000, {}, ""}); }));
        const int64_t monday = first + int64_t(rng() % 100) * 7 * day;
        week.push_back(timed([&] { (void)spaces.bookings(coordinator, room->id, monday, monday + 7 * day); }));
        // The week page as a phone gets it: the listing, wall times in the site's zone, the HTML, the booking form.
        http::Request q;
        q.method = "GET";
        q.principal = coordinator;
        q.params["id"] = std::to_string(room->id);
        q.query = "week=" + spaces::format_rfc3339(monday + day / 2).substr(0, 10);
        size_t bytes = 0;
        page.push_back(timed([&] {
            auto r = spaces::space_show(q, pages);
            bytes = r ? r->body.size() : 0;
        }));
        if (bytes < 1000) std::printf("bookings: the week page did not render\n");
    }
    auto pct = [](std::vector<double>& v, double p) {
        std::sort(v.begin(), v.end());
        return v[std::min(v.size() - 1, size_t(double(v.size()) * p))] / 1000.0;
    };
    const char* engine = db->engine() == "sqlite" ? "sqlite" : "postgres";
    std::printf(
        "bookings %-8s over 10,000: refused (clash + free slots) p50 %.2f ms p99 %.2f ms; accepted (durable) p50 %.2f ms p99 %.2f ms; "
        "week listing p50 %.2f ms p99 %.2f ms\n",
        engine, pct(refused, 0.5), pct(refused, 0.99), pct(accepted, 0.5), pct(accepted, 0.99), pct(week, 0.5), pct(week, 0.99));
    const double listing50 = pct(week, 0.5);
    std::printf("bookings %-8s week page render (about 84 bookings, HTML): p50 %.2f ms p99 %.2f ms (%.1fx the bare listing)\n", engine,
                pct(page, 0.5), pct(page, 0.99), pct(page, 0.5) / std::max(listing50, 1e-6));
}

// The emergency network's fan-out: sealing one activation for N members (one X25519 + BLAKE2b + a 32-byte AEAD
// each, on every core) against the pure-crypto bound measured in the same run — N X25519 on the same cores —
// target <= 1.3x; and a member's decrypt (wrap + body + signature).
void bench_network(size_t members) {
    using namespace emergency;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const SigningKeys org = new_signing_keys();
    std::vector<Recipient> to(members);
    for (auto& r : to) {
        r.mailbox_secret = crypto::random_bytes(32);
        r.prekey = crypto::random_bytes(32);  // any 32 bytes are an X25519 public key; made fast for a million
    }
    auto seconds = [](const std::function<void()>& f) {
        auto t = Clock_::now();
        f();
        return std::chrono::duration<double>(Clock_::now() - t).count();
    };
    const Bytes scalar = crypto::random_bytes(32);
    const double bound = seconds([&] {
        std::vector<std::thread> pool;
        for (unsigned c = 0; c < cores; ++c)
            pool.emplace_back([&, c] {
                unsigned char out[32];
                size_t low_order = 0;
                for (size_t i = c; i < members; i += cores)
                    low_order += crypto_scalarmult(out, reinterpret_cast<const unsigned char*>(scalar.data()),
                                                   reinterpret_cast<const unsigned char*>(to[i].prekey.data())) != 0;
                if (low_order) std::printf("network: %zu low-order keys in the bound\n", low_order);
            });
        for (auto& t : pool) t.join();
    });
    std::optional<Result<Sealed>> sealed;
    const double took = seconds([&] { sealed.emplace(seal_activation(org, std::string(600, 'x'), to, cores)); });
    if (!sealed->ok()) return;
    std::printf(
        "network fan-out to %zu members on %u cores: %.2f s; pure-crypto bound (N X25519 / cores) %.2f s; ratio %.2fx (target <= 1.3x); "
        "upload %.1f MB\n",
        members, cores, took, bound, took / bound,
        double(sealed->value().wraps.size() * (locator_size + wrap_size + ack_tag_size) + sealed->value().body.size()) / 1e6);
    if (members > 10'000) return;
    const BoxKeys prekey = new_box_keys();
    auto one = seal_activation(org, std::string(600, 'x'), {{Bytes(32, 'm'), prekey.public_key}}).value();
    std::vector<double> us;
    for (int i = 0; i < 2000; ++i) {
        auto t = Clock_::now();
        (void)open_activation(one.body, one.wraps[0].wrap, {prekey}, org.public_key);
        us.push_back(std::chrono::duration<double, std::micro>(Clock_::now() - t).count());
    }
    std::sort(us.begin(), us.end());
    std::printf("network member decrypt (wrap, 1 KiB body, signature): p50 %.0f us, p99 %.0f us\n", us[us.size() / 2], us[us.size() * 99 / 100]);
}

// The network's long poll: `members` devices waiting at once (each a connection parked in the transport, holding
// no thread), the server's memory for them, a plain request's latency while they wait against none waiting (same
// run), and the time from a publication to each of them holding its answer.
void bench_long_poll(const std::string& dir, const std::string& db, int members) {
    const char* engine = db.rfind("sqlite:", 0) == 0 ? "sqlite" : "postgres";
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur < rlim_t(2 * members + 512)) {
        std::printf("network long poll: skipped (open files limit %lu, needs %d)\n", (unsigned long)files.rlim_cur, 2 * members + 512);
        return;
    }
    uint16_t port = 0;
    auto app = started_app(dir + "/poll-" + engine, db, port);
    if (!app) return;
    const std::string metrics_auth = "Authorization: Bearer " + read_secret_file(dir + "/poll-" + engine + "/metrics-token").value_or("") + "\r\n";
    auto parked = [port, metrics_auth] {
        const std::string metrics = testing::request(port, "GET", "/metrics", "", metrics_auth).body;
        const auto at = metrics.find("\nhaven_http_parked ");
        return at == std::string::npos ? -1L : std::atol(metrics.c_str() + at + 19);
    };
    Principal op{1, "operator", {{1, Role::emergency_operator}}};
    auto sealed = emergency::seal_activation(emergency::new_signing_keys(), "{}", {});
    auto id = app->network().create_activation(
        op, sealed->body,
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count() + 3'600'000);
    if (!id) {
        std::printf("network long poll: cannot create an activation: %s\n", id.error().message.c_str());
        return;
    }
    run_load(port, "/healthz", 4, 0.5);  // warm up
    const Load idle = run_load(port, "/healthz", 4, 2.0);
    if (auto probe = testing::request(port, "GET", "/api/v1/network/activations?after=0"); probe.status != 200) {
        std::printf("network long poll: the poll answers %d: %s\n", probe.status, probe.body.c_str());
        return;
    }
    const long rss_before = rss_kb(getpid());

    const auto t_open = Clock_::now();
    std::vector<int> fds;
    const std::string poll = "GET /api/v1/network/activations?after=0&wait=25 HTTP/1.1\r\nHost: x\r\n\r\n";
    for (int i = 0; i < members; ++i) {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::send(fd, poll.data(), poll.size(), MSG_NOSIGNAL) != ssize_t(poll.size())) {
            std::printf("network long poll: connection %d failed\n", i);
            return;
        }
        fds.push_back(fd);
    }
    long waiting = 0;
    while ((waiting = parked()) < members && Clock_::now() - t_open < std::chrono::seconds(60))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const double open_s = std::chrono::duration<double>(Clock_::now() - t_open).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const long rss_parked = rss_kb(getpid());
    const Load during = run_load(port, "/healthz", 4, 2.0);

    // Publication: every waiting device is answered; the time each answer is whole in its socket.
    const int ep = epoll_create1(0);
    for (int fd : fds) {
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.fd = fd;
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
    }
    std::unordered_map<int, std::string> got;
    std::vector<double> ms;
    int wrong = 0;
    const auto t0 = Clock_::now();
    if (auto s = app->network().publish(op, *id); !s) std::printf("network long poll: publish failed\n");
    std::vector<epoll_event> ready(1024);
    while (int(ms.size()) + wrong < members && Clock_::now() - t0 < std::chrono::seconds(30)) {
        const int n = epoll_wait(ep, ready.data(), int(ready.size()), 100);
        for (int k = 0; k < n; ++k) {
            const int fd = ready[size_t(k)].data.fd;
            char buf[4096];
            const ssize_t r = ::recv(fd, buf, sizeof buf, 0);
            if (r <= 0) {
                ++wrong;
                epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
                continue;
            }
            std::string& text = got[fd];
            text.append(buf, size_t(r));
            const auto end = text.find("\r\n\r\n");
            const auto length = text.find("Content-Length: ");
            if (end == std::string::npos || length == std::string::npos || text.size() < end + 4 + std::stoul(text.substr(length + 16))) continue;
            if (text.rfind("HTTP/1.1 200", 0) == 0 && text.find(*id) != std::string::npos)
                ms.push_back(std::chrono::duration<double, std::milli>(Clock_::now() - t0).count());
            else
                ++wrong;
            epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
        }
    }
    ::close(ep);
    for (int fd : fds) ::close(fd);
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double q) { return ms.empty() ? -1.0 : ms[std::min(ms.size() - 1, size_t(double(ms.size()) * q))]; };
    std::printf("network long poll %-8s: %d devices waiting (%ld parked, opened in %.1f s); server memory +%.1f MB (%.1f KB a device)\n", engine,
                members, waiting, open_s, double(rss_parked - rss_before) / 1024.0, double(rss_parked - rss_before) / members);
    std::printf("network long poll %-8s: GET /healthz while they wait p50 %.0f us p99 %.0f us, none waiting p50 %.0f us p99 %.0f us (p99 x%.2f)\n",
                engine, during.p50_us, during.p99_us, idle.p50_us, idle.p99_us, during.p99_us / std::max(idle.p99_us, 1.0));
    std::printf("network long poll %-8s: publication to answer: p50 %.0f ms, p99 %.0f ms, all %zu in %.0f ms (%d wrong or lost)\n", engine, pct(0.5),
                pct(0.99), ms.size(), ms.empty() ? -1.0 : ms.back(), wrong);
    app->stop();
}

// Issue 21: requests/s of an authenticated read that touches the database (a site's people list, GET /api/v1/people)
// with 1, 2 and 3 `haven serve` processes on one PostgreSQL, the same clients spread round-robin over them. On a
// machine with few cores the clients and PostgreSQL share them with the servers: read the ratio against one process.
void bench_processes(const std::string& dir, const std::string& url) {
    const std::string data = dir + "/processes", bin = HAVEN_BINARY;
    std::filesystem::create_directories(data);
    empty_if_postgres(url);
    const std::string flags = " --data " + data + " --db '" + url + "' --passphrase-file " + data + "/unseal-passphrase --log-level warn";
    auto run = [](const std::string& command) {
        std::string out;
        FILE* p = popen((command + " 2>&1").c_str(), "r");
        char buf[512];
        for (size_t n; p && (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
        return std::pair{p ? pclose(p) : -1, out};
    };
    const auto added = run(bin + " init" + flags).first == 0
                           ? run(bin + " site add --name Hub --city Riga --country Latvia --time-zone Europe/Riga" + flags)
                           : std::pair{-1, std::string()};
    const auto id_at = added.second.find("(id ");
    if (added.first != 0 || id_at == std::string::npos) {
        std::printf("processes: cannot set up the store: %s\n", added.second.c_str());
        return;
    }
    const int64_t site = std::atoll(added.second.c_str() + id_at + 4);
    std::vector<testing::HavenProcess> servers;
    for (int i = 0; i < 3; ++i) {
        servers.push_back(testing::start_haven(
            {"--data", data, "--db", url, "--passphrase-file", data + "/unseal-passphrase", "--secure-cookies", "false", "--log-level", "warn"},
            data + "/server.log"));
        if (servers.back().port == 0) {
            std::printf("processes: haven serve did not start (see %s/server.log)\n", data.c_str());
            return;
        }
    }
    auto stop_all = [&] {
        for (const auto& s : servers) {
            kill(s.pid, SIGTERM);
            waitpid(s.pid, nullptr, 0);
        }
    };
    // A coordinator signed in, and 200 people recorded at the site (the list shows the 50 most recent).
    const std::string csrf = crypto::random_token();
    const auto invited = run(bin + " user add --name reader --role coordinator --site Hub" + flags);
    const std::string session = testing::enrol_and_sign_in(servers[0].port, invited.second, "reader", csrf);
    if (session.empty()) {
        std::printf("processes: cannot sign in\n");
        stop_all();
        return;
    }
    const std::string cookie = "Cookie: haven_session=" + session + "; haven_csrf=" + csrf + "\r\n";
    for (int i = 0; i < 200; ++i) {
        auto r = testing::request(servers[size_t(i) % 3].port, "POST", "/api/v1/people",
                                  R"({"site_id":)" + std::to_string(site) + R"(,"pseudonym":"Person )" + std::to_string(i) + "\"}",
                                  cookie + "X-CSRF-Token: " + csrf + "\r\nContent-Type: application/json\r\n");
        if (r.status != 201) {
            std::printf("processes: intake answered %d: %s\n", r.status, r.body.c_str());
            stop_all();
            return;
        }
    }
    const std::string target = "/api/v1/people?site=" + std::to_string(site);
    const std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + cookie + "\r\n";
    // `connections` keep-alive clients, connection i on process i % n, for `seconds`.
    auto load = [&](size_t n, int connections, double seconds) {
        std::atomic<bool> stop{false};
        std::atomic<int> failed{0};
        std::vector<std::vector<double>> latencies(static_cast<size_t>(connections));
        std::vector<std::thread> threads;
        for (int i = 0; i < connections; ++i)
            threads.emplace_back([&, i] {
                testing::Connection c(servers[size_t(i) % n].port);
                while (!stop) {
                    const auto t0 = Clock_::now();
                    if (!c.send(req) || c.read_reply().status != 200) {
                        ++failed;
                        return;
                    }
                    latencies[size_t(i)].push_back(std::chrono::duration<double, std::micro>(Clock_::now() - t0).count());
                }
            });
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
        stop = true;
        for (auto& t : threads) t.join();
        std::vector<double> all;
        for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
        std::sort(all.begin(), all.end());
        Load r;
        if (failed) std::printf("processes: %d connections failed\n", failed.load());
        if (all.empty()) return r;
        r.rps = double(all.size()) / seconds;
        r.p50_us = all[all.size() / 2];
        r.p99_us = all[std::min(all.size() - 1, size_t(double(all.size()) * 0.99))];
        return r;
    };
    const int connections = std::getenv("HAVEN_BENCH_CONNECTIONS") ? std::atoi(std::getenv("HAVEN_BENCH_CONNECTIONS")) : 12;
    load(3, connections, 1.0);  // warm up every process
    double one = 0;
    for (size_t n = 1; n <= 3; ++n) {
        const Load l = load(n, connections, 4.0);
        if (n == 1) one = l.rps;
        std::printf(
            "processes %zu x haven serve, GET %s (50 people), %d connections: %7.0f req/s, p50 %6.0f us, p99 %6.0f us, x%.2f of one process\n", n,
            target.c_str(), connections, l.rps, l.p50_us, l.p99_us, l.rps / std::max(one, 1.0));
    }
    std::printf("processes: %u cores here, shared by the clients, PostgreSQL and the servers\n", std::thread::hardware_concurrency());
    stop_all();
}

}  // namespace

int main() {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    // On disk beside the build, not in a tmpfs, so that fsync costs what it costs.
    std::string dir = std::filesystem::absolute("bench-data").string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    // HAVEN_BENCH_ONLY=http|bookings|people|funds|matching|reports|network|longpoll runs one part (HAVEN_BENCH_PEOPLE=N for fewer than 100,000
    // people).
    auto only = [](const char* part) {
        const char* chosen = std::getenv("HAVEN_BENCH_ONLY");
        return !chosen || std::string(chosen) == part;
    };
    if (only("http")) {
        bench_http(dir);
        bench_writes(dir);
        bench_startup(dir);
        bench_vault(dir);
    }
    if (only("bookings")) {
        bench_bookings(dir, "sqlite:" + dir + "/bookings.db");
        if (const char* pg = std::getenv("HAVEN_TEST_PG_URL")) bench_bookings(dir, pg);
    }
    if (only("network") || only("longpoll")) {
        bench_long_poll(dir, "sqlite:" + dir + "/poll.db", 8'000);
        if (const char* pg = std::getenv("HAVEN_TEST_PG_URL")) bench_long_poll(dir, pg, 8'000);
    }
    if (only("network")) {
        bench_network(8'000);
        bench_network(1'000'000);
    }
    if (only("funds")) {
        bench_funds(dir, "sqlite:" + dir + "/funds.db");
        if (const char* pg = std::getenv("HAVEN_TEST_PG_URL")) bench_funds(dir, pg);
    }
    if (only("matching")) {
        bench_matching(dir, "sqlite:" + dir + "/matching.db");
        if (const char* pg = std::getenv("HAVEN_TEST_PG_URL")) bench_matching(dir, pg);
    }
    if (only("reports")) {
        bench_reports(dir, "sqlite:" + dir + "/reports.db");
        if (const char* pg = std::getenv("HAVEN_TEST_PG_URL")) bench_reports(dir, pg);
    }
    if (only("processes")) {
        if (const char* pg = std::getenv("HAVEN_TEST_PG_URL"))
            bench_processes(dir, pg);
        else
            std::printf("processes: skipped (several processes share one store on PostgreSQL only; HAVEN_TEST_PG_URL unset)\n");
    }
    if (only("people")) {
        bench_people(dir, "sqlite:" + dir + "/people.db");
        if (const char* pg = std::getenv("HAVEN_TEST_PG_URL"))
            bench_people(dir, pg);
        else
            std::printf("people postgres: skipped (make bench starts a throwaway cluster; HAVEN_TEST_PG_URL unset)\n");
    }
    std::filesystem::remove_all(dir);
    return 0;
}
