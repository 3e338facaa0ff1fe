#include "outbound/doorbell_channels.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <chrono>

#include "crypto/mac.hpp"
#include "crypto/random.hpp"
#include "crypto/vault.hpp"
#include "crypto/web_push.hpp"
#include "http/transport/client.hpp"
#include "outbound/smtp.hpp"

namespace haven::outbound {

namespace {

Error failed(const std::string& why) { return make_error(ErrorKind::unavailable, "doorbell_failed", why); }

char hex_digit(int v) { return "0123456789ABCDEF"[v & 15]; }

}  // namespace

// `!opaque:server`: the opaque part from a conservative alphabet (what homeservers make: letters, digits and
// ._=+-), the server a DNS name, an IPv4 address or a bracketed IPv6 one, with an optional port; 255 bytes in all
// (the Matrix limit). Nothing else, so that no room id can reach another endpoint of the bot's homeserver.
bool valid_room_id(std::string_view id) {
    if (id.size() < 4 || id.size() > 255 || id[0] != '!') return false;
    const size_t colon = id.find(':');
    if (colon == std::string_view::npos || colon == 1) return false;
    for (char c : id.substr(1, colon - 1))
        if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("._=+-").find(c) == std::string_view::npos) return false;
    std::string_view server = id.substr(colon + 1), port;
    if (!server.empty() && server[0] == '[') {
        const size_t close = server.find(']');
        if (close == std::string_view::npos || close < 3) return false;
        for (char c : server.substr(1, close - 1))
            if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
        port = server.substr(close + 1);
    } else {
        const size_t p = server.find(':');
        port = p == std::string_view::npos ? std::string_view() : server.substr(p);
        server = server.substr(0, p);
        if (server.empty() || server.front() == '.' || server.front() == '-' || server.back() == '.' || server.back() == '-') return false;
        for (char c : server)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
    }
    if (!port.empty()) {
        if (port[0] != ':' || port.size() < 2 || port.size() > 6) return false;
        for (char c : port.substr(1))
            if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

namespace {

// Every byte outside RFC 3986's unreserved set is percent-encoded, '!' and ':' included (the Matrix
// specification's own examples encode room ids so).
std::string path_segment(std::string_view raw) {
    std::string out;
    for (unsigned char c : raw) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            out.push_back(char(c));
        else
            out += {'%', hex_digit(c >> 4), hex_digit(c)};
    }
    return out;
}

}  // namespace

std::string matrix_send_path(std::string_view room_id, std::string_view transaction_id) {
    return "/_matrix/client/v3/rooms/" + path_segment(room_id) + "/send/m.room.message/" + path_segment(transaction_id);
}

Ringer smtp_ringer(const SmtpRelay& relay) {
    // Nothing in it: no activation, no name, nothing to read but "look".
    return [relay](const Bell& bell) -> Status { return send_mail(relay, bell.address, "Haven", "Check your mailbox.", bell.idempotency_key); };
}

Ringer webhook_ringer(int timeout_seconds, bool private_targets) {
    return [timeout_seconds, private_targets](const Bell& bell) -> Status {
        const std::string body = boost::json::serialize(boost::json::object{{"event", "check_mailbox"}, {"id", bell.idempotency_key}});
        const std::string mac = crypto::hmac_sha256(bell.secret, body);
        // A stranger chose this address: every address it resolves to must be public, and is the one connected to.
        auto r = http::client::request({bell.address, "", "", timeout_seconds, !private_targets}, "POST", "", body, "application/json",
                                       {{"Idempotency-Key", bell.idempotency_key}, {"X-Haven-Signature", "sha256=" + crypto::hex(mac)}});
        if (!r) return r.error();
        if (r->status / 100 != 2) return failed("the webhook answered " + std::to_string(r->status));
        return {};
    };
}

Ringer webpush_ringer(const crypto::Vault& vault, const std::string& subject, int timeout_seconds, bool private_targets) {
    return [&vault, subject, timeout_seconds, private_targets](const Bell& bell) -> Status {
        // RFC 8292: a JWT for the push service's origin, valid 12 h (at most 24 h allowed), under the key the
        // browser subscribed with. No body (RFC 8030 with no payload): the push service learns "something arrived".
        const int64_t expires =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() + 12 * 3600;
        std::string authorization;
        try {
            HAVEN_TRY(a, crypto::vapid_authorization(*vault.subkey(crypto::KeyPurpose::web_push), bell.address, subject, expires));
            authorization = std::move(a);
        } catch (const crypto::VaultSealed&) {
            return failed("sealed");
        }
        // TTL: kept 12 h for a phone that is off; Topic: a newer ring replaces one not yet delivered.
        auto r = http::client::request({bell.address, "", "", timeout_seconds, !private_targets}, "POST", "", "", "",
                                       {{"Authorization", authorization}, {"TTL", "43200"}, {"Urgency", "high"}, {"Topic", "haven"}});
        if (!r) return r.error();
        if (r->status / 100 != 2) return failed("the push service answered " + std::to_string(r->status));
        return {};
    };
}

Ringer matrix_ringer(const std::string& homeserver, const std::string& access_token, int timeout_seconds) {
    return [homeserver, access_token, timeout_seconds](const Bell& bell) -> Status {
        // PUT …/send/m.room.message/{txnId}: the transaction id makes a retry idempotent.
        // The room id was checked at subscription and is percent-encoded here too: it stays one path segment.
        if (!valid_room_id(bell.address)) return failed("not a Matrix room id");
        auto r = http::client::request({homeserver, access_token, "", timeout_seconds}, "PUT", matrix_send_path(bell.address, bell.idempotency_key),
                                       R"({"msgtype":"m.text","body":"Check your mailbox."})", "application/json");
        if (!r) return r.error();
        if (r->status / 100 != 2) return failed("the homeserver answered " + std::to_string(r->status));
        return {};
    };
}

}  // namespace haven::outbound
