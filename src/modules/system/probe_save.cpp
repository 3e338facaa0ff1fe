#include <boost/json.hpp>

#include "http/json.hpp"
#include "modules/system/handlers.hpp"
#include "modules/system/store.hpp"

namespace haven::system {
namespace {

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
    return true;
}

}  // namespace

Result<Response> probe_save(Request& request, storage::Database& db, const Clock& clock) {
    if (!request.header("Content-Type").starts_with("application/json"))
        return make_error(ErrorKind::unsupported_media, "unsupported_media_type", "Send the body as application/json.");
    HAVEN_TRY(body, http::parse_json(request.body));
    const auto* object = body.if_object();
    if (!object) return make_error(ErrorKind::bad_request, "bad_json", "The body must be a JSON object.");
    const auto* id = object->if_contains("id");
    if (!id || !id->is_string() || !valid_id(id->get_string()))
        return make_error(ErrorKind::invalid, "validation_failed", "id must be 1 to 64 letters, digits, '-' or '_'.", "id");
    std::string payload;
    if (const auto* p = object->if_contains("payload")) {
        if (!p->is_string() || p->get_string().size() > 1000)
            return make_error(ErrorKind::invalid, "validation_failed", "payload must be a string of at most 1000 bytes.", "payload");
        payload = p->get_string();
    }
    ProbeWrite write{std::string(id->get_string()), payload, clock.now_ms()};
    if (auto s = probe_insert(db, write); !s) return s.error();
    return Response::json(201, "{\"id\":" + boost::json::serialize(boost::json::value(write.id)) + "}");
}

Result<Response> probe_show(Request& request, storage::Database& db) {
    auto found = probe_find(db, request.params.at("id"));
    if (!found) return make_error(ErrorKind::not_found, "not_found", "No write with this id.");
    boost::json::object o{{"id", found->id}, {"payload", found->payload}, {"created_at", found->created_at}};
    return Response::json(200, boost::json::serialize(o));
}

}  // namespace haven::system
