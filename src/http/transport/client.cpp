#include "http/transport/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

namespace haven::http::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

std::string Reply::header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (std::equal(k.begin(), k.end(), name.begin(), name.end(), [](char a, char b) { return std::tolower(a) == std::tolower(b); })) return v;
    return {};
}

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

    // Every step asynchronous under the stream's deadline (a synchronous Beast read ignores timeouts: a server
    // that accepts and never answers would hold the caller for ever). Plain callbacks, all on this thread's
    // io_context, referring to the locals below, which outlive run_for. (No coroutines: clang 14 cannot build
    // them with the fuzzers' instrumentation.)
    asio::io_context io;
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    if (tls) {
        ctx.set_default_verify_paths();
        if (!to.ca_file.empty()) {
            boost::system::error_code ec;
            ctx.load_verify_file(to.ca_file, ec);
            if (ec) return make_error(ErrorKind::invalid, "bad_ca", "Cannot read the CA file.", "ca-file");
        }
        ctx.set_verify_mode(asio::ssl::verify_peer);
    }
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream plain(io);
    beast::ssl_stream<beast::tcp_stream> secure(io, ctx);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    std::optional<Result<Reply>> result;
    auto failed = [&](const beast::error_code& ec) {
        result = make_error(ErrorKind::unavailable, "unreachable", "The server cannot be reached: " + ec.message() + ".", "server");
    };
    auto exchange = [&](auto& stream) {
        bhttp::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
            if (ec) return failed(ec);
            bhttp::async_read(stream, buffer, parser, [&](beast::error_code ec, std::size_t) {
                if (ec) return failed(ec);
                auto res = parser.release();
                Reply out{int(res.result_int()), std::move(res.body()), {}};
                for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
                result = std::move(out);
            });
        });
    };
    if (tls && !SSL_set_tlsext_host_name(secure.native_handle(), host.c_str()))
        return make_error(ErrorKind::unavailable, "tls", "Cannot set the TLS server name.");
    if (tls) secure.set_verify_callback(asio::ssl::host_name_verification(host));
    resolver.async_resolve(host, port, [&](beast::error_code ec, const asio::ip::tcp::resolver::results_type& endpoints) {
        if (ec) return failed(ec);
        if (!tls) {
            plain.expires_after(deadline);
            plain.async_connect(endpoints, [&](beast::error_code ec, const asio::ip::tcp::endpoint&) {
                if (ec) return failed(ec);
                exchange(plain);
            });
            return;
        }
        beast::get_lowest_layer(secure).expires_after(deadline);
        beast::get_lowest_layer(secure).async_connect(endpoints, [&](beast::error_code ec, const asio::ip::tcp::endpoint&) {
            if (ec) return failed(ec);
            secure.async_handshake(asio::ssl::stream_base::client, [&](beast::error_code ec) {
                if (ec) return failed(ec);
                exchange(secure);
            });
        });
    });
    io.run_for(deadline + std::chrono::seconds(1));  // the resolver has no deadline of its own
    if (!result) return make_error(ErrorKind::unavailable, "timeout", "The server did not answer in time.", "server");
    return std::move(*result);
}

}  // namespace haven::http::client
