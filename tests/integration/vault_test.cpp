// The sealed server: after a panic seal every API answers 503 "sealed" and pages show only the unseal
// form; the keys are gone (the state is checked, not RAM). Stored secrets are ciphertext bound to their row.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "audit/audit.hpp"
#include "core/log.hpp"
#include "crypto/random.hpp"
#include "modules/accounts/store.hpp"
#include "modules/vault/rotation.hpp"
#include "storage/backup.hpp"
#include "storage/migrate.hpp"
#include "support/accounts.hpp"
#include "support/app_fixture.hpp"
#include "support/http_client.hpp"

namespace haven {
namespace {

class Sealing : public testing::AppFixture<ManualClock> {
protected:
    testing::HttpReply seal() {
        return testing::request(port_, "POST", "/api/v1/vault/seal", "{}", "Content-Type: application/json\r\nX-Seal-Token: " + seal_token_ + "\r\n");
    }
    std::string operator_keys_json() const {
        std::string body = "{\"operator_keys\":[";
        log::append_json_string(body, operator_file_);
        return body + "]}";
    }
};

const std::string wrong_keys_json = R"({"operator_keys":["haven operator key v1\nindex 0\nkey AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"]})";

std::string form_encoded(std::string_view text) {
    std::string out;
    for (unsigned char ch : text) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", ch);
        out += buf;
    }
    return out;
}

// One request from another loopback address (127.0.0.2): another source, as the server sees it.
testing::HttpReply request_from(const char* source, uint16_t port, const std::string& raw) {
    testing::HttpReply reply;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in from{}, to{};
    from.sin_family = to.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &from.sin_addr);
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        ::close(fd);
        return reply;
    }
    (void)::send(fd, raw.data(), raw.size(), MSG_NOSIGNAL);
    std::string got;
    char buf[16384];
    for (pollfd p{fd, POLLIN, 0}; ::poll(&p, 1, 5000) > 0;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, size_t(n));
    }
    ::close(fd);
    const auto end = got.find("\r\n\r\n");
    if (got.size() > 12) reply.status = std::atoi(got.c_str() + 9);
    reply.headers = got.substr(0, end == std::string::npos ? got.size() : end + 2);
    if (end != std::string::npos) reply.body = got.substr(end + 4);
    return reply;
}

TEST_P(Sealing, APanicSealClosesEveryApiUntilUnsealed) {
    if (!app_) return;
    auto sealed =
        testing::request(port_, "POST", "/api/v1/vault/seal", "{}", "Content-Type: application/json\r\nX-Seal-Token: " + seal_token_ + "\r\n");
    ASSERT_EQ(sealed.status, 200);
    EXPECT_TRUE(app_->vault().sealed());
    EXPECT_THROW(app_->vault().subkey(crypto::KeyPurpose::fields), crypto::VaultSealed);
    EXPECT_EQ(testing::request(port_, "GET", "/healthz").body, R"({"status":"ok","sealed":true})");

    int apis = 0;
    for (const auto& r : app_->router().routes()) {
        // The emergency network keeps serving through a panic seal (tests/integration/network_test.cpp).
        if (!r.pattern.starts_with("/api/") || r.pattern.starts_with("/api/v1/vault/") || r.pattern.starts_with("/api/v1/network/")) continue;
        std::string url = r.pattern;
        for (const char* p : {"{site}", "{id}", "{step}", "{doc}", "{locator}", "{number}"})
            if (auto i = url.find(p); i != std::string::npos) url.replace(i, std::string(p).size(), "1");
        auto reply = testing::request(port_, r.method, url, r.method == "POST" ? "{}" : "", "Content-Type: application/json\r\n");
        EXPECT_EQ(reply.status, 503) << r.method << " " << r.pattern;
        EXPECT_NE(reply.body.find(R"("code":"sealed")"), std::string::npos) << r.pattern;
        ++apis;
    }
    EXPECT_GT(apis, 8);
    auto page = testing::request(port_, "GET", "/sites");
    EXPECT_EQ(page.status, 503);
    EXPECT_NE(page.body.find("action=\"/unseal\""), std::string::npos);

    auto wrong = testing::request(port_, "POST", "/api/v1/vault/unseal",
                                  R"({"operator_keys":["haven operator key v1\nindex 0\nkey AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"]})",
                                  "Content-Type: application/json\r\n");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_TRUE(app_->vault().sealed());
    std::string body = "{\"operator_keys\":[";
    log::append_json_string(body, operator_file_);
    body += "]}";
    EXPECT_EQ(testing::request(port_, "POST", "/api/v1/vault/unseal", body, "Content-Type: application/json\r\n").status, 200);
    EXPECT_FALSE(app_->vault().sealed());
    EXPECT_EQ(testing::request(port_, "GET", "/api/v1/me").status, 401) << "unsealed: back to the ordinary answers";
}

// What the package's timer runs (`haven backup --keep N`): the running server writes an encrypted backup into
// DATA/backups and keeps the newest N; only with the seal token; what it wrote restores.
TEST_P(Sealing, TheServerWritesScheduledBackupsAndKeepsTheNewest) {
    if (!app_) return;
    auto backup = [&](const std::string& body, const std::string& token) {
        return testing::request(port_, "POST", "/api/v1/vault/backup", body, "Content-Type: application/json\r\nX-Seal-Token: " + token + "\r\n",
                                30000);
    };
    EXPECT_EQ(backup("{}", "wrong").status, 403);
    EXPECT_EQ(testing::request(port_, "POST", "/api/v1/vault/backup", "{}", "Content-Type: application/json\r\n").status, 403);
    for (const char* bad : {R"({"keep":0})", R"({"keep":1001})", R"({"keep":"3"})", R"({"keep":2.5})"}) {
        auto r = backup(bad, seal_token_);
        EXPECT_EQ(r.status, 422) << bad;
        EXPECT_NE(r.body.find("keep"), std::string::npos) << r.body;
    }
    const std::string dir = dir_ + "/backups";
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/notes.txt") << "not a backup: never removed\n";
    std::set<std::string> names;
    for (int i = 0; i < 3; ++i) {
        if (i) std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // names are by the second
        auto r = backup(R"({"keep":2})", seal_token_);
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_NE(r.body.find("\"file\""), std::string::npos);
    }
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        names.insert(f.path().filename().string());
        if (f.path().extension() == ".backup")
            EXPECT_EQ(std::filesystem::status(f.path()).permissions() & std::filesystem::perms::all,
                      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    }
    ASSERT_EQ(names.size(), 3u) << "the newest two backups and the other file";
    EXPECT_TRUE(names.count("notes.txt"));
    // The newest restores into an empty store with the vault's key (a second data directory, as the drill does).
    const std::string newest = dir + "/" + *std::prev(names.find("notes.txt"));
    std::string url;
    const std::string second = testing::temp_dir("haven-restored");
    testing::fresh_database("sqlite", second, url);
    auto target = storage::open_database(url);
    ASSERT_TRUE(storage::migrate(*target).ok());
    auto restored = storage::restore_backup(
        *target, [&] { return app_->vault().subkey(crypto::KeyPurpose::backup); }, newest);
    ASSERT_TRUE(restored.ok()) << restored.error().message;
    EXPECT_GT(storage::integer_of(target->query("SELECT COUNT(*) FROM audit_log WHERE action = 'backup.write'")).value_or(0), 2);
    std::filesystem::remove_all(second);
    // Sealed, there is no key to write one with.
    ASSERT_EQ(seal().status, 200);
    EXPECT_EQ(backup("{}", seal_token_).status, 503);
}

TEST_P(Sealing, TheSealTokenIsNeeded) {
    if (!app_) return;
    EXPECT_EQ(testing::request(port_, "POST", "/api/v1/vault/seal", "{}", "Content-Type: application/json\r\n").status, 403);
    EXPECT_EQ(testing::request(port_, "POST", "/api/v1/vault/seal", "{}", "Content-Type: application/json\r\nX-Seal-Token: guess\r\n").status, 403);
    EXPECT_FALSE(app_->vault().sealed());
}

TEST_P(Sealing, StoredSecretsAreCiphertextBoundToTheirRow) {
    if (!app_) return;
    auto site = app_->accounts().create_site(nullptr, {"Paris", "Paris", "France", "Europe/Paris", false});
    auto a = testing::make_account(app_->accounts(), clock_, "anna", Role::counsellor, site->id);
    auto b = testing::make_account(app_->accounts(), clock_, "boris", Role::counsellor, site->id);
    Principal pa;
    pa.account_id = a.id;
    ASSERT_TRUE(app_->accounts().set_contact(pa, {"Анна Петровна Смирнова", "anna@example.org", "+33 6 12 34 56 78"}).ok());
    EXPECT_EQ(app_->accounts().contact(pa)->real_name, "Анна Петровна Смирнова");

    auto raw = app_->db().query("SELECT totp_secret, real_name, email, phone FROM accounts WHERE id = $1", {a.id});
    ASSERT_EQ(raw.size(), 1u);
    auto bytes = [&](size_t i) { return std::string(raw[0].blob(i).bytes.begin(), raw[0].blob(i).bytes.end()); };
    EXPECT_EQ(bytes(0).find(a.totp_secret), std::string::npos);
    EXPECT_EQ(bytes(1).find("Анна"), std::string::npos);
    EXPECT_EQ(bytes(2).find("anna@"), std::string::npos);
    EXPECT_EQ(bytes(3).find("12 34"), std::string::npos);

    // Boris's sealed TOTP secret copied onto Anna's row does not decrypt there: her login fails.
    (void)app_->db().write([&](storage::Tx& tx) -> Status {
        tx.exec("UPDATE accounts SET totp_secret = (SELECT totp_secret FROM accounts WHERE id = $2) WHERE id = $1", {a.id, b.id});
        return {};
    });
    auto login = app_->accounts().login({"anna", testing::test_password, testing::current_code(b, clock_), "127.0.0.1"});
    EXPECT_FALSE(login.ok());
}

// Every column the code seals with a field key is in the rotation's list: one left out would keep the old key's
// ciphertext after a rotation, and be lost when that key goes.
TEST(SealedColumns, EveryColumnSealedInTheCodeIsRotated) {
    std::set<std::pair<std::string, std::string>> listed;
    for (const auto& c : vault::sealed_columns()) listed.insert({c.table, c.column});
    const std::regex call(R"re(seal_field\(\s*"([a-z_]+)",\s*"([a-z_]+)")re");
    int found = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(HAVEN_SOURCE_DIR) + "/src")) {
        if (entry.path().extension() != ".cpp" || entry.path().string().ends_with("_test.cpp")) continue;
        std::ifstream in(entry.path());
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), call); it != std::sregex_iterator(); ++it) {
            ++found;
            EXPECT_TRUE(listed.count({(*it)[1].str(), (*it)[2].str()}))
                << entry.path().filename() << " seals " << (*it)[1] << "." << (*it)[2] << ", which modules/vault/rotation.cpp does not rotate";
        }
    }
    EXPECT_GT(found, 15);
}

TEST_P(Sealing, RotationReSealsEveryValueWhileServingAndResumes) {
    if (!app_) return;
    auto site = app_->accounts().create_site(nullptr, {"Paris", "Paris", "France", "Europe/Paris", false});
    auto a = testing::make_account(app_->accounts(), clock_, "anna", Role::counsellor, site->id);
    auto b = testing::make_account(app_->accounts(), clock_, "boris", Role::legal_adviser, site->id);
    Principal pa;
    pa.account_id = a.id;
    ASSERT_TRUE(app_->accounts().set_contact(pa, {"Анна Смирнова", "anna@example.org", "+33 6 11 22 33 44"}).ok());
    auto versions = [&] {
        std::set<uint32_t> seen;
        for (const auto& r : app_->db().query("SELECT totp_secret, real_name, email, phone, password_sealed FROM accounts"))
            for (size_t i = 0; i < 5; ++i)
                if (!r.is_null(i)) seen.insert(crypto::Vault::version_of(std::string(r.blob(i).bytes.begin(), r.blob(i).bytes.end())).value());
        return seen;
    };
    EXPECT_EQ(versions(), std::set<uint32_t>{0});
    const std::string seal = "Content-Type: application/json\r\nX-Seal-Token: " + seal_token_ + "\r\n";
    EXPECT_EQ(testing::request(port_, "POST", "/api/v1/vault/rotate", "{}", "Content-Type: application/json\r\n").status, 403);

    auto rotated = testing::request(port_, "POST", "/api/v1/vault/rotate", "{}", seal);
    ASSERT_EQ(rotated.status, 200) << rotated.body;
    EXPECT_NE(rotated.body.find(R"("version":1)"), std::string::npos) << rotated.body;
    EXPECT_NE(rotated.body.find(R"("resealed":7)"), std::string::npos) << rotated.body;  // 2 TOTP secrets, 2 password hashes, 3 contact fields
    EXPECT_EQ(versions(), std::set<uint32_t>{1});
    EXPECT_EQ(app_->accounts().contact(pa)->real_name, "Анна Смирнова");
    EXPECT_TRUE(app_->accounts().login({"boris", testing::test_password, testing::current_code(b, clock_), "127.0.0.1"}).ok())
        << "the re-sealed TOTP secret still opens";

    // Interrupted: a new version started, nothing re-sealed yet. Old values still open; resume finishes.
    ASSERT_EQ(app_->vault().next_field_key_version().value(), 2u);
    EXPECT_EQ(app_->accounts().contact(pa)->email, "anna@example.org");
    auto resumed = testing::request(port_, "POST", "/api/v1/vault/rotate", R"({"resume":true})", seal);
    ASSERT_EQ(resumed.status, 200);
    EXPECT_NE(resumed.body.find(R"("version":2)"), std::string::npos) << resumed.body;
    EXPECT_EQ(versions(), std::set<uint32_t>{2});
    auto again = testing::request(port_, "POST", "/api/v1/vault/rotate", R"({"resume":true})", seal);
    EXPECT_NE(again.body.find(R"("resealed":0)"), std::string::npos) << "resuming a finished rotation changes nothing";

    // The version survives a restart: a new vault object reads it from vault.json.
    crypto::Vault reloaded(dir_ + "/vault.json", clock_);
    EXPECT_EQ(reloaded.field_key_version(), 2u);
    EXPECT_FALSE(audit::verify(app_->db(), app_->vault().audit_public_key()).bad_seq.has_value());
}

// Strangers' wrong unseal attempts (here eight, from this address) hold back their own source only: the operator's
// `haven unseal` on the server (it sends DATA/seal-token) is never throttled, nor is another address.
TEST_P(Sealing, StrangersWrongUnsealAttemptsNeverHoldBackTheOperator) {
    if (!app_) return;
    ASSERT_EQ(seal().status, 200);
    const std::string json = "Content-Type: application/json\r\n";
    int refused = 0, throttled = 0;
    for (int i = 0; i < 8; ++i) {
        const int status = testing::request(port_, "POST", "/api/v1/vault/unseal", wrong_keys_json, json).status;
        refused += status == 401;
        throttled += status == 429;
    }
    EXPECT_EQ(refused, 3);
    EXPECT_EQ(throttled, 5);
    EXPECT_EQ(testing::request(port_, "POST", "/api/v1/vault/unseal", operator_keys_json(), json).status, 429)
        << "this source waits, even with the right keys";

    // Another address, through the form: its own count.
    const std::string csrf = crypto::random_token();
    const std::string body = "_csrf=" + csrf + "&operator_keys=" + form_encoded(operator_file_);
    auto other =
        request_from("127.0.0.2", port_,
                     "POST /unseal HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: __Host-haven_csrf=" + csrf +
                         "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    EXPECT_EQ(other.status, 303) << other.body.substr(0, 300);
    EXPECT_FALSE(app_->vault().sealed());

    // Sealed again and this address still held back: the operator's own path (what `haven unseal` sends) opens.
    ASSERT_EQ(seal().status, 200);
    for (int i = 0; i < 4; ++i) testing::request(port_, "POST", "/api/v1/vault/unseal", wrong_keys_json, json);
    ASSERT_EQ(testing::request(port_, "POST", "/api/v1/vault/unseal", wrong_keys_json, json).status, 429);
    auto by_operator = testing::request(port_, "POST", "/api/v1/vault/unseal", operator_keys_json(), json + "X-Seal-Token: " + seal_token_ + "\r\n");
    EXPECT_EQ(by_operator.status, 200) << by_operator.body;
    EXPECT_FALSE(app_->vault().sealed());
}

// The unseal form is on every page a sealed server shows, and it works from there: the page sets the CSRF cookie
// its form carries.
TEST_P(Sealing, TheUnsealFormOnAnySealedPageUnseals) {
    if (!app_) return;
    ASSERT_EQ(seal().status, 200);
    auto page = testing::request(port_, "GET", "/sites");
    ASSERT_EQ(page.status, 503);
    const std::string cookie = page.header("Set-Cookie");
    ASSERT_EQ(cookie.rfind("__Host-haven_csrf=", 0), 0u) << "no CSRF cookie for the page's form: " << page.headers;
    const std::string token = cookie.substr(18, cookie.find(';') - 18);
    const auto field = page.body.find("name=\"_csrf\" value=\"");
    ASSERT_NE(field, std::string::npos);
    EXPECT_EQ(page.body.substr(field + 20, token.size()), token);

    const std::string body = "_csrf=" + token + "&operator_keys=" + form_encoded(operator_file_);
    auto posted = testing::request(port_, "POST", "/unseal", body,
                                   "Cookie: __Host-haven_csrf=" + token + "\r\nContent-Type: application/x-www-form-urlencoded\r\n");
    EXPECT_EQ(posted.status, 303) << posted.body.substr(0, 300);
    EXPECT_FALSE(app_->vault().sealed());
}

INSTANTIATE_TEST_SUITE_P(Engines, Sealing, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace haven
