// The request target and the router: any bytes as a target must yield a Target or a 400, and routing
// a parsed target must not crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/router.hpp"
#include "http/target.hpp"

using namespace haven::http;

static const Router& router() {
    static Router r = [] {
        Router r;
        auto ok = [](Request&) -> haven::Result<Response> { return Response::text(200, "ok"); };
        r.get("/", "public", ok);
        r.get("/healthz", "public", ok);
        r.get("/assets/{file}", "public", ok);
        r.get("/api/v1/items/{id}", "public", ok);
        r.get("/api/v1/items/new", "public", ok);
        r.post("/api/v1/items", "public", ok);
        r.get("/a/{x}/b/{y}", "public", ok);
        return r;
    }();
    return r;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view raw(reinterpret_cast<const char*>(data), size);
    auto target = parse_target(raw);
    if (!target.ok()) return 0;
    for (const char* method : {"GET", "POST", "HEAD", "DELETE"}) {
        auto m = router().match(method, target->segments);
        if (m.route) {
            Request q;
            q.params = m.params;
            (void)m.route->handler(q);
        }
    }
    return 0;
}
