// The HTTP server: the only place that knows Beast and Asio (and the only place with coroutines).
// It reads requests within the limits below and runs the handler, a plain synchronous function, on a
// bounded pool of threads that also drive the I/O (one strand per connection; at most `workers`
// handlers at once, one thread kept free for I/O), then writes the Response back. A handler may park a request
// (a long poll, see Park in http/message.hpp): it then waits here on a timer, holding neither a thread nor a
// slot. Everything it refuses itself goes through `reject`, so those answers look like every other error.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace haven::http {

struct ServerLimits {
    size_t max_target_bytes = 8 * 1024;   // request line target (414 beyond)
    size_t max_header_bytes = 8 * 1024;   // all header fields together (431 beyond)
    size_t max_header_fields = 100;       // (431 beyond)
    size_t max_body_bytes = 1024 * 1024;  // (413 beyond), unless the route takes more and admits the caller
    // Body bytes being read and held, across all connections: a request whose body would pass it gets 503 at
    // once, before any of its body is read (a Content-Length counts whole; a chunked body counts its limit).
    size_t max_body_bytes_in_flight = 64 * 1024 * 1024;
    // Bodies up to this size (a login, a member's answer, an unseal, a form) are not counted against the budget
    // above, so a stranger who fills it with large bodies cannot stop them.
    size_t small_body_bytes = 64 * 1024;
    std::chrono::seconds header_timeout{10};  // from the first byte of a request to its last header byte
    std::chrono::seconds body_timeout{30};    // to read the whole body
    std::chrono::seconds write_timeout{30};   // to write the whole response
    std::chrono::seconds idle_timeout{60};    // a kept-alive connection with no request
    int max_connections = 10000;              // parked long polls count here: one member device each
    int max_queue = 256;                      // requests waiting for a handler slot (503 beyond)
    int workers = 8;                          // handlers running at once; the pool has one thread more, kept for I/O
};

struct ServerHooks {
    // Runs on a worker thread. Must not throw (the pipeline catches).
    std::function<Response(Request&)> handle;
    // Builds the answer to a request the transport refuses itself (status, stable code, message).
    std::function<Response(int status, const std::string& code, const std::string& message)> reject;
    // Asked once the header is read, before any of the body: the most body bytes the route of this method and raw
    // target takes (0: max_body_bytes). No I/O. Without it every request is held to max_body_bytes.
    std::function<size_t(std::string_view method, std::string_view target)> body_limit;
    // Asked, in a handler slot, when a request would send more than max_body_bytes to a route that takes more:
    // whether this caller may (decided from the header alone). When not, it is held to max_body_bytes.
    std::function<bool(const Request& header_only)> admits_large_body;
};

struct ServerStats {
    int64_t open_connections = 0;
    int64_t queued_requests = 0;
    int64_t parked_requests = 0;       // long polls waiting (see Park)
    int64_t body_bytes_in_flight = 0;  // request bodies being read or handled (see max_body_bytes_in_flight)
};

class Server {
public:
    Server(ServerLimits limits, ServerHooks hooks);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and starts listening; returns the port (useful with port 0). Throws if it cannot bind.
    uint16_t listen(const std::string& host, uint16_t port);
    // Serves on background threads until stop().
    void start();
    // Serves on this thread (and `workers` more) until SIGINT/SIGTERM or stop().
    void run_until_signal();
    void stop();
    ServerStats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace haven::http
