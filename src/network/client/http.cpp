#include "network/client/http.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <cctype>

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

template <class Stream>
Reply exchange(Stream& stream, bhttp::request<bhttp::string_body>& req) {
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    bhttp::read(stream, buffer, parser);
    auto res = parser.release();
    Reply out{int(res.result_int()), std::move(res.body()), {}};
    for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    return out;
}

}  // namespace

Result<Reply> request(const Endpoint& to, const std::string& method, const std::string& target, const std::string& body, const std::string& content_type,
                      const std::vector<std::pair<std::string, std::string>>& headers) {
    const bool tls = to.base.rfind("https://", 0) == 0;
    if (!tls && to.base.rfind("http://", 0) != 0) return make_error(ErrorKind::invalid, "bad_server", "The server address starts with https:// or http://.", "server");
    std::string rest = to.base.substr(tls ? 8 : 7);
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    const size_t colon = rest.rfind(':');
    const std::string host = colon == std::string::npos ? rest : rest.substr(0, colon);
    const std::string port = colon == std::string::npos ? (tls ? "443" : "80") : rest.substr(colon + 1);
    try {
        asio::io_context io;
        asio::ip::tcp::resolver resolver(io);
        const auto endpoints = resolver.resolve(host, port);
        bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
        req.set(bhttp::field::host, rest);
        req.set(bhttp::field::user_agent, "haven-network-client");
        if (!to.bearer.empty()) req.set(bhttp::field::authorization, "Bearer " + to.bearer);
        if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
        for (const auto& [k, v] : headers) req.set(k, v);
        req.body() = body;
        req.prepare_payload();
        const auto deadline = std::chrono::seconds(to.timeout_seconds);
        if (!tls) {
            beast::tcp_stream stream(io);
            stream.expires_after(deadline);
            stream.connect(endpoints);
            return exchange(stream, req);
        }
        asio::ssl::context ctx(asio::ssl::context::tls_client);
        ctx.set_default_verify_paths();
        if (!to.ca_file.empty()) ctx.load_verify_file(to.ca_file);
        ctx.set_verify_mode(asio::ssl::verify_peer);
        beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
        if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) return make_error(ErrorKind::unavailable, "tls", "Cannot set the TLS server name.");
        stream.set_verify_callback(asio::ssl::host_name_verification(host));
        beast::get_lowest_layer(stream).expires_after(deadline);
        beast::get_lowest_layer(stream).connect(endpoints);
        stream.handshake(asio::ssl::stream_base::client);
        return exchange(stream, req);
    } catch (const std::exception& e) {
        return make_error(ErrorKind::unavailable, "unreachable", std::string("The server cannot be reached: ") + e.what(), "server");
    }
}

}  // namespace haven::network::client
