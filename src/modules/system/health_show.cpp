#include "modules/system/handlers.hpp"

namespace haven::system {

Result<Response> health_show(Request&, bool sealed) {
    return Response::json(200, sealed ? R"({"status":"ok","sealed":true})" : R"({"status":"ok","sealed":false})");
}

}  // namespace haven::system
