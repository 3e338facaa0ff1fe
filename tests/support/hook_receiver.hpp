// A webhook target on loopback for the doorbell tests that count rings rather than check signatures
// (tests/interop/webhook_receiver.py checks those): it answers every POST 200 at once and counts each
// Idempotency-Key it is sent. One accept at a time, with a deep backlog: many deliverers, of several processes,
// may connect together.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace haven::testing {

class HookReceiver {
public:
    // `pause`: how long each answer takes (a slower target, so that rings are still waiting a moment later).
    explicit HookReceiver(std::chrono::milliseconds pause = {}) : pause_(pause) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t n = sizeof a;
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 1024) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &n) != 0)
            return;
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { run(); });
    }
    ~HookReceiver() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        ::close(fd_);
    }
    uint16_t port() const { return port_; }
    std::map<std::string, int> keys() const {
        std::lock_guard lock(mutex_);
        return keys_;
    }
    size_t rings() const {
        std::lock_guard lock(mutex_);
        return rings_;
    }

private:
    void run() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) continue;
            const int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) continue;
            answer(c);
            ::close(c);
        }
    }
    void answer(int c) {
        std::string in;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        size_t end = std::string::npos, length = 0;
        while (std::chrono::steady_clock::now() < deadline) {
            if (end == std::string::npos && (end = in.find("\r\n\r\n")) != std::string::npos) {
                std::string lower;
                for (char ch : in.substr(0, end)) lower += char(std::tolower((unsigned char)ch));
                if (auto at = lower.find("\r\ncontent-length:"); at != std::string::npos) length = std::stoul(lower.substr(at + 17));
            }
            if (end != std::string::npos && in.size() >= end + 4 + length) break;
            pollfd p{c, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) continue;
            char buf[4096];
            const ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0) return;
            in.append(buf, size_t(n));
        }
        if (end == std::string::npos) return;
        std::string key;
        std::string lower;
        for (char ch : in.substr(0, end)) lower += char(std::tolower((unsigned char)ch));
        if (auto at = lower.find("\r\nidempotency-key:"); at != std::string::npos) {
            at += 18;
            key = in.substr(at, in.find("\r\n", at) - at);
            key.erase(0, key.find_first_not_of(' '));
        }
        std::this_thread::sleep_for(pause_);
        {
            std::lock_guard lock(mutex_);
            ++rings_;
            ++keys_[key];
        }
        const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        (void)::send(c, ok.data(), ok.size(), MSG_NOSIGNAL);
    }

    const std::chrono::milliseconds pause_;
    int fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    mutable std::mutex mutex_;
    std::map<std::string, int> keys_;
    size_t rings_ = 0;
};

}  // namespace haven::testing
