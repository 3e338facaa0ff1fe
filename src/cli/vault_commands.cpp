// haven unseal --data DIR --passphrase-file F   unseals the running server (over loopback HTTP)
// haven seal --data DIR                         panic-seals it (with DATA/seal-token)
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>

#include "cli/cli.hpp"
#include "core/log.hpp"

namespace haven::cli {
namespace {

// One POST to the server this configuration serves on; returns the status (0 if unreachable) and body.
std::pair<int, std::string> post(const Config& config, const std::string& path, const std::string& body, const std::string& headers) {
    addrinfo hints{}, *res = nullptr;
    hints.ai_socktype = SOCK_STREAM;
    std::string host = config.listen_host == "0.0.0.0" ? "127.0.0.1" : config.listen_host;
    if (getaddrinfo(host.c_str(), std::to_string(config.listen_port).c_str(), &hints, &res) != 0 || !res) return {0, ""};
    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    bool connected = fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) == 0;
    freeaddrinfo(res);
    if (!connected) {
        if (fd >= 0) close(fd);
        return {0, ""};
    }
    std::string req = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\nContent-Type: application/json\r\n" + headers +
                      "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    for (size_t off = 0; off < req.size();) {
        ssize_t n = send(fd, req.data() + off, req.size() - off, MSG_NOSIGNAL);
        if (n <= 0) break;
        off += size_t(n);
    }
    std::string reply;
    char buf[4096];
    for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) reply.append(buf, size_t(n));
    close(fd);
    int status = reply.size() > 12 ? std::atoi(reply.c_str() + 9) : 0;
    auto p = reply.find("\r\n\r\n");
    return {status, p == std::string::npos ? "" : reply.substr(p + 4)};
}


int report(const std::pair<int, std::string>& r, const char* done) {
    if (r.first == 0) {
        std::cerr << "haven: no server answers at the configured listen address\n";
        return 1;
    }
    if (r.first != 200) {
        std::cerr << "haven: the server refused (" << r.first << "): " << r.second << "\n";
        return 1;
    }
    std::cout << done << "\n";
    return 0;
}

}  // namespace

void add_vault_commands(CLI::App& app, int& exit_code) {
    add_command(app, "unseal", "Unseal the running server with the passphrase file (--passphrase-file).", exit_code,
                [](const Config& config) {
                    if (config.passphrase_file.empty()) {
                        std::cerr << "haven: setting 'passphrase-file' is required\n";
                        return 2;
                    }
                    std::string body = "{\"passphrase\":";
                    log::append_json_string(body, read_secret_file(config.passphrase_file).value_or(""));
                    body += "}";
                    return report(post(config, "/api/v1/vault/unseal", body, ""), "Unsealed.");
                });
    auto* keys = app.add_subcommand("keys", "Manage the vault's keys.");
    keys->require_subcommand(1);
    auto resume = std::make_shared<bool>(false);
    auto* rotate = add_command(*keys, "rotate", "Re-seal every stored value under a new field-key version, while serving.", exit_code,
                               [resume](const Config& config) {
        std::string token = read_secret_file(config.data_dir + "/seal-token").value_or("");
        auto r = post(config, "/api/v1/vault/rotate", *resume ? R"({"resume":true})" : "{}", "X-Seal-Token: " + token + "\r\n");
        return report(r, ("Rotated: " + r.second).c_str());
    });
    rotate->add_flag("--resume", *resume, "finish an interrupted rotation without starting a new version");
    add_command(app, "seal", "Panic seal: the running server drops every key from memory at once.", exit_code,
                [](const Config& config) {
                    std::string token = read_secret_file(config.data_dir + "/seal-token").value_or("");
                    return report(post(config, "/api/v1/vault/seal", "{}", "X-Seal-Token: " + token + "\r\n"), "Sealed.");
                });
}

}  // namespace haven::cli
