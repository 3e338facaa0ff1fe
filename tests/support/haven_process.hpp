// `haven serve` as a child process on a free port, for the tests that kill it or read the files it wrote.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

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

}  // namespace haven::testing
