#include <charconv>

#include "emergency/lists.hpp"
#include "http/api.hpp"
#include "http/form.hpp"
#include "http/params.hpp"
#include "modules/network/handlers.hpp"

namespace haven::network {

using http::json_body;
using http::ok;
namespace json = boost::json;

namespace {

Result<Bytes> hex_in(const json::object& body, const char* name, size_t max_bytes) {
    HAVEN_TRY(text, http::text(body, name, max_bytes * 2));
    auto bytes = from_hex(text);
    if (!bytes || bytes->empty()) return invalid(name, std::string(name) + " must be hex.");
    return *bytes;
}

Result<SignedPrekey> prekey_in(const json::object& body) {
    HAVEN_TRY(prekey, hex_in(body, "prekey", 32));
    HAVEN_TRY(signature, hex_in(body, "signature", 64));
    const auto* n = body.if_contains("not_after");
    if (!n || !n->is_int64() || n->get_int64() <= 0) return invalid("not_after", "not_after is the prekey's expiry, epoch milliseconds.");
    return SignedPrekey{prekey, n->get_int64(), signature};
}

Result<Bytes> octets(const Request& request) {
    if (!request.header("Content-Type").starts_with("application/octet-stream"))
        return make_error(ErrorKind::unsupported_media, "unsupported_media_type", "Send the bytes as application/octet-stream.");
    return request.body;
}

Response bytes(Bytes b) { return Response::text(200, std::move(b), "application/octet-stream"); }

int64_t number(std::string_view text, int64_t fallback) {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    return ec == std::errc() && p == text.data() + text.size() ? n : fallback;
}

Error nothing_here() { return make_error(ErrorKind::not_found, "not_found", "There is nothing at this address."); }

}  // namespace

Result<Response> api_enrolment(Request& request, Context& c) {
    HAVEN_TRY(body, json_body(request));
    // The keys the code's link fingerprints: both or neither (an older client sends "{}").
    std::optional<store::CodeKeys> keys;
    if (body.contains("org_pk") || body.contains("box_pk")) {
        HAVEN_TRY(org, hex_in(body, "org_pk", 32));
        HAVEN_TRY(box, hex_in(body, "box_pk", 32));
        keys = store::CodeKeys{org, box, {}};
    }
    HAVEN_TRY(e, c.network.new_enrolment(*request.principal, keys));
    return ok(201, json::object{{"id", e.id}, {"code", e.code}, {"expires_at", e.expires_at}});
}

// The operators' lists of regions and skills for the member who will use this code, sealed under the code
// (network/lists.hpp): opaque here, handed out with the code's keys.
Result<Response> api_code_lists(Request& request, Context& c) {
    HAVEN_TRY(id, http::id_param(request, "id"));
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(lists, hex_in(body, "lists", emergency::max_sealed_lists));
    if (auto s = c.network.set_code_lists(*request.principal, id, lists); !s) return s.error();
    return ok(200, json::object{{"saved", true}});
}

// Anyone holding a code (no account): the keys it was made with, to check against the link's fingerprint. The
// code travels in the body, never in the URL (which logs and proxies keep).
Result<Response> api_enrolment_keys(Request& request, Context& c) {
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(code, http::text(body, "code", 100));
    HAVEN_TRY(keys, c.network.enrolment_keys(code));
    json::object out{{"org_pk", to_hex(keys.org_pk)}, {"box_pk", to_hex(keys.box_pk)}};
    if (!keys.lists.empty()) out["lists"] = to_hex(keys.lists);
    return ok(200, out);
}

Result<Response> api_codes(Request& request, Context& c) {
    HAVEN_TRY(list, c.network.open_codes(*request.principal));
    return http::items(list, [](const store::OpenCode& o) {
        return json::object{{"id", o.id}, {"created_at", o.created_at}, {"expires_at", o.expires_at}};
    });
}

Result<Response> api_code_revoke(Request& request, Context& c) {
    HAVEN_TRY(id, http::id_param(request, "id"));
    if (auto s = c.network.revoke_code(*request.principal, id); !s) return s.error();
    return ok(200, json::object{{"deleted", true}});
}

Result<Response> api_member_revoke(Request& request, Context& c) {
    if (!accounts::may(*request.principal, accounts::Action::network_operate, std::nullopt)) return accounts::role_forbids();
    const std::string& member = request.params.at("id");
    // The doorbell first, as when a device leaves: it needs the vault (503 while sealed).
    if (auto s = c.doorbells.forget(member); !s) return s.error();
    if (auto s = c.network.revoke_member(*request.principal, member); !s) return s.error();
    return ok(200, json::object{{"revoked", true}});
}

Result<Response> api_members(Request& request, Context& c) {
    HAVEN_TRY(list, c.network.members(*request.principal));
    return http::items(list, [](const MemberKey& m) {
        return json::object{{"member_id", m.member_id},
                            {"prekey", to_hex(m.prekey.prekey)},
                            {"not_after", m.prekey.not_after},
                            {"signature", to_hex(m.prekey.signature)}};
    });
}

Result<Response> api_inbox(Request& request, Context& c) {
    HAVEN_TRY(list, c.network.inbox(*request.principal));
    return http::items(list, [](const InboxItem& i) {
        return json::object{{"id", i.id}, {"created_at", i.created_at}, {"sealed", to_hex(i.sealed)}};
    });
}

Result<Response> api_inbox_drop(Request& request, Context& c) {
    HAVEN_TRY(id, http::id_param(request, "id"));
    if (auto s = c.network.drop_inbox(*request.principal, id); !s) return s.error();
    return ok(200, json::object{{"deleted", true}});
}

Result<Response> api_roster(Request& request, Context& c) {
    HAVEN_TRY(r, c.network.roster(*request.principal));
    Response out = bytes(r.blob);
    out.set_header("ETag", "\"" + std::to_string(r.version) + "\"");
    return out;
}

Result<Response> api_roster_put(Request& request, Context& c) {
    HAVEN_TRY(blob, octets(request));
    std::string match(request.header("If-Match"));
    if (match.size() >= 2 && match.front() == '"' && match.back() == '"') match = match.substr(1, match.size() - 2);
    const int64_t expected = number(match, -1);
    if (expected < 0)
        return make_error(ErrorKind::bad_request, "bad_request", "Send If-Match with the version you read (ETag; \"0\" for none).", "If-Match");
    HAVEN_TRY(version, c.network.put_roster(*request.principal, blob, expected));
    return ok(200, json::object{{"version", version}});
}

Result<Response> api_activation_create(Request& request, Context& c) {
    HAVEN_TRY(body, octets(request));
    HAVEN_TRY(query, http::Form::parse(request.query));
    HAVEN_TRY(id, c.network.create_activation(*request.principal, body, number(query.get("expires_at"), 0)));
    return ok(201, json::object{{"id", id}});
}

Result<Response> api_wraps_add(Request& request, Context& c) {
    HAVEN_TRY(wraps, octets(request));
    HAVEN_TRY(total, c.network.add_wraps(*request.principal, request.params.at("id"), wraps));
    return ok(200, json::object{{"wraps", total}});
}

Result<Response> api_publish(Request& request, Context& c) {
    HAVEN_TRY(query, http::Form::parse(request.query));
    HAVEN_TRY(p, c.network.publish(*request.principal, request.params.at("id"), query.get("urgent") == "true"));
    return ok(200, json::object{{"published", true}, {"published_at", p.published_at}, {"already", !p.now}});
}

Result<Response> api_state(Request& request, Context& c) {
    HAVEN_TRY(s, c.network.status(*request.principal, request.params.at("id")));
    json::array channels;
    for (const auto& d : c.doorbells.deliveries(request.params.at("id")))
        channels.push_back(
            json::object{{"channel", d.channel}, {"delivered", d.delivered}, {"failed", d.failed}, {"waiting", d.waiting}, {"last_at", d.last_at}});
    return ok(200, json::object{{"wraps", s.wraps},
                                {"acks", s.acks},
                                {"published_at", s.published_at},
                                {"expires_at", s.expires_at},
                                {"fetched", s.fetched},
                                {"doorbells", channels}});
}

Result<Response> api_acks(Request& request, Context& c) {
    HAVEN_TRY(list, c.network.acks(*request.principal, request.params.at("id")));
    json::array out;
    for (const auto& a : list) out.emplace_back(to_hex(a));
    return ok(200, json::object{{"items", out}});
}

Result<Response> api_register(Request& request, Context& c) {
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(code, http::text(body, "code", 100));
    HAVEN_TRY(member, http::text(body, "member_id", 32));
    HAVEN_TRY(prekey, prekey_in(body));
    HAVEN_TRY(packet, hex_in(body, "packet", 8192));
    HAVEN_TRY(r, c.network.register_member(code, member, prekey, packet));
    return ok(201, json::object{{"member_id", member}, {"token", r.token}});
}

Result<Response> api_prekey(Request& request, Context& c) {
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(prekey, prekey_in(body));
    if (auto s = c.network.rotate_prekey(request.params.at("id"), std::string(request.header("X-Member-Token")), prekey); !s) return s.error();
    return ok(200, json::object{{"rotated", true}});
}

Result<Response> api_activations(Request& request, Context& c) {
    HAVEN_TRY(query, http::Form::parse(request.query));
    const int64_t after = number(query.get("after"), 0), wait = std::min<int64_t>(number(query.get("wait"), 0), 25);
    // Read before looking, so that a publication between the two still wakes the parked poll.
    const uint64_t seen = c.network.published().generation();
    auto found = c.network.activations(after);
    if (found.empty() && wait > 0 && !request.park_over) return http::Response::park(c.network.published(), seen, std::chrono::seconds(wait));
    json::array out;
    for (const auto& a : found)
        out.push_back(json::object{{"id", a.id}, {"size", a.size}, {"published_at", a.published_at}, {"expires_at", a.expires_at}});
    return ok(200, json::object{{"items", out}});
}

Result<Response> api_body(Request& request, Context& c) {
    auto b = c.network.body(request.params.at("id"));
    if (!b) return nothing_here();
    return bytes(std::move(*b));
}

Result<Response> api_wrap(Request& request, Context& c) {
    auto w = c.network.wrap(request.params.at("id"), request.params.at("locator"));
    if (!w) return nothing_here();
    return bytes(std::move(*w));
}

Result<Response> api_ack(Request& request, Context& c) {
    HAVEN_TRY(sealed, octets(request));
    if (auto s = c.network.add_ack(request.params.at("id"), std::string(request.header("X-Ack-Capability")), sealed); !s) return s.error();
    return ok(201, json::object{{"received", true}});
}

Result<Response> api_queues(Request& request, Context& c) {
    if (!accounts::may(*request.principal, accounts::Action::network_operate, std::nullopt)) return accounts::role_forbids();
    return http::items(c.doorbells.queues(), [](const QueueState& q) {
        return json::object{{"channel", q.channel}, {"depth", q.depth}, {"oldest_ms", q.oldest_ms}, {"delivered", q.delivered}, {"failed", q.failed}};
    });
}

Result<Response> api_doorbell(Request& request, Context& c) {
    // Only a member's device may set one (else anyone could have the server mail strangers), and one only: a new
    // one replaces the device's last. Storage ties it to the member only through a keyed hash (Doorbells).
    const std::string member(request.header("X-Member-Id"));
    if (!c.network.is_member(member, std::string(request.header("X-Member-Token"))))
        return make_error(ErrorKind::not_found, "not_found",
                          "There is no such member: a doorbell is set by a member's device (X-Member-Id, X-Member-Token).");
    HAVEN_TRY(body, json_body(request));
    HAVEN_TRY(channel, http::text(body, "channel", 20));
    HAVEN_TRY(address, http::text(body, "address", 500));
    HAVEN_TRY(secret, http::text(body, "secret", 200));
    HAVEN_TRY(made, c.doorbells.subscribe(member, channel, address, secret));
    return ok(201, json::object{{"id", made.id}, {"token", made.token}});
}

Result<Response> api_push_key(Request& request, Context& c) {
    HAVEN_TRY(key, c.doorbells.push_key());
    return ok(200, json::object{{"key", key}});
}

Result<Response> api_member_leave(Request& request, Context& c) {
    const std::string& member = request.params.at("id");
    const std::string token(request.header("X-Member-Token"));
    if (!c.network.is_member(member, token)) return make_error(ErrorKind::not_found, "not_found", "There is no such member.");
    // The doorbell first: it needs the vault (503 while sealed), and a member gone must leave no doorbell behind.
    if (auto s = c.doorbells.forget(member); !s) return s.error();
    if (auto s = c.network.leave(member, token); !s) return s.error();
    return ok(200, json::object{{"deleted", true}});
}

Result<Response> api_doorbell_drop(Request& request, Context& c) {
    HAVEN_TRY(id, http::id_param(request, "id"));
    if (auto s = c.doorbells.unsubscribe(id, std::string(request.header("X-Doorbell-Token"))); !s) return s.error();
    return ok(200, json::object{{"deleted", true}});
}

}  // namespace haven::network
