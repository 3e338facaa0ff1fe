#include "modules/system/handlers.hpp"

namespace haven::system {

Result<Response> metrics_show(Request&, const http::Metrics& metrics) {
    return Response::text(200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace haven::system
