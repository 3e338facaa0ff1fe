#include "modules/system/handlers.hpp"

namespace haven::system {

Result<Response> health_show(Request&) {
    // Sealing arrives with the vault; until then a serving process is always unsealed.
    return Response::json(200, R"({"status":"ok","sealed":false})");
}

}  // namespace haven::system
