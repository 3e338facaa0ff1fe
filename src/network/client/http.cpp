#include "network/client/http.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

namespace haven::network::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

std::string Reply::header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (std::equal(k.begin(), k.end(), name.begin(), name.end(), [](char a, char b) { return std::tolower(a) == std::tolower(b); })) return v;
    return {};
}

namespace {

// Every step asynchronous under the stream's deadline (a synchronous Beast read ignores timeouts: a server that
// accepts and never answers would hold the caller for ever).
template <class Stream>
asio::awaitable<Reply> exchange(Stream& stream, bhttp::request<bhttp::string_body>& req) {
    co_await bhttp::async_write(stream, req, asio::use_awaitable);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
    auto res = parser.release();
    Reply out{int(res.result_int()), std::move(res.body()), {}};
    for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    co_return out;
}

}  // namespace

Result<Reply> request(const Endpoint& to, const std::string& method, const std::string& target, const std::string& body, const std::string& content_type,
                      const std::vector<std::pair<std::string, std::string>>& headers) {
    const bool tls = to.base.rfind("https://", 0) == 0;
    if (!tls && to.base.rfind("http://", 0) != 0) return make_error(ErrorKind::invalid, "bad_server", "The server address starts with https:// or http://.", "server");
    std::string rest = to.base.substr(tls ? 8 : 7);
    // A base may carry a path (a webhook's URL): it prefixes the target.
    std::string path;
    if (const size_t slash = rest.find('/'); slash != std::string::npos) {
        path = rest.substr(slash);
        rest = rest.substr(0, slash);
    }
    while (!path.empty() && path.back() == '/' && !target.empty()) path.pop_back();
    const std::string full_target = path + target;
    const size_t colon = rest.rfind(':');
    const std::string host = colon == std::string::npos ? rest : rest.substr(0, colon);
    const std::string port = colon == std::string::npos ? (tls ? "443" : "80") : rest.substr(colon + 1);

    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), full_target.empty() ? "/" : full_target, 11};
    req.set(bhttp::field::host, rest);
    req.set(bhttp::field::user_agent, "haven-network-client");
    if (!to.bearer.empty()) req.set(bhttp::field::authorization, "Bearer " + to.bearer);
    if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    const auto deadline = std::chrono::seconds(to.timeout_seconds);

    asio::io_context io;
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    std::optional<Result<Reply>> result;
    auto run = [&]() -> asio::awaitable<void> {
        try {
            asio::ip::tcp::resolver resolver(io);
            const auto endpoints = co_await resolver.async_resolve(host, port, asio::use_awaitable);
            if (!tls) {
                beast::tcp_stream stream(io);
                stream.expires_after(deadline);
                co_await stream.async_connect(endpoints, asio::use_awaitable);
                result = co_await exchange(stream, req);
                co_return;
            }
            ctx.set_default_verify_paths();
            if (!to.ca_file.empty()) ctx.load_verify_file(to.ca_file);
            ctx.set_verify_mode(asio::ssl::verify_peer);
            beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
            if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) {
                result = make_error(ErrorKind::unavailable, "tls", "Cannot set the TLS server name.");
                co_return;
            }
            stream.set_verify_callback(asio::ssl::host_name_verification(host));
            beast::get_lowest_layer(stream).expires_after(deadline);
            co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
            co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
            result = co_await exchange(stream, req);
        } catch (const std::exception& e) {
            result = make_error(ErrorKind::unavailable, "unreachable", std::string("The server cannot be reached: ") + e.what(), "server");
        }
    };
    asio::co_spawn(io, run(), asio::detached);
    io.run_for(deadline + std::chrono::seconds(1));  // the resolver has no deadline of its own
    if (!result) return make_error(ErrorKind::unavailable, "timeout", "The server did not answer in time.", "server");
    return std::move(*result);
}

}  // namespace haven::network::client
