#include <algorithm>
#include <charconv>
#include <ctime>

#include "emergency/client/common.hpp"
#include "emergency/client/operator.hpp"

namespace haven::emergency::client {

namespace json = boost::json;
using http::client::Endpoint;
using http::client::Reply;

void Operator::save() const {
    if (auto s = save_state(path, passphrase, state); !s) fail(s.error().message);
}

namespace {

// What the hub said, in words rather than its JSON.
std::string said(const Reply& r) {
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    if (!ec && v.is_object())
        if (const auto* e = v.as_object().if_contains("error"); e && e->is_object())
            if (const auto* m = e->as_object().if_contains("message"); m && m->is_string()) return std::string(m->as_string());
    if (!ec && v.is_object())
        if (const auto* m = v.as_object().if_contains("message"); m && m->is_string()) return std::string(m->as_string());
    return r.body.substr(0, 200);
}

}  // namespace

Reply call(const json::object& state, const std::string& method, const std::string& target, const std::string& body, const std::string& type,
           const std::vector<std::pair<std::string, std::string>>& headers, std::vector<int> allowed) {
    Endpoint to{hex_of(state, "server"), hex_of(state, "token"), hex_of(state, "ca_file")};
    auto r = request(to, method, target, body, type, headers);
    if (!r) fail("the hub at " + to.base + " did not answer (" + r.error().message + ")");
    if (r->status == 401) fail("the hub refused this device's token (401): make a new one (haven token create) and run `haven-operator token NEW`");
    if (r->status >= 400 && std::find(allowed.begin(), allowed.end(), r->status) == allowed.end())
        fail(method + " " + target + ": " + std::to_string(r->status) + " " + said(*r));
    return std::move(*r);
}

void check_token(const std::string& server, const std::string& token, const std::string& ca_file) {
    auto r = request(Endpoint{server, token, ca_file}, "GET", "/api/v1/network/enrolments");
    if (!r) fail("the hub at " + server + " did not answer (" + r.error().message + ")");
    if (r->status == 401) fail("the hub refused this token (401): check it, or make one with `haven token create` for an emergency_operator account");
    if (r->status == 403) fail("this token's account may not operate the network (403): it needs the emergency_operator role");
    if (r->status != 200) fail("the hub answered " + std::to_string(r->status) + " to the token check: " + said(*r));
}

RosterRead read_roster(const json::object& state) {
    auto r = call(state, "GET", "/api/v1/network/roster");
    RosterRead out;
    const std::string etag = r.header("ETag");
    if (etag.size() > 2) {
        auto [p, ec] = std::from_chars(etag.data() + 1, etag.data() + etag.size() - 1, out.version);
        if (ec != std::errc()) fail("the hub sent a roster version that is not a number: " + etag);
    }
    if (r.body.empty()) return out;
    auto opened = open_secret(hex(state, "roster_key"), r.body);
    if (!opened) fail("the roster does not open with this device's roster key (another organisation's state?)");
    out.members = json::parse(*opened).at("members").as_array();
    return out;
}

void write_roster(const json::object& state, const RosterRead& roster) {
    const Bytes sealed = seal_secret(hex(state, "roster_key"), json::serialize(json::object{{"members", roster.members}}));
    call(state, "PUT", "/api/v1/network/roster", sealed, "application/octet-stream", {{"If-Match", "\"" + std::to_string(roster.version) + "\""}});
}

Lists lists_of(const json::object& state) {
    const std::string kept = hex_of(state, "lists");
    if (kept.empty()) return {};
    return must(parse_lists(kept));
}

std::string members(size_t n) { return std::to_string(n) + (n == 1 ? " member" : " members"); }

namespace {
std::string formatted(int64_t epoch_ms, const char* format) {
    const std::time_t t = std::time_t(epoch_ms / 1000);
    std::tm local{};
    localtime_r(&t, &local);
    char buf[64];
    std::strftime(buf, sizeof buf, format, &local);
    return buf;
}
}  // namespace

std::string clock_time(int64_t epoch_ms) { return formatted(epoch_ms, "%H:%M"); }
std::string date_of(int64_t epoch_ms) { return formatted(epoch_ms, "%Y-%m-%d"); }

}  // namespace haven::emergency::client
