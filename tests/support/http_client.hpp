// A small blocking HTTP/1.1 client over loopback for tests and benchmarks: raw bytes in, status and
// headers out. Deliberately independent of the server's code, so it can send what a browser would not.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>

namespace haven::testing {

struct HttpReply {
    int status = 0;  // 0: the connection closed (or timed out) without a response
    std::string headers;
    std::string body;
    std::string header(const std::string& name) const {
        std::string lower_headers, lower_name = name;
        for (char c : headers) lower_headers += char(std::tolower((unsigned char)c));
        for (auto& c : lower_name) c = char(std::tolower((unsigned char)c));
        auto p = lower_headers.find("\r\n" + lower_name + ":");
        if (p == std::string::npos) return {};
        p += 3 + name.size();
        auto e = headers.find("\r\n", p);
        std::string v = headers.substr(p, e - p);
        while (!v.empty() && v.front() == ' ') v.erase(0, 1);
        return v;
    }
};

class Connection {
public:
    explicit Connection(uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(fd_);
            fd_ = -1;
        }
        int one = 1;
        if (fd_ >= 0) setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    ~Connection() {
        if (fd_ >= 0) ::close(fd_);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool ok() const { return fd_ >= 0; }

    // Sends everything it can; false when the peer closed.
    bool send(const std::string& bytes) {
        size_t off = 0;
        while (off < bytes.size()) {
            ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += size_t(n);
        }
        return true;
    }
    void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

    // Reads one response (Content-Length bodies), waiting at most `timeout_ms`.
    HttpReply read_reply(int timeout_ms = 5000) {
        HttpReply reply;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        size_t header_end;
        while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
            if (!fill(deadline)) return reply;
        }
        reply.headers = buffer_.substr(0, header_end + 2);
        if (reply.headers.size() > 12) reply.status = std::atoi(reply.headers.c_str() + 9);
        size_t length = 0;
        if (auto cl = reply.header("Content-Length"); !cl.empty()) length = std::stoul(cl);
        if (reply.headers.rfind("HTTP/1.1 100", 0) == 0) {
            buffer_.erase(0, header_end + 4);
            return read_reply(timeout_ms);
        }
        while (buffer_.size() < header_end + 4 + length)
            if (!fill(deadline)) break;
        reply.body = buffer_.substr(header_end + 4, length);
        buffer_.erase(0, std::min(buffer_.size(), header_end + 4 + length));
        return reply;
    }

    // True when the server closed the connection within `timeout_ms` (reading and dropping any bytes).
    bool closed_within(int timeout_ms) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p{fd_, POLLIN, 0};
            int left = int(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
            if (::poll(&p, 1, std::max(left, 1)) <= 0) continue;
            char buf[4096];
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) return true;
        }
        return false;
    }

private:
    bool fill(std::chrono::steady_clock::time_point deadline) {
        int left = int(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
        if (left <= 0) return false;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, left) <= 0) return false;
        char buf[16384];
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return false;
        buffer_.append(buf, size_t(n));
        return true;
    }

    int fd_ = -1;
    std::string buffer_;
};

// One request on a fresh connection; the reply awaited at most `timeout_ms` (longer for work that is slow under
// the sanitizers, such as checking 2,000 imported people against those recorded).
inline HttpReply request(uint16_t port, const std::string& method, const std::string& target, const std::string& body = {},
                         const std::string& extra_headers = {}, int timeout_ms = 5000) {
    Connection c(port);
    if (!c.ok()) return {};
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra_headers;
    if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n" + body;
    c.send(req);
    return c.read_reply(timeout_ms);
}

// A request as a signed-in browser or script sends it: the session cookie, the CSRF cookie and header, and
// the body's type when there is one.
inline HttpReply signed_request(uint16_t port, const std::string& method, const std::string& target, const std::string& session,
                                const std::string& csrf, const std::string& body = {}, const std::string& type = "application/json",
                                int timeout_ms = 5000) {
    std::string headers = "Cookie: __Host-haven_session=" + session + "; __Host-haven_csrf=" + csrf + "\r\nX-CSRF-Token: " + csrf + "\r\n";
    if (!body.empty()) headers += "Content-Type: " + type + "\r\n";
    return request(port, method, target, body, headers, timeout_ms);
}

}  // namespace haven::testing
