// Issue 21 as deployed: three `haven serve` processes on one PostgreSQL and one data directory, each naming the
// other two as peers and trusting the proxy, behind nginx over TLS (scripts/tls-proxy renders docs/nginx/haven.conf,
// upstreams round-robin). Everything a client does goes through the front, with libcurl: one unseal there unseals
// all three; enrolment and login; an intake read back whichever process answers; two clients booking one slot at
// once through different processes (one wins, the other is told 409); 1,000 devices long-polling, spread over the
// processes, all answered within a second of the publication; every doorbell rung once.
// A C++ test rather than a script: it reuses the test support (activations sealed by emergency/wire, TOTP) and
// measures each of 1,000 answers on one libcurl multi handle, which a shell and curl could not do.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "crypto/random.hpp"
#include "crypto/totp.hpp"
#include "emergency/wire.hpp"
#include "support/engines.hpp"
#include "support/hook_receiver.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

int64_t ms_since(Steady::time_point t) { return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t).count(); }

// A command's exit status and output (stdout and stderr), without a terminal.
std::pair<int, std::string> sh(const std::string& command) {
    std::string out;
    FILE* p = popen(("{ " + command + "; } 2>&1 </dev/null").c_str(), "r");
    char buf[1024];
    for (size_t n; p && (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    const int status = p ? pclose(p) : -1;
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof a;
    uint16_t port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

// `haven serve` on 127.0.0.1:`port` (the peers must know it before it starts), stderr to `log`; waits for its
// "Haven serves" line. The pid, or -1.
pid_t serve(uint16_t port, const std::vector<std::string>& args, const std::string& log) {
    int out[2];
    if (pipe(out) != 0) return -1;
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        (void)std::freopen(log.c_str(), "a", stderr);
        std::vector<std::string> all = {HAVEN_BINARY, "serve", "--listen", "127.0.0.1:" + std::to_string(port)};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(HAVEN_BINARY, argv.data());
        _exit(127);
    }
    close(out[1]);
    std::string line;
    for (char c; read(out[0], &c, 1) == 1 && c != '\n';) line += c;
    close(out[0]);
    return line.find("Haven serves") == std::string::npos ? -1 : pid;
}

size_t append_to(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}

// One HTTPS request through the front, ready for curl_easy_perform or a multi handle.
struct Call {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    std::string body, reply_headers, reply;
    Steady::time_point done;
    long status = 0;

    Call(const std::string& front, const std::string& ca, const std::string& method, const std::string& path, std::string sent,
         const std::vector<std::string>& extra, long timeout_ms = 15'000)
        : easy(curl_easy_init()), body(std::move(sent)) {
        curl_easy_setopt(easy, CURLOPT_URL, (front + path).c_str());
        curl_easy_setopt(easy, CURLOPT_CAINFO, ca.c_str());
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
        if (method == "POST" || !body.empty()) {
            curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.data());
            curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, long(body.size()));
        }
        for (const auto& h : extra) headers = curl_slist_append(headers, h.c_str());
        headers = curl_slist_append(headers, "Expect:");
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_to);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &reply);
        curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, append_to);
        curl_easy_setopt(easy, CURLOPT_HEADERDATA, &reply_headers);
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    }
    ~Call() {
        curl_easy_cleanup(easy);
        curl_slist_free_all(headers);
    }
    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;
    void finished() {
        done = Steady::now();
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    }
    // The value of the cookie `name` the reply set, "" when none.
    std::string cookie(const std::string& name) const {
        std::smatch m;
        if (!std::regex_search(reply_headers, m, std::regex("[Ss]et-[Cc]ookie: " + name + "=([^;\r\n]*)"))) return "";
        return m[1];
    }
};

class ProcessesBehindNginx : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() != "postgres") GTEST_SKIP() << "several processes share one store only on PostgreSQL (SQLite serves one process)";
        // 1,000 devices here, as many in nginx and in the servers: as many open files as allowed.
        rlimit files{};
        getrlimit(RLIMIT_NOFILE, &files);
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
        curl_global_init(CURL_GLOBAL_DEFAULT);
        dir_ = testing::temp_dir("haven-nginx");
        testing::fresh_database(GetParam(), dir_, url_);
        if (url_.empty()) return;
        const std::string bin = HAVEN_BINARY;
        data_ = " --data " + dir_ + " --db '" + url_ + "' --passphrase-file " + dir_ + "/unseal-passphrase";
        auto init = sh(bin + " init" + data_);
        ASSERT_EQ(init.first, 0) << init.second;
        auto site = sh(bin + " site add --name Hub --city Riga --country Latvia --time-zone Europe/Riga" + data_);
        ASSERT_EQ(site.first, 0) << site.second;
        std::smatch m;
        ASSERT_TRUE(std::regex_search(site.second, m, std::regex("\\(id ([0-9]+)\\)"))) << site.second;
        site_ = std::stoll(m[1]);
        for (int i = 0; i < 3; ++i) ports_.push_back(free_port());
        for (size_t i = 0; i < 3; ++i) {
            std::string peers;
            for (size_t j = 0; j < 3; ++j)
                if (j != i) peers += (peers.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(ports_[j]);
            // No passphrase file: each starts sealed, as after a reboot.
            const pid_t pid = serve(ports_[i],
                                    {"--data", dir_, "--db", url_, "--peers", peers, "--trusted-proxies", "127.0.0.1",
                                     "--doorbell-allow-private-targets", "true", "--doorbell-timeout-seconds", "5", "--log-level", "warn"},
                                    dir_ + "/server-" + std::to_string(i) + ".log");
            ASSERT_GT(pid, 0) << "see " << dir_ << "/server-" << i << ".log";
            pids_.push_back(pid);
        }
        auto proxy = sh(std::string(HAVEN_SOURCE_DIR) + "/scripts/tls-proxy start " + dir_ + "/proxy 0 127.0.0.1:" + std::to_string(ports_[0]) +
                        " 127.0.0.1:" + std::to_string(ports_[1]) + " 127.0.0.1:" + std::to_string(ports_[2]));
        ASSERT_EQ(proxy.first, 0) << proxy.second;
        proxy_started_ = true;
        front_ = proxy.second.substr(proxy.second.rfind("https://"));
        front_ = front_.substr(0, front_.find_first_of("\r\n"));
        ca_ = dir_ + "/proxy/cert.pem";
    }
    void TearDown() override {
        for (pid_t pid : pids_) {
            kill(pid, SIGTERM);
            waitpid(pid, nullptr, 0);
        }
        if (proxy_started_) sh(std::string(HAVEN_SOURCE_DIR) + "/scripts/tls-proxy stop " + dir_ + "/proxy");
        if (!dir_.empty() && !HasFailure()) std::filesystem::remove_all(dir_);
        curl_global_cleanup();
    }

    std::unique_ptr<Call> call(const std::string& method, const std::string& path, const std::string& body = {},
                               const std::vector<std::string>& headers = {}, long timeout_ms = 15'000) {
        auto c = std::make_unique<Call>(front_, ca_, method, path, body, headers, timeout_ms);
        const CURLcode done = curl_easy_perform(c->easy);
        EXPECT_EQ(done, CURLE_OK) << method << " " << path << ": " << curl_easy_strerror(done);
        c->finished();
        return c;
    }
    std::vector<std::string> signed_in(const std::string& session, const std::string& type = "application/json") const {
        return {"Cookie: __Host-haven_session=" + session + "; __Host-haven_csrf=" + csrf_, "X-CSRF-Token: " + csrf_, "Content-Type: " + type};
    }
    std::vector<std::string> bearer(const std::string& type = "application/json") const {
        return {"Authorization: Bearer " + token_, "Content-Type: " + type};
    }
    // `haven user add`, then the enrolment pages through the front (password, then the second factor when the role
    // needs one), then a login through the front with a recovery code. The session, "" on failure.
    std::string account(const std::string& name, const std::string& role) {
        auto added = sh(std::string(HAVEN_BINARY) + " user add --name " + name + " --role " + role + " --site Hub" + data_);
        EXPECT_EQ(added.first, 0) << added.second;
        std::smatch m;
        if (!std::regex_search(added.second, m, std::regex("/enrol/([A-Za-z0-9_-]+)"))) return "";
        const std::string token = m[1];
        const std::vector<std::string> form = {"Content-Type: application/x-www-form-urlencoded", "Cookie: __Host-haven_csrf=" + csrf_};
        auto enrol = call("POST", "/enrol/" + token, "_csrf=" + csrf_ + "&password=quiet+river+lantern+7", form);
        std::string second;
        if (std::regex_search(enrol->reply, m, std::regex("id=\"totp-secret\">([^<]+)<"))) {
            auto secret = crypto::base32_decode(std::string(m[1]));
            if (!secret) return "";
            auto codes = call("POST", "/enrol/" + token + "/code", "_csrf=" + csrf_ + "&code=" + crypto::totp_code(*secret, time(nullptr)), form);
            if (!std::regex_search(codes->reply, m, std::regex("id=\"recovery-codes\"><li><code>([^<]+)<"))) return "";
            second = R"(,"totp":")" + std::string(m[1]) + "\"";
        }
        auto login = call("POST", "/api/v1/auth/login", R"({"username":")" + name + R"(","password":"quiet river lantern 7")" + second + "}",
                          {"Content-Type: application/json"});
        EXPECT_EQ(login->status, 200) << login->reply;
        return login->cookie("__Host-haven_session");
    }
    std::string new_activation() {
        auto sealed = emergency::seal_activation(emergency::new_signing_keys(), "{}", {});
        const int64_t expires =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count() + 3'600'000;
        auto made =
            call("POST", "/api/v1/network/activations?expires_at=" + std::to_string(expires), sealed->body, bearer("application/octet-stream"));
        EXPECT_EQ(made->status, 201) << made->reply;
        return made->status == 201 ? std::string(json::parse(made->reply).at("id").as_string()) : "";
    }
    // What process `i` says of itself (plain HTTP on its own port, as the operator's monitoring does).
    long parked(size_t i) const {
        const std::string metrics = testing::request(ports_[i], "GET", "/metrics", "",
                                                     "Authorization: Bearer " + read_secret_file(dir_ + "/metrics-token").value_or("") + "\r\n")
                                        .body;
        const auto at = metrics.find("\nhaven_http_parked ");
        return at == std::string::npos ? -1L : std::atol(metrics.c_str() + at + 19);
    }
    int64_t webhooks_delivered_by(size_t i) const {
        auto queues = testing::request(ports_[i], "GET", "/api/v1/network/doorbells/queues", "", "Authorization: Bearer " + token_ + "\r\n");
        if (queues.status != 200) return -1;
        const auto listed = json::parse(queues.body);
        for (const auto& q : listed.at("items").as_array())
            if (q.at("channel").as_string() == "webhook") return q.at("delivered").as_int64();
        return -1;
    }

    std::string dir_, url_, data_, front_, ca_, token_;
    int64_t site_ = 0;
    std::vector<uint16_t> ports_;
    std::vector<pid_t> pids_;
    bool proxy_started_ = false;
    const std::string csrf_ = crypto::random_token();
};

TEST_P(ProcessesBehindNginx, ThreeProcessesBehindOneProxyServeAsOneHaven) {
    if (url_.empty() || front_.empty()) return;
    const auto test_started = Steady::now();

    // 1. One unseal, sent through the front to whichever process, unseals all three (it passes it on to its peers).
    for (size_t i = 0; i < 3; ++i) ASSERT_EQ(testing::request(ports_[i], "GET", "/healthz").body, R"({"status":"ok","sealed":true})") << i;
    {
        const auto passphrase = read_secret_file(dir_ + "/unseal-passphrase");
        ASSERT_TRUE(passphrase);
        const auto asked = Steady::now();
        auto unsealed = call("POST", "/api/v1/vault/unseal", json::serialize(json::object{{"passphrase", *passphrase}}),
                             {"Content-Type: application/json"}, 120'000);
        ASSERT_EQ(unsealed->status, 200) << unsealed->reply;
        for (size_t i = 0; i < 3; ++i) {
            std::string health;
            while ((health = testing::request(ports_[i], "GET", "/healthz").body) != R"({"status":"ok","sealed":false})" && ms_since(asked) < 60'000)
                std::this_thread::sleep_for(50ms);
            EXPECT_EQ(health, R"({"status":"ok","sealed":false})") << "process " << i;
        }
        std::printf("[ measured ] one unseal through the front: all three unsealed %lld ms after it was sent\n", (long long)ms_since(asked));
    }

    // 2. Enrolment and login through the front.
    const std::string coordinator = account("coord", "coordinator");
    ASSERT_FALSE(coordinator.empty());
    ASSERT_FALSE(account("netop", "emergency_operator").empty());
    {
        auto made = sh(std::string(HAVEN_BINARY) + " token create --user netop --scope write --label laptop" + data_);
        ASSERT_EQ(made.first, 0) << made.second;
        std::string t = made.second;
        while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
        token_ = t.substr(t.find_last_of(" \n") + 1);
    }

    // 3. Intake: a person recorded through one process is found through each (round-robin: three reads, three processes).
    {
        auto recorded =
            call("POST", "/api/v1/people", R"({"site_id":)" + std::to_string(site_) + R"(,"pseudonym":"Lastochka"})", signed_in(coordinator));
        ASSERT_EQ(recorded->status, 201) << recorded->reply;
        const int64_t id = json::parse(recorded->reply).at("id").as_int64();
        for (int i = 0; i < 3; ++i) {
            auto read = call("GET", "/api/v1/people/" + std::to_string(id), {}, signed_in(coordinator));
            EXPECT_EQ(read->status, 200) << read->reply;
            EXPECT_NE(read->reply.find("Lastochka"), std::string::npos);
        }
    }

    // 4. Two clients book one slot at the same moment, each through another process: one wins, the other gets 409.
    {
        auto space =
            call("POST", "/api/v1/spaces", R"({"site_id":)" + std::to_string(site_) + R"(,"name":"Salle 1","kind":"room"})", signed_in(coordinator));
        ASSERT_EQ(space->status, 201) << space->reply;
        const int64_t room = json::parse(space->reply).at("id").as_int64();
        int wins = 0, clashes = 0, other = 0;
        for (int slot = 0; slot < 9; ++slot) {
            const std::string hour = (slot + 9 < 10 ? "0" : "") + std::to_string(slot + 9);
            const std::string body = R"({"space_id":)" + std::to_string(room) + R"(,"start":"2027-03-02T)" + hour +
                                     R"(:00:00+01:00","end":"2027-03-02T)" + hour + R"(:45:00+01:00"})";
            std::atomic<int> ready{0};
            int status[2] = {0, 0};
            std::vector<std::thread> clients;
            for (int k = 0; k < 2; ++k)
                clients.emplace_back([&, k] {
                    testing::Connection c(ports_[size_t(slot + k) % 3]);  // processes slot % 3 and the next
                    const std::string req = "POST /api/v1/bookings HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: __Host-haven_session=" + coordinator +
                                            "; __Host-haven_csrf=" + csrf_ + "\r\nX-CSRF-Token: " + csrf_ +
                                            "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                                            body;
                    ++ready;
                    while (ready < 2) std::this_thread::yield();
                    c.send(req);
                    status[k] = c.read_reply(10'000).status;
                });
            for (auto& t : clients) t.join();
            for (int s : status) (s == 201 ? wins : s == 409 ? clashes : other)++;
            EXPECT_TRUE((status[0] == 201 && status[1] == 409) || (status[0] == 409 && status[1] == 201))
                << "slot " << slot << ": " << status[0] << " and " << status[1];
        }
        std::printf("[ measured ] 9 slots each booked by two clients at once on two processes: %d won, %d told 409, %d other\n", wins, clashes,
                    other);
        // And through the front: the same slot twice in a row (two processes, round-robin).
        const std::string body =
            R"({"space_id":)" + std::to_string(room) + R"(,"start":"2027-03-03T10:00:00+01:00","end":"2027-03-03T11:00:00+01:00"})";
        EXPECT_EQ(call("POST", "/api/v1/bookings", body, signed_in(coordinator))->status, 201);
        EXPECT_EQ(call("POST", "/api/v1/bookings", body, signed_in(coordinator))->status, 409);
    }

    // 5. 1,000 devices long-poll through the front, spread over the processes; a publication answers all of them.
    {
        constexpr size_t devices = 1000;
        const std::string id = new_activation();
        ASSERT_FALSE(id.empty());
        CURLM* multi = curl_multi_init();
        curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
        std::vector<std::unique_ptr<Call>> polls;
        std::map<CURL*, Call*> by_handle;
        for (size_t i = 0; i < devices; ++i) {
            polls.push_back(
                std::make_unique<Call>(front_, ca_, "GET", "/api/v1/network/activations?after=0&wait=25", "", std::vector<std::string>{}, 40'000));
            by_handle[polls.back()->easy] = polls.back().get();
            curl_multi_add_handle(multi, polls.back()->easy);
        }
        size_t finished = 0, failed = 0;
        auto drive = [&](int wait_ms) {
            int running = 0;
            curl_multi_perform(multi, &running);
            curl_multi_poll(multi, nullptr, 0, wait_ms, nullptr);
            curl_multi_perform(multi, &running);
            int left = 0;
            while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
                if (msg->msg != CURLMSG_DONE) continue;
                Call* c = by_handle.at(msg->easy_handle);
                c->finished();
                failed += msg->data.result != CURLE_OK;
                ++finished;
            }
        };
        // All parked: the servers' own count.
        const auto opened = Steady::now();
        std::array<long, 3> waiting{};
        for (;;) {
            drive(20);
            long sum = 0;
            for (size_t i = 0; i < 3; ++i) sum += waiting[i] = parked(i);
            if (sum >= long(devices) || ms_since(opened) > 30'000 || finished > 0) break;
        }
        std::printf("[ measured ] %zu devices parked in %lld ms: %ld / %ld / %ld on the three processes\n", devices, (long long)ms_since(opened),
                    waiting[0], waiting[1], waiting[2]);
        ASSERT_EQ(finished, 0u) << "a poll was answered before the publication";
        ASSERT_EQ(waiting[0] + waiting[1] + waiting[2], long(devices));
        EXPECT_TRUE(waiting[0] > 0 && waiting[1] > 0 && waiting[2] > 0) << "spread over the processes";
        // The publication goes through the front on the same multi handle, so each answer is timed as it arrives.
        Call publish(front_, ca_, "POST", "/api/v1/network/activations/" + id + "/publish", "{}", bearer());
        by_handle[publish.easy] = &publish;
        const auto published = Steady::now();
        curl_multi_add_handle(multi, publish.easy);
        while (finished < devices + 1 && ms_since(published) < 30'000) drive(5);
        EXPECT_EQ(publish.status, 200) << publish.reply;
        std::vector<int64_t> ms;
        size_t answered = 0;
        for (const auto& p : polls) {
            if (p->status == 200 && p->reply.find(id) != std::string::npos) ++answered;
            if (p->status != 0) ms.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(p->done - published).count());
        }
        std::sort(ms.begin(), ms.end());
        std::printf(
            "[ measured ] publication to answers through nginx: %zu of %zu answered with it (%zu failed); first %lld ms, p50 %lld ms, p99 %lld ms, "
            "last %lld ms (the publish itself answered in %lld ms)\n",
            answered, devices, failed, ms.empty() ? -1LL : (long long)ms.front(), ms.empty() ? -1LL : (long long)ms[ms.size() / 2],
            ms.empty() ? -1LL : (long long)ms[ms.size() * 99 / 100], ms.empty() ? -1LL : (long long)ms.back(),
            (long long)std::chrono::duration_cast<std::chrono::milliseconds>(publish.done - published).count());
        EXPECT_EQ(answered, devices);
        ASSERT_FALSE(ms.empty());
        EXPECT_LT(ms.back(), 1000) << "every device within a second of the publication";
        for (auto& p : polls) curl_multi_remove_handle(multi, p->easy);
        curl_multi_remove_handle(multi, publish.easy);
        curl_multi_cleanup(multi);
    }

    // 6. Doorbells: members' devices set webhook doorbells through the front; one publication rings each once.
    {
        testing::HookReceiver hook(10ms);  // 150 rings take 1.5 s at least: every process's deliverers join in
        ASSERT_NE(hook.port(), 0);
        constexpr size_t doorbells = 150;
        for (size_t i = 0; i < doorbells; ++i) {
            auto code = call("POST", "/api/v1/network/enrolments", "{}", bearer());
            ASSERT_EQ(code->status, 201) << code->reply;
            const std::string member = emergency::to_hex(crypto::random_bytes(16));
            const int64_t not_after =
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count() + 86'400'000;
            const auto prekey = emergency::sign_prekey(emergency::new_signing_keys(), emergency::new_box_keys().public_key, not_after);
            auto joined = call("POST", "/api/v1/network/members",
                               R"({"code":")" + std::string(json::parse(code->reply).at("code").as_string()) + R"(","member_id":")" + member +
                                   R"(","prekey":")" + emergency::to_hex(prekey.prekey) + R"(","not_after":)" + std::to_string(prekey.not_after) +
                                   R"(,"signature":")" + emergency::to_hex(prekey.signature) + R"(","packet":"00ff"})",
                               {"Content-Type: application/json"});
            ASSERT_EQ(joined->status, 201) << joined->reply;
            auto bell = call("POST", "/api/v1/network/doorbells",
                             R"({"channel":"webhook","address":"http://127.0.0.1:)" + std::to_string(hook.port()) +
                                 R"(/bell","secret":"shared-secret-for-the-hook"})",
                             {"Content-Type: application/json", "X-Member-Id: " + member,
                              "X-Member-Token: " + std::string(json::parse(joined->reply).at("token").as_string())});
            ASSERT_EQ(bell->status, 201) << bell->reply;
        }
        const std::string id = new_activation();
        const auto published = Steady::now();
        ASSERT_EQ(call("POST", "/api/v1/network/activations/" + id + "/publish", "{}", bearer())->status, 200);
        while (hook.rings() < doorbells && ms_since(published) < 30'000) std::this_thread::sleep_for(20ms);
        const auto all_in = ms_since(published);
        std::this_thread::sleep_for(1500ms);  // a second delivery of any ring would arrive meanwhile
        const auto keys = hook.keys();
        size_t twice = 0;
        for (const auto& [key, times] : keys) twice += times > 1;
        std::array<int64_t, 3> by{};
        for (size_t i = 0; i < 3; ++i) by[i] = webhooks_delivered_by(i);
        std::printf(
            "[ measured ] %zu doorbells: %zu rings in %lld ms, %zu distinct keys, %zu more than once; delivered by the processes %lld / %lld / "
            "%lld\n",
            doorbells, hook.rings(), (long long)all_in, keys.size(), twice, (long long)by[0], (long long)by[1], (long long)by[2]);
        EXPECT_EQ(keys.size(), doorbells);
        EXPECT_EQ(twice, 0u);
        EXPECT_EQ(by[0] + by[1] + by[2], int64_t(doorbells));
    }
    std::printf("[ measured ] the whole scenario took %lld ms\n", (long long)ms_since(test_started));
}

INSTANTIATE_TEST_SUITE_P(Engines, ProcessesBehindNginx, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
