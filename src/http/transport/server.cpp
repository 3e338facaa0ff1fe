#include "http/transport/server.hpp"

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "http/signal.hpp"

namespace haven::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

struct Server::Impl {
    ServerLimits limits;
    ServerHooks hooks;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::vector<std::thread> threads;
    std::atomic<int64_t> open{0};
    std::atomic<int64_t> queued{0};     // requests running a handler or waiting for a slot
    std::atomic<int64_t> parked{0};     // long polls waiting for their signal (no slot, no thread)
    std::atomic<size_t> body_bytes{0};  // bodies being read or handled (at most limits.max_body_bytes_in_flight)
    std::mutex slot_mutex;
    int running = 0;                          // handlers running (at most limits.workers)
    std::deque<asio::steady_timer*> waiting;  // requests waiting for a handler slot, oldest first
    std::atomic<bool> stopped{false};

    Impl(ServerLimits l, ServerHooks h) : limits(l), hooks(std::move(h)), io(l.workers + 1) {}

    awaitable<void> accept_loop();
    awaitable<void> serve_connection(tcp::socket socket);
    awaitable<bool> acquire_slot(bool admitted = false);
    void release_slot();
    bool reserve_body(size_t bytes);
    awaitable<bool> wait_parked(const Park& park, const std::chrono::steady_clock::time_point& until);
    awaitable<bool> write_response(beast::tcp_stream& stream, Response& response, unsigned version, bool keep_alive, bool head);
    awaitable<void> refuse(beast::tcp_stream& stream, int status, const char* code, const char* message);
};

namespace {

struct ConnectionCount {
    std::atomic<int64_t>& n;
    explicit ConnectionCount(std::atomic<int64_t>& c) : n(c) { ++n; }
    ~ConnectionCount() { --n; }
};

// A request's share of the body budget, given back however its iteration of the connection loop ends.
struct BodyShare {
    std::atomic<size_t>& in_flight;
    size_t bytes = 0;
    explicit BodyShare(std::atomic<size_t>& b) : in_flight(b) {}
    ~BodyShare() { in_flight -= bytes; }
};

bool header_value_safe(const std::string& v) {
    for (char c : v)
        if (c == '\r' || c == '\n' || c == '\0') return false;
    return true;
}

bhttp::response<bhttp::string_body> to_beast(Response&& r, unsigned version, bool keep_alive) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
    for (auto& [k, v] : r.headers) {
        if (!header_value_safe(k) || !header_value_safe(v)) {
            log::error("response_header_dropped", {{"reason", "control character"}});
            continue;
        }
        res.insert(k, v);
    }
    res.body() = std::move(r.body);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

}  // namespace

// Handler slots. A request runs its handler only while it holds one of limits.workers slots; the others
// wait, in order, up to limits.max_queue of them (beyond that: 503). The pool has one thread more than
// slots, so with every slot busy there is still a thread for I/O, timeouts and 503s.
// Returns false when the queue is full. A woken long poll was admitted once already and always waits (there are at
// most as many as open connections): a publication that wakes thousands must not turn them into 503s.
awaitable<bool> Server::Impl::acquire_slot(bool admitted) {
    asio::steady_timer wake(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
    {
        std::lock_guard lock(slot_mutex);
        if (running < limits.workers) {
            ++running;
            co_return true;
        }
        if (!admitted && int(waiting.size()) >= limits.max_queue) co_return false;
        waiting.push_back(&wake);
    }
    // release_slot hands its slot over by cancelling this timer (on this connection's strand, so only
    // after this coroutine has suspended here).
    beast::error_code ec;
    co_await wake.async_wait(asio::redirect_error(use_awaitable, ec));
    co_return true;
}

void Server::Impl::release_slot() {
    std::lock_guard lock(slot_mutex);
    if (waiting.empty()) {
        --running;
        return;
    }
    asio::steady_timer* next = waiting.front();
    waiting.pop_front();
    asio::post(next->get_executor(), [next] { next->cancel(); });
}

// The body budget: false when `bytes` more would pass max_body_bytes_in_flight (the request then gets 503 at once,
// before its body is read: waiting would hold a connection and its socket buffers for a share that may not come).
bool Server::Impl::reserve_body(size_t bytes) {
    size_t now = body_bytes.load();
    do {
        if (bytes > limits.max_body_bytes_in_flight || now > limits.max_body_bytes_in_flight - bytes) return false;
    } while (!body_bytes.compare_exchange_weak(now, now + bytes));
    return true;
}

// A parked request (a long poll) waits here with no slot and no thread: a timer on its connection's strand that
// its deadline ends, or the signal cancels. True when the signal woke it, false when the deadline passed.
awaitable<bool> Server::Impl::wait_parked(const Park& park, const std::chrono::steady_clock::time_point& until) {
    auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, until);
    // The listener runs on the notifying thread: it only posts the cancel to this strand (where it runs after
    // this coroutine has suspended, or finds the timer already done). Forgotten however this frame ends.
    struct Listening {
        Signal& signal;
        uint64_t ticket;
        std::atomic<int64_t>& parked;
        ~Listening() {
            signal.forget(ticket);
            --parked;
        }
    };
    ++parked;
    Listening listening{*park.signal, park.signal->listen(park.seen, [timer] { asio::post(timer->get_executor(), [timer] { timer->cancel(); }); }),
                        parked};
    beast::error_code ec;
    co_await timer->async_wait(asio::redirect_error(use_awaitable, ec));
    co_return ec == asio::error::operation_aborted && !stopped;
}

// Coroutines here take references, never non-trivial values: g++ 12 mishandles those in coroutine frames.
awaitable<bool> Server::Impl::write_response(beast::tcp_stream& stream, Response& response, unsigned version, bool keep_alive, bool head) {
    auto res = to_beast(std::move(response), version, keep_alive);
    stream.expires_after(limits.write_timeout);
    beast::error_code ec;
    if (head) {
        bhttp::response_serializer<bhttp::string_body> sr{res};
        co_await bhttp::async_write_header(stream, sr, asio::redirect_error(use_awaitable, ec));
    } else {
        co_await bhttp::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
    }
    co_return !ec;
}

// Answers, then reads and drops what the client still sends for a moment before closing ("lingering
// close"): closing with unread bytes would reset the connection and the client could lose the answer.
awaitable<void> Server::Impl::refuse(beast::tcp_stream& stream, int status, const char* code, const char* message) {
    Response response = hooks.reject(status, code, message);
    if (status == 503) response.set_header("Retry-After", "1");
    if (!co_await write_response(stream, response, 11, false, false)) co_return;
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(std::chrono::seconds(2));
    std::array<char, 16384> sink;
    for (size_t total = 0; total < 16 * 1024 * 1024;) {
        size_t n = co_await stream.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
        if (ec) break;
        total += n;
    }
}

awaitable<void> Server::Impl::serve_connection(tcp::socket socket) {
    ConnectionCount count(open);
    beast::tcp_stream stream(std::move(socket));
    beast::error_code ec;
    std::string remote;
    {
        auto ep = stream.socket().remote_endpoint(ec);
        if (!ec) remote = ep.address().to_string();
    }
    beast::flat_buffer buffer;
    while (!stopped) {
        // Wait (idle timeout) for the first byte of the next request, then give the whole header its own deadline,
        // so a client that trickles bytes cannot hold the connection open.
        if (buffer.size() == 0) {
            stream.expires_after(limits.idle_timeout);
            size_t n = co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(use_awaitable, ec));
            if (ec) break;
            buffer.commit(n);
        }
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.max_target_bytes + limits.max_header_bytes + 64));
        parser.body_limit(boost::none);  // decided below, once the header says who sends what where
        stream.expires_after(limits.header_timeout);
        co_await bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
        if (ec == bhttp::error::header_limit) {
            // No line end yet: it is the request line, so the URL, that is too long.
            std::string_view seen(static_cast<const char*>(buffer.data().data()), buffer.size());
            if (seen.find("\r\n") == std::string_view::npos || seen.find("\r\n") > limits.max_target_bytes + 16)
                co_await refuse(stream, 414, "uri_too_long", "The URL is longer than 8 KB.");
            else
                co_await refuse(stream, 431, "headers_too_large", "The request line and headers are too large.");
            break;
        }
        if (ec == beast::error::timeout) {
            co_await refuse(stream, 408, "timeout", "The request took too long to arrive.");
            break;
        }
        if (ec) {
            if (ec != bhttp::error::end_of_stream && ec != asio::error::eof && ec != asio::error::connection_reset)
                co_await refuse(stream, 400, "bad_request", "The request is not valid HTTP/1.1.");
            break;
        }
        auto& header = parser.get();
        if (header.target().size() > limits.max_target_bytes) {
            co_await refuse(stream, 414, "uri_too_long", "The URL is longer than 8 KB.");
            break;
        }
        size_t fields = 0, header_bytes = 0;
        for (const auto& f : header) {
            ++fields;
            header_bytes += f.name_string().size() + f.value().size() + 4;
        }
        if (fields > limits.max_header_fields || header_bytes > limits.max_header_bytes) {
            co_await refuse(stream, 431, "headers_too_large", "Too many header fields, or they are too large.");
            break;
        }
        Request request;
        request.method = std::string(header.method_string());
        request.target = std::string(header.target());
        request.remote_address = remote;
        request.headers.reserve(fields);
        for (const auto& f : header) request.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));

        // The body: at most max_body_bytes, unless the route takes more (matched exactly by the route table) and
        // the gate admits this caller from the header alone — so a stranger never sends a large body — and only
        // while the body budget across all connections allows. Decided before any of the body is read.
        const auto declared = parser.content_length();
        const bool chunked = parser.chunked();
        size_t body_limit = limits.max_body_bytes;
        const size_t route_limit = hooks.body_limit ? hooks.body_limit(request.method, request.target) : 0;
        if (route_limit > body_limit && (chunked || (declared && *declared > body_limit && *declared <= route_limit))) {
            ++queued;
            if (!co_await acquire_slot()) {
                --queued;
                co_await refuse(stream, 503, "busy", "The server is busy; try again shortly.");
                break;
            }
            const bool admitted = hooks.admits_large_body && hooks.admits_large_body(request);
            release_slot();
            --queued;
            if (admitted) body_limit = route_limit;
        }
        if (declared && *declared > body_limit) {
            co_await refuse(stream, 413, "body_too_large", "The request body is larger than allowed.");
            break;
        }
        BodyShare share(body_bytes);
        if (const size_t wanted = declared ? size_t(*declared) : chunked ? body_limit : 0; wanted > limits.small_body_bytes) {
            if (!reserve_body(wanted)) {
                co_await refuse(stream, 503, "busy", "The server is busy; try again shortly.");
                break;
            }
            share.bytes = wanted;
        }
        parser.body_limit(body_limit);
        if (bhttp::token_list{header[bhttp::field::expect]}.exists("100-continue")) {
            bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, header.version()};
            stream.expires_after(limits.write_timeout);
            co_await bhttp::async_write(stream, cont, asio::redirect_error(use_awaitable, ec));
            if (ec) break;
        }
        stream.expires_after(limits.body_timeout);
        co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
        if (ec == bhttp::error::body_limit) {
            co_await refuse(stream, 413, "body_too_large", "The request body is larger than allowed.");
            break;
        }
        if (ec == beast::error::timeout) {
            co_await refuse(stream, 408, "timeout", "The request body took too long to arrive.");
            break;
        }
        if (ec) {
            if (ec != bhttp::error::partial_message && ec != asio::error::eof && ec != asio::error::connection_reset)
                co_await refuse(stream, 400, "bad_request", "The request body is not valid.");
            break;
        }

        auto& message = parser.get();
        const unsigned version = message.version();
        const bool keep_alive = message.keep_alive();
        const bool head = message.method() == bhttp::verb::head;
        request.body = std::move(message.body());

        ++queued;
        if (!co_await acquire_slot()) {
            --queued;
            Response busy = hooks.reject(503, "busy", "The server is busy; try again shortly.");
            busy.set_header("Retry-After", "1");
            co_await write_response(stream, busy, version, false, false);
            break;
        }
        // The handler runs here, synchronously, on one of the pool's threads (this connection's strand).
        Response response = hooks.handle(request);
        release_slot();
        --queued;
        // A long poll parks without its slot until its signal or its first deadline, then asks the handler again.
        std::optional<std::chrono::steady_clock::time_point> until;
        while (response.parked) {
            if (request.park_over) {  // parked again once its wait was over: a handler bug, answered rather than spun on
                log::error("parked_after_deadline", {});
                response = hooks.reject(500, "internal_error", "Something went wrong on our side.");
                break;
            }
            const Park park = *response.parked;
            until = std::min(until.value_or(park.until), park.until);
            if (!co_await wait_parked(park, *until)) request.park_over = true;
            if (stopped) break;
            ++queued;
            co_await acquire_slot(true);
            response = hooks.handle(request);
            release_slot();
            --queued;
        }
        if (response.parked) break;  // stopping

        if (!co_await write_response(stream, response, version, keep_alive, head)) break;
        if (!keep_alive) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream.socket().close(ec);
}

awaitable<void> Server::Impl::accept_loop() {
    for (;;) {
        beast::error_code ec;
        // Each connection gets its own strand: its coroutine and its timers never run concurrently.
        tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(io), asio::redirect_error(use_awaitable, ec));
        if (ec) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
            // Out of file descriptors and the like: log, breathe, go on.
            log::warn("accept_failed", {{"error", ec.message()}});
            asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
            co_await t.async_wait(asio::redirect_error(use_awaitable, ec));
            continue;
        }
        if (open.load() >= limits.max_connections) {
            socket.close(ec);
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        auto executor = socket.get_executor();
        asio::co_spawn(executor, serve_connection(std::move(socket)), asio::detached);
    }
}

Server::Server(ServerLimits limits, ServerHooks hooks) : impl_(std::make_unique<Impl>(limits, std::move(hooks))) {}

Server::~Server() { stop(); }

uint16_t Server::listen(const std::string& host, uint16_t port) {
    auto address = asio::ip::make_address(host);
    tcp::endpoint endpoint{address, port};
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen(asio::socket_base::max_listen_connections);
    asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
    return impl_->acceptor.local_endpoint().port();
}

void Server::start() {
    for (int i = 0; i <= impl_->limits.workers; ++i) impl_->threads.emplace_back([this] { impl_->io.run(); });
}

void Server::run_until_signal() {
    asio::signal_set signals(impl_->io, SIGINT, SIGTERM);
    signals.async_wait([this](const beast::error_code& ec, int sig) {
        if (!ec) log::info("signal", {{"signal", sig}});
        impl_->stopped = true;
        beast::error_code ignored;
        impl_->acceptor.close(ignored);
        impl_->io.stop();
    });
    for (int i = 1; i <= impl_->limits.workers; ++i) impl_->threads.emplace_back([this] { impl_->io.run(); });
    impl_->io.run();
    stop();
}

void Server::stop() {
    if (!impl_) return;
    impl_->stopped = true;
    asio::post(impl_->io, [this] {
        beast::error_code ignored;
        impl_->acceptor.close(ignored);
    });
    impl_->io.stop();
    for (auto& t : impl_->threads)
        if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
    impl_->threads.clear();
}

ServerStats Server::stats() const { return {impl_->open.load(), impl_->queued.load(), impl_->parked.load(), int64_t(impl_->body_bytes.load())}; }

}  // namespace haven::http
