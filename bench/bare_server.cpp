#include "bare_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

namespace haven::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

struct Bare {
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    asio::awaitable<void> serve(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        beast::error_code ec;
        for (;;) {
            http::request<http::string_body> req;
            co_await http::async_read(stream, buffer, req, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;
            http::response<http::string_body> res{http::status::ok, req.version()};
            for (auto& [k, v] : headers) res.insert(k, v);
            res.body() = body;
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
            if (ec || !req.keep_alive()) break;
        }
        stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    }

    asio::awaitable<void> accept() {
        for (;;) {
            beast::error_code ec;
            tcp::socket s = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            s.set_option(tcp::no_delay(true), ec);
            asio::co_spawn(io, serve(std::move(s)), asio::detached);
        }
    }
};

}  // namespace

uint16_t start_bare_server(std::vector<std::pair<std::string, std::string>> headers, std::string body) {
    auto* bare = new Bare;  // lives as long as the benchmark process
    bare->headers = std::move(headers);
    bare->body = std::move(body);
    tcp::endpoint ep{asio::ip::make_address("127.0.0.1"), 0};
    bare->acceptor.open(ep.protocol());
    bare->acceptor.bind(ep);
    bare->acceptor.listen();
    asio::co_spawn(bare->io, bare->accept(), asio::detached);
    std::thread([bare] { bare->io.run(); }).detach();
    return bare->acceptor.local_endpoint().port();
}

}  // namespace haven::bench
