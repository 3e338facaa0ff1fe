#include "http/transport/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
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

namespace {

bool in(uint32_t address, uint32_t network, int bits) { return bits == 0 || (address >> (32 - bits)) == (network >> (32 - bits)); }

bool public_v4(const std::array<unsigned char, 4>& b) {
    const uint32_t a = uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3];
    // IANA's special-purpose registry (RFC 6890 and successors): none of these is a stranger's web server.
    static constexpr std::pair<uint32_t, int> special[] = {{0x00000000, 8},  {0x0a000000, 8},  {0x64400000, 10}, {0x7f000000, 8},  {0xa9fe0000, 16},
                                                           {0xac100000, 12}, {0xc0000000, 24}, {0xc0000200, 24}, {0xc0586300, 24}, {0xc0a80000, 16},
                                                           {0xc6120000, 15}, {0xc6336400, 24}, {0xcb007100, 24}, {0xe0000000, 4},  {0xf0000000, 4}};
    for (auto [network, bits] : special)
        if (in(a, network, bits)) return false;
    return true;
}

bool public_v6(const std::array<unsigned char, 16>& b) {
    auto v4 = [&](size_t at) { return public_v4({b[at], b[at + 1], b[at + 2], b[at + 3]}); };
    auto prefix = [&](std::initializer_list<unsigned char> p) { return std::equal(p.begin(), p.end(), b.begin()); };
    if (prefix({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff})) return v4(12);     // ::ffff:a.b.c.d (mapped)
    if (prefix({0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) return v4(12);  // 64:ff9b::/96 (NAT64)
    if (prefix({0x20, 0x02})) return v4(2);                                    // 2002::/16 (6to4)
    // Only global unicast (2000::/3) is public; within it, IETF assignments (2001::/23, Teredo among them),
    // documentation (2001:db8::/32) and the local NAT64 prefix are not. Loopback, ::, ULA, link-local and
    // multicast all fall outside 2000::/3.
    if ((b[0] & 0xe0) != 0x20) return false;
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02) return false;
    if (prefix({0x20, 0x01, 0x0d, 0xb8})) return false;
    if (prefix({0x3f, 0xff})) return false;  // 3fff::/20 documentation (RFC 9637)
    return true;
}

bool public_endpoint(const asio::ip::address& a) { return a.is_v4() ? public_v4(a.to_v4().to_bytes()) : public_v6(a.to_v6().to_bytes()); }

}  // namespace

std::optional<bool> public_address(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string text(host);
    std::array<unsigned char, 4> v4{};
    std::array<unsigned char, 16> v6{};
    if (inet_pton(AF_INET, text.c_str(), v4.data()) == 1) return public_v4(v4);
    if (inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) return public_v6(v6);
    return std::nullopt;
}

Result<Reply> request(const Endpoint& to, const std::string& method, const std::string& target, const std::string& body,
                      const std::string& content_type, const std::vector<std::pair<std::string, std::string>>& headers) {
    const bool tls = to.base.rfind("https://", 0) == 0;
    if (!tls && to.base.rfind("http://", 0) != 0)
        return make_error(ErrorKind::invalid, "bad_server", "The server address starts with https:// or http://.", "server");
    std::string rest = to.base.substr(tls ? 8 : 7);
    // A base may carry a path (a webhook's URL): it prefixes the target.
    std::string path;
    if (const size_t slash = rest.find('/'); slash != std::string::npos) {
        path = rest.substr(slash);
        rest = rest.substr(0, slash);
    }
    while (!path.empty() && path.back() == '/' && !target.empty()) path.pop_back();
    const std::string full_target = path + target;
    // An IPv6 literal is bracketed ("[2001:db8::1]:8443"): its port follows the bracket.
    const size_t close = rest.rfind(']');
    size_t colon = rest.rfind(':');
    if (close != std::string::npos && (colon == std::string::npos || colon < close)) colon = std::string::npos;
    std::string host = colon == std::string::npos ? rest : rest.substr(0, colon);
    const std::string port = colon == std::string::npos ? (tls ? "443" : "80") : rest.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) return make_error(ErrorKind::invalid, "bad_server", "The address names no host.", "server");

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
        // The addresses checked here are the ones connected to: no second lookup for a rebinding DNS to answer.
        if (to.public_only)
            for (const auto& e : endpoints)
                if (!public_endpoint(e.endpoint().address())) {
                    result = make_error(ErrorKind::forbidden, "refused_target",
                                        "This address leads to a private, loopback or link-local network, which Haven does not call.", "address");
                    return;
                }
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
