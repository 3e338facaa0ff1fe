// Haven's performance targets, each measured against a baseline in the same run (machines here are
// shared and noisy: read the ratios, not the absolute figures).
//   1. requests/s and p99 through the full middleware stack vs a bare Beast server with the same bytes;
//   2. durable writes/s with group commit vs one fsync per write, 64 writers, synchronous=FULL;
//   3. idle RSS and start-to-ready time of `haven serve`.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

#include "app/app.hpp"
#include "core/log.hpp"
#include "bare_server.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/vault.hpp"
#include "http/transport/server.hpp"
#include "storage/db.hpp"
#include "support/http_client.hpp"

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

void bench_http(const std::string& dir) {
    Config c;
    c.data_dir = dir;
    c.db = "sqlite:" + dir + "/http.db";
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
        std::printf("http: cannot start: %s\n", app.error().message.c_str());
        return;
    }
    (void)app.value()->vault().unseal_with_operator_files({operator_file});
    uint16_t haven_port = app.value()->listen();
    app.value()->start();
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
    limits.workers = c.workers;
    Response fixed = Response::json(200, sample.body);
    for (auto& [k, v] : headers) fixed.set_header(k, v);
    http::Server transport(limits, {[&fixed](http::Request&) { return fixed; },
                                    [](int s, const std::string&, const std::string&) { return Response::text(s, ""); }});
    uint16_t transport_port = transport.listen("127.0.0.1", 0);
    transport.start();
    run_load(transport_port, "/healthz", connections, 0.5);
    Load bare = run_load(bare_port, "/healthz", connections, seconds);
    Load only = run_load(transport_port, "/healthz", connections, seconds);
    Load full = run_load(haven_port, "/healthz", connections, seconds);
    std::printf("http  transport only  : %9.0f req/s   p50 %6.0f us   p99 %6.0f us\n", only.rps, only.p50_us, only.p99_us);
    std::printf("http  bare Beast      : %9.0f req/s   p50 %6.0f us   p99 %6.0f us\n", bare.rps, bare.p50_us, bare.p99_us);
    std::printf("http  Haven full stack: %9.0f req/s   p50 %6.0f us   p99 %6.0f us\n", full.rps, full.p50_us, full.p99_us);
    std::printf("http  ratio Haven/bare: %.2f of the throughput (target >= 0.60), p99 x%.2f\n", full.rps / bare.rps,
                full.p99_us / bare.p99_us);
    app.value()->stop();
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
    const std::vector<std::pair<const char*, std::string>> record = {
        {"real_name", "Анна Петровна Смирнова"}, {"email", "anna.smirnova@example.org"}, {"phone", "+33 6 12 34 56 78"},
        {"birth_date", "1991-04-17"}, {"address", "12 rue de la Paix, 75002 Paris"}, {"note", std::string(200, 'x')}};
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

// Blind-index search over 100,000 records: each record indexed under its name's values (about 10 rows
// per record); a search is one query for the values of the typed name. Both engines.
void bench_blind_index(const std::string& dir, const std::string& url) {
    ManualClock clock;
    crypto::Vault v(dir + "/index-vault-" + std::to_string(url.size()) + ".json", clock);
    if (!v.create(false, 1, 1).ok()) return;
    auto db = storage::open_database(url, {2, true, 256});
    const bool sqlite = db->engine() == "sqlite";
    (void)db->write([](storage::Tx& tx) -> Status {
        tx.exec_script("DROP TABLE IF EXISTS bench_name_index; CREATE TABLE bench_name_index (value BIGINT NOT NULL, record_id BIGINT NOT NULL);"
                       "CREATE INDEX bench_name_index_value ON bench_name_index (value, record_id)");
        return {};
    });
    const int records = 100'000;
    const int bits = crypto::blind_index_bits(records);
    const std::vector<std::string> first = {"Анна", "Мария", "Ольга", "Ирина", "Сергей", "Андрей", "Дмитрий", "Юлия", "Павел", "Татьяна",
                                            "Алексей", "Наталья", "Михаил", "Елена", "Николай", "Ксения"};
    const std::vector<std::string> last = {"Иванова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Лебедев", "Козлова", "Новиков",
                                           "Морозова", "Петров", "Волкова", "Соловьёв", "Васильева", "Зайцев", "Павлова", "Семёнов",
                                           "Голубева", "Виноградов", "Богданова", "Воробьёв", "Шевченко", "Ковальчук", "Бондаренко"};
    std::mt19937 rng(7);
    auto t0 = Clock_::now();
    int64_t rows = 0;
    for (int batch = 0; batch < records; batch += 2000) {
        (void)db->write([&](storage::Tx& tx) -> Status {
            for (int i = batch; i < batch + 2000; ++i) {
                std::string name = first[rng() % first.size()] + " " + last[rng() % last.size()] + " " + std::to_string(rng() % 1000);
                for (int64_t value : crypto::name_index_values(v, "people.name", name, bits)) {
                    tx.exec("INSERT INTO bench_name_index (value, record_id) VALUES ($1, $2)", {value, int64_t(i)});
                    ++rows;
                }
            }
            return {};
        });
    }
    const double load_s = std::chrono::duration<double>(Clock_::now() - t0).count();
    std::vector<double> us;
    for (int q = 0; q < 300; ++q) {
        std::string query = last[rng() % last.size()];
        auto t = Clock_::now();
        auto values = crypto::name_index_values(v, "people.name", query, bits);
        std::string sql = "SELECT DISTINCT record_id FROM bench_name_index WHERE value IN (";
        storage::Params params;
        for (int64_t x : values) {
            sql += (params.empty() ? "$" : ", $") + std::to_string(params.size() + 1);
            params.push_back(x);
        }
        sql += ")";
        auto found = db->query(sql, params);
        us.push_back(std::chrono::duration<double, std::micro>(Clock_::now() - t).count());
        (void)found;
    }
    std::sort(us.begin(), us.end());
    std::printf("index %-8s 100,000 records (%lld index rows, %d bits, loaded in %.1f s): search p50 %.2f ms, p99 %.2f ms "
                "(targets on SQLite: p50 <= 2 ms, p99 <= 10 ms)\n",
                sqlite ? "sqlite" : "postgres", (long long)rows, bits, load_s, us[us.size() / 2] / 1000.0, us[us.size() * 99 / 100] / 1000.0);
    (void)db->write([](storage::Tx& tx) -> Status {
        tx.exec_script("DROP TABLE bench_name_index");
        return {};
    });
}

}  // namespace

int main() {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    // On disk beside the build, not in a tmpfs, so that fsync costs what it costs.
    std::string dir = std::filesystem::absolute("bench-data").string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    bench_http(dir);
    bench_writes(dir);
    bench_startup(dir);
    bench_vault(dir);
    bench_blind_index(dir, "sqlite:" + dir + "/index.db");
    if (const char* pg = std::getenv("HAVEN_TEST_PG_URL")) bench_blind_index(dir, pg);
    else std::printf("index postgres: skipped (make bench starts a throwaway cluster; HAVEN_TEST_PG_URL unset)\n");
    std::filesystem::remove_all(dir);
    return 0;
}
