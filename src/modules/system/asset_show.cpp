#include "modules/system/handlers.hpp"
#include "web/assets.hpp"

namespace haven::system {

Result<Response> asset_show(Request& request) {
    const web::Asset* asset = web::find_asset(request.params.at("file"));
    if (!asset) return make_error(ErrorKind::not_found, "not_found", "There is no such asset.");
    Response r = Response::text(200, std::string(asset->body), asset->content_type);
    r.set_header("Cache-Control", "public, max-age=31536000, immutable");
    return r;
}

}  // namespace haven::system
