// The whole server booted in-process on port 0, on each engine, driven over real sockets.
#include <gtest/gtest.h>

#include <algorithm>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <sys/stat.h>
#include <thread>

#include <boost/json.hpp>

#include "app/app.hpp"
#include "crypto/random.hpp"
#include "support/accounts.hpp"
#include "support/app_fixture.hpp"
#include "support/engines.hpp"
#include "support/http_client.hpp"
#include "web/assets.hpp"

namespace haven {
namespace {

using testing::Connection;
using testing::request;

class Server : public testing::AppFixture<SystemClock> {
protected:
    void expect_healthy() {
        auto r = request(port_, "GET", "/healthz");
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, R"({"status":"ok","sealed":false})");
    }

    const std::string csrf_ = crypto::random_token();
};

// The resident memory of this process, where the server runs, in MB (/proc/self/status).
long resident_mb() {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6)) / 1024;
    return -1;
}

std::string metrics_auth(const std::string& dir) { return "Authorization: Bearer " + read_secret_file(dir + "/metrics-token").value_or("") + "\r\n"; }

TEST_P(Server, ServesTheHomePageWithSecurityHeaders) {
    if (!app_) return;
    auto r = request(port_, "GET", "/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Security-Policy"),
              "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_EQ(r.header("X-Request-Id").size(), 16u);
    EXPECT_NE(r.body.find("<html lang=\"en\">"), std::string::npos);
    EXPECT_NE(r.body.find("Welcome to Haven"), std::string::npos);
    EXPECT_EQ(r.body.find("<script>"), std::string::npos);
    EXPECT_EQ(r.body.find("style="), std::string::npos);
}

TEST_P(Server, ChoosesTheLanguageFromCookieThenAcceptLanguage) {
    if (!app_) return;
    EXPECT_NE(request(port_, "GET", "/", "", "Accept-Language: ru-RU,ru;q=0.9\r\n").body.find("Добро пожаловать"), std::string::npos);
    EXPECT_NE(request(port_, "GET", "/", "", "Accept-Language: ru\r\nCookie: haven_lang=en\r\n").body.find("Welcome"), std::string::npos);
    EXPECT_NE(request(port_, "GET", "/", "", "Accept-Language: de\r\n").body.find("<html lang=\"de\">"), std::string::npos);
    EXPECT_NE(request(port_, "GET", "/", "", "Accept-Language: uk-UA,uk;q=0.9\r\n").body.find("<html lang=\"uk\">"), std::string::npos);
    EXPECT_NE(request(port_, "GET", "/", "", "Accept-Language: es\r\n").body.find("Welcome"), std::string::npos);  // not shipped
    const std::string form = "Content-Type: application/x-www-form-urlencoded\r\nCookie: __Host-haven_csrf=" + csrf_ + "\r\n";
    auto saved = request(port_, "POST", "/language", "lang=ru&return=%2F&_csrf=" + csrf_, form);
    EXPECT_EQ(saved.status, 303);
    EXPECT_EQ(saved.header("Location"), "/");
    EXPECT_NE(saved.header("Set-Cookie").find("haven_lang=ru"), std::string::npos);
    auto open_redirect = request(port_, "POST", "/language", "lang=ru&return=%2F%2Fevil.example&_csrf=" + csrf_, form);
    EXPECT_EQ(open_redirect.header("Location"), "/");
    auto bad = request(port_, "POST", "/language", "lang=xx&_csrf=" + csrf_, form);
    EXPECT_EQ(request(port_, "POST", "/language", "lang=ru", form).status, 403) << "no CSRF field";
    EXPECT_EQ(bad.status, 422);
    auto foreign = request(port_, "POST", "/language", "lang=ru&_csrf=" + csrf_, form + "Origin: https://evil.example\r\n");
    EXPECT_EQ(foreign.status, 403);
}

TEST_P(Server, AnswersErrorsAsJsonForTheApiAndAsPagesOtherwise) {
    if (!app_) return;
    auto api = request(port_, "GET", "/api/v1/nothing");
    EXPECT_EQ(api.status, 404);
    EXPECT_EQ(api.header("Content-Type"), "application/json");
    EXPECT_NE(api.body.find(R"("code":"not_found")"), std::string::npos);
    auto page = request(port_, "GET", "/nothing", "", "Accept-Language: ru\r\n");
    EXPECT_EQ(page.status, 404);
    EXPECT_NE(page.body.find("По этому адресу ничего нет."), std::string::npos);
    auto method = request(port_, "DELETE", "/healthz");
    EXPECT_EQ(method.status, 405);
    EXPECT_EQ(method.header("Allow"), "GET");
}

TEST_P(Server, ValidatesTheProbeAndKeepsItsWrites) {
    if (!app_) return;
    const std::string json = "Content-Type: application/json\r\n";
    EXPECT_EQ(request(port_, "POST", "/api/v1/test/writes", R"({"id":"w1","payload":"Анна"})", json).status, 201);
    EXPECT_EQ(request(port_, "POST", "/api/v1/test/writes", R"({"id":"w1"})", json).status, 409);
    auto invalid = request(port_, "POST", "/api/v1/test/writes", R"({"id":"no spaces"})", json);
    EXPECT_EQ(invalid.status, 422);
    EXPECT_NE(invalid.body.find(R"("fields":{"id":)"), std::string::npos) << invalid.body;
    EXPECT_EQ(request(port_, "POST", "/api/v1/test/writes", R"({"id":"w2"})", "Content-Type: text/plain\r\n").status, 415);
    EXPECT_EQ(request(port_, "POST", "/api/v1/test/writes", R"({"id":)", json).status, 400);
    auto shown = request(port_, "GET", "/api/v1/test/writes/w1");
    EXPECT_EQ(shown.status, 200);
    EXPECT_NE(shown.body.find("Анна"), std::string::npos);
    EXPECT_EQ(request(port_, "GET", "/api/v1/test/writes/w9").status, 404);
}

TEST_P(Server, ServesAssetsAtHashedUrls) {
    if (!app_) return;
    auto css = request(port_, "GET", web::asset_url("app.css"));
    EXPECT_EQ(css.status, 200);
    EXPECT_EQ(css.header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(css.header("Content-Type"), "text/css; charset=utf-8");
    EXPECT_EQ(request(port_, "GET", "/assets/app.0000000000000000.css").status, 404);
}

TEST_P(Server, MetricsPassPromtool) {
    if (!app_) return;
    request(port_, "GET", "/");
    request(port_, "GET", "/nothing");
    auto m = request(port_, "GET", "/metrics", "", metrics_auth(dir_));
    ASSERT_EQ(m.status, 200);
    EXPECT_NE(m.body.find("haven_http_requests_total{route=\"/\",method=\"GET\",status=\"200\"} 1"), std::string::npos);
    EXPECT_NE(m.body.find("haven_db_write_queue_depth"), std::string::npos);
    EXPECT_EQ(m.body.find("/nothing"), std::string::npos) << "unmatched paths must not become labels";
    std::string file = dir_ + "/metrics.txt";
    std::ofstream(file) << m.body;
    int rc = std::system(("promtool check metrics < " + file + " > " + dir_ + "/promtool.txt 2>&1").c_str());
    std::ifstream out(dir_ + "/promtool.txt");
    std::stringstream ss;
    ss << out.rdbuf();
    EXPECT_EQ(rc, 0) << ss.str();
}

// A large body is read only for a caller the gate admits from the header: a stranger's is refused at once,
// unread, and the route is matched exactly (POST /people/import is the route /people/{id}: 1 MB).
TEST_P(Server, AStrangersLargeBodyIsRefusedBeforeAnyOfItIsRead) {
    if (!app_) return;
    for (const char* target : {"POST /sites/1/people/import", "POST /sites/1/people/import/preview", "POST /api/v1/sites/1/people/import",
                               "POST /people/import", "PUT /api/v1/network/roster", "POST /api/v1/network/activations/1/wraps"}) {
        Connection c(port_);
        ASSERT_TRUE(c.send(std::string(target) + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 2097152\r\n\r\n"));
        EXPECT_EQ(c.read_reply(2000).status, 413) << target << ": answered before the body, which never comes";
    }
    expect_healthy();
}

// 40 strangers each sending 15 MB of a 16 MB body to upload routes: the server keeps none of it (it took the
// server from 141 to 734 MB before the gate came before the body).
TEST_P(Server, FortyStrangersSixteenMegabyteBodiesDoNotGrowMemory) {
    if (!app_ || GetParam() != "sqlite") GTEST_SKIP() << "transport; once is enough";
    const long before = resident_mb();
    std::atomic<int> sent{0};
    std::atomic<bool> measured{false};
    std::vector<std::future<void>> strangers;
    for (int i = 0; i < 40; ++i)
        strangers.push_back(std::async(std::launch::async, [&, i] {
            Connection c(port_);
            const std::string target = i % 2 ? "/people/import" : "/api/v1/sites/1/people/import";
            const std::string chunk(256 * 1024, 'x');
            if (c.send("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 16777216\r\n\r\n"))
                for (int n = 0; n < 60 && c.send(chunk); ++n) {}
            ++sent;
            while (!measured) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (sent < 40 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const long during = resident_mb();
    measured = true;
    for (auto& s : strangers) s.get();
    std::printf("resident memory: %ld MB before, %ld MB with 40 strangers' 16 MB bodies arriving\n", before, during);
#if !defined(__SANITIZE_ADDRESS__)  // ASan keeps freed memory in quarantine: resident size says nothing there
    EXPECT_LT(during - before, 64) << "the server kept strangers' bodies";
#endif
    expect_healthy();
}

// Each hostile input gets the right 4xx or a closed connection, and the server stays healthy.
TEST_P(Server, SurvivesHostileInput) {
    if (!app_) return;
    {
        SCOPED_TRACE("70 KB URL");
        auto r = request(port_, "GET", "/" + std::string(70 * 1024, 'a'));
        EXPECT_EQ(r.status, 414);
    }
    {
        SCOPED_TRACE("10 MB body announced");
        Connection c(port_);
        c.send("POST /api/v1/test/writes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n");
        c.send(std::string(64 * 1024, 'x'));
        EXPECT_EQ(c.read_reply().status, 413);
    }
    {
        SCOPED_TRACE("10 MB body chunked");
        Connection c(port_);
        c.send("POST /api/v1/test/writes HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        std::string chunk = "100000\r\n" + std::string(0x100000, 'x') + "\r\n";
        int status = 0;
        for (int i = 0; i < 10 && c.send(chunk); ++i) {}
        status = c.read_reply().status;
        EXPECT_EQ(status, 413);
    }
    {
        SCOPED_TRACE("1,000 headers");
        std::string headers;
        for (int i = 0; i < 1000; ++i) headers += "X-H" + std::to_string(i) + ": v\r\n";
        EXPECT_EQ(request(port_, "GET", "/healthz", "", headers).status, 431);
    }
    {
        SCOPED_TRACE("invalid UTF-8");
        EXPECT_EQ(request(port_, "GET", "/api/v1/test/writes/%ff%fe").status, 400);
        EXPECT_EQ(request(port_, "POST", "/api/v1/test/writes", "{\"id\":\"\xff\"}", "Content-Type: application/json\r\n").status, 400);
        EXPECT_EQ(request(port_, "POST", "/language", "lang=%ff", "Content-Type: application/x-www-form-urlencoded\r\n").status, 400);
    }
    {
        SCOPED_TRACE("JSON nested 10,000 deep");
        std::string deep = std::string(10000, '[') + std::string(10000, ']');
        auto r = request(port_, "POST", "/api/v1/test/writes", deep, "Content-Type: application/json\r\n");
        EXPECT_EQ(r.status, 400);
        EXPECT_NE(r.body.find("too_deep"), std::string::npos);
    }
    {
        SCOPED_TRACE("truncated chunked body");
        Connection c(port_);
        c.send("POST /api/v1/test/writes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"id\":");
        c.shutdown_write();
        EXPECT_TRUE(c.closed_within(3000));
    }
    {
        SCOPED_TRACE("dot segments and NUL");
        EXPECT_EQ(request(port_, "GET", "/assets/../../etc/passwd").status, 400);
        EXPECT_EQ(request(port_, "GET", "/assets/%2e%2e/x").status, 400);
        EXPECT_EQ(request(port_, "GET", "/healthz%00").status, 400);
        EXPECT_EQ(request(port_, "GET", "/api/v1/test/writes/a%00b").status, 400);
    }
    {
        SCOPED_TRACE("not HTTP at all");
        Connection c(port_);
        c.send("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 garbage\r\n\r\n");
        EXPECT_EQ(c.read_reply().status, 400);
    }
    expect_healthy();
}

// A client that sends its header one byte per second is cut off by the 10 s header deadline.
TEST_P(Server, CutsOffSlowloris) {
    if (!app_ || GetParam() != "sqlite") GTEST_SKIP() << "transport-only; once is enough";
    Connection c(port_);
    const std::string header = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(40, 'a') + "\r\n\r\n";
    auto start = std::chrono::steady_clock::now();
    bool cut = false;
    for (char ch : header) {
        if (!c.send(std::string(1, ch))) {
            cut = true;
            break;
        }
        if (c.closed_within(1000)) {
            cut = true;
            break;
        }
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(cut);
    EXPECT_LT(seconds, 14.0);
    EXPECT_GE(seconds, 9.0);
    expect_healthy();
}

TEST_P(Server, RouteTableMatchesTheGoldenFile) {
    if (!app_ || GetParam() != "sqlite") GTEST_SKIP() << "the table does not depend on the engine";
    std::string got;
    for (const auto& r : app_->router().routes())
        got += r.method + " " + r.pattern + "  " + r.access + (r.max_body_bytes ? "  body " + std::to_string(r.max_body_bytes >> 20) + " MB" : "") +
               (r.sealed_ok ? "  while-sealed" : "") + (r.wasm_and_camera ? "  wasm+camera" : "") + (r.camera ? "  camera" : "") + "\n";
    const std::string golden = HAVEN_SOURCE_DIR "/tests/golden/routes.txt";
    std::ifstream in(golden);
    std::stringstream want;
    want << in.rdbuf();
    if (std::getenv("HAVEN_UPDATE_GOLDEN")) std::ofstream(golden) << got;
    EXPECT_EQ(got, want.str()) << "URLs changed: review, then run with HAVEN_UPDATE_GOLDEN=1";
}

// Every JSON endpoint is described in docs/api/openapi.yaml, under its path with its method — checked on the document
// the server hands out at GET /api/v1/openapi.json (that file, converted to JSON when the build is configured).
TEST_P(Server, EveryApiRouteIsInTheOpenApiDocumentTheServerServes) {
    if (!app_ || GetParam() != "sqlite") GTEST_SKIP() << "the table does not depend on the engine";
    auto reply = request(port_, "GET", "/api/v1/openapi.json");
    ASSERT_EQ(reply.status, 200);
    EXPECT_NE(reply.header("Content-Type").find("application/json"), std::string::npos);
    const auto doc = boost::json::parse(reply.body);
    const auto& paths = doc.at("paths").as_object();
    EXPECT_TRUE(std::string_view(doc.at("openapi").as_string()).starts_with("3."));
    int checked = 0;
    for (const auto& r : app_->router().routes()) {
        if (!r.pattern.starts_with("/api/")) continue;
        const auto* path = paths.if_contains(r.pattern);
        ASSERT_NE(path, nullptr) << r.pattern << " is not in docs/api/openapi.yaml";
        std::string method = r.method;
        std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        EXPECT_TRUE(path->as_object().contains(method)) << r.method << " " << r.pattern << " is not documented";
        ++checked;
    }
    EXPECT_GT(checked, 40);
}

INSTANTIATE_TEST_SUITE_P(Engines, Server, ::testing::Values("sqlite", "postgres"), testing::engine_name);

// The same server with accounts, on a clock the test moves.
class ServerWithAccounts : public testing::AppFixture<ManualClock> {
protected:
    void SetUp() override {
        AppFixture::SetUp();
        if (!app_) return;
        auto site = app_->accounts().create_site(nullptr, {"Paris", "Paris", "France", "Europe/Paris", false});
        ASSERT_TRUE(site.ok());
        site_ = site->id;
        auto coordinator = testing::make_account(app_->accounts(), clock_, "coord", Role::coordinator, site_);
        coordinator_ = testing::session_for(app_->db(), clock_, coordinator.id);
        auto administrator = testing::make_account(app_->accounts(), clock_, "admin", Role::administrator, site_);
        administrator_ = testing::session_for(app_->db(), clock_, administrator.id);
    }
    int64_t site_ = 0;
    std::string coordinator_, administrator_;
    const std::string csrf_ = crypto::random_token();
};

// The upload routes still take large bodies from those allowed to call them, here 10 MB of spreadsheet.
TEST_P(ServerWithAccounts, ACoordinatorsTenMegabyteImportStillWorks) {
    if (!app_) return;
    std::string csv = "Pseudonym,Padding\r\n";
    for (int i = 0; i < 1100; ++i) csv += "Resident" + std::to_string(i) + "," + std::string(9600, 'p') + "\r\n";
    ASSERT_GT(csv.size(), 10u * 1024 * 1024);
    auto imported =
        testing::signed_request(port_, "POST", "/api/v1/sites/" + std::to_string(site_) + "/people/import", coordinator_, csrf_, csv, "text/csv");
    ASSERT_EQ(imported.status, 201) << imported.body.substr(0, 300);
    EXPECT_NE(imported.body.find(R"("imported":1100)"), std::string::npos) << imported.body;
    // Signed in but not allowed to import: held to 1 MB, refused before the body.
    auto volunteer = testing::make_account(app_->accounts(), clock_, "vol", Role::volunteer, site_);
    Connection c(port_);
    ASSERT_TRUE(c.send("POST /api/v1/sites/" + std::to_string(site_) + "/people/import HTTP/1.1\r\nHost: x\r\nCookie: __Host-haven_session=" +
                       testing::session_for(app_->db(), clock_, volunteer.id) + "; __Host-haven_csrf=" + csrf_ + "\r\nX-CSRF-Token: " + csrf_ +
                       "\r\nContent-Type: text/csv\r\nContent-Length: 10485760\r\n\r\n"));
    EXPECT_EQ(c.read_reply(2000).status, 413);
}

// /metrics shows what the centre does (notes written, exports, activations): only the holder of
// DATA/metrics-token reads it — not the public, not a signed-in administrator — sealed or not.
TEST_P(ServerWithAccounts, MetricsAnswerOnlyTheMetricsToken) {
    if (!app_) return;
    struct stat st {};
    ASSERT_EQ(::stat((dir_ + "/metrics-token").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(request(port_, "GET", "/metrics").status, 401);
    EXPECT_EQ(request(port_, "GET", "/metrics", "", "Authorization: Bearer " + crypto::random_token() + "\r\n").status, 401);
    EXPECT_EQ(request(port_, "GET", "/metrics", "", "Cookie: __Host-haven_session=" + administrator_ + "\r\n").status, 401);
    auto shown = request(port_, "GET", "/metrics", "", metrics_auth(dir_));
    EXPECT_EQ(shown.status, 200);
    EXPECT_NE(shown.body.find("haven_http_requests_total"), std::string::npos);

    ASSERT_EQ(request(port_, "POST", "/api/v1/vault/seal", "{}", "Content-Type: application/json\r\nX-Seal-Token: " + seal_token_ + "\r\n").status,
              200);
    EXPECT_EQ(request(port_, "GET", "/metrics").status, 401) << "sealed, still the token only";
    EXPECT_EQ(request(port_, "GET", "/metrics", "", metrics_auth(dir_)).status, 200) << "and monitoring goes on while sealed";
}

INSTANTIATE_TEST_SUITE_P(Engines, ServerWithAccounts, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
