// `haven serve` as a child process on a free port, for the tests that kill it or read the files it wrote.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "crypto/totp.hpp"
#include "support/http_client.hpp"

namespace haven::testing {

struct HavenProcess {
    pid_t pid = -1;
    uint16_t port = 0;  // 0 when it did not start
};

// Runs `haven serve --listen 127.0.0.1:0 <args…>` with stderr appended to `log_file` (and TMPDIR set when
// given), and waits for its "Haven serves http://127.0.0.1:PORT/" line.
inline HavenProcess start_haven(const std::vector<std::string>& args, const std::string& log_file, const std::string& tmpdir = "") {
    int out[2];
    if (pipe(out) != 0) return {};
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        close(out[1]);
        FILE* err = std::freopen(log_file.c_str(), "a", stderr);
        (void)err;
        if (!tmpdir.empty()) setenv("TMPDIR", tmpdir.c_str(), 1);
        std::vector<std::string> all = {HAVEN_BINARY, "serve", "--listen", "127.0.0.1:0"};
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
    auto colon = line.rfind(':');
    return {pid, colon == std::string::npos ? uint16_t(0) : uint16_t(std::atoi(line.c_str() + colon + 1))};
}

// Enrols the account whose `haven user add` output is `link_output` through the pages (password, then TOTP for
// roles that need it) and signs in through the API. Returns the session cookie's value, "" on failure.
inline std::string enrol_and_sign_in(uint16_t port, const std::string& link_output, const std::string& username, const std::string& csrf) {
    std::string token = link_output.substr(link_output.find("/enrol/") + 7);
    token = token.substr(0, token.find_first_of("\r\n"));
    const std::string form = "Content-Type: application/x-www-form-urlencoded\r\nCookie: haven_csrf=" + csrf + "\r\n";
    auto enrol = request(port, "POST", "/enrol/" + token, "_csrf=" + csrf + "&password=quiet+river+lantern+7", form);
    std::string second = "";
    if (auto at = enrol.body.find("id=\"totp-secret\">"); at != std::string::npos) {
        at = enrol.body.find(">", at) + 1;
        auto secret = crypto::base32_decode(enrol.body.substr(at, enrol.body.find('<', at) - at));
        if (!secret) return "";
        auto done = request(port, "POST", "/enrol/" + token + "/code", "_csrf=" + csrf + "&code=" + crypto::totp_code(*secret, time(nullptr)), form);
        auto codes = done.body.find("id=\"recovery-codes\"><li><code>");
        if (codes == std::string::npos) return "";
        codes += 30;
        second = R"(,"totp":")" + done.body.substr(codes, done.body.find('<', codes) - codes) + "\"";
    }
    auto login = request(port, "POST", "/api/v1/auth/login", R"({"username":")" + username + R"(","password":"quiet river lantern 7")" + second + "}",
                         "Content-Type: application/json\r\n");
    if (login.status != 200) return "";
    std::string cookie = login.headers.substr(login.headers.find("haven_session=") + 14);
    return cookie.substr(0, cookie.find(';'));
}

}  // namespace haven::testing
