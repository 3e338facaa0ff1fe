#include "web/assets.hpp"

#include "crypto/mac.hpp"
#include "crypto/random.hpp"

#include <map>
#include <stdexcept>

#include "core/embedded.hpp"

namespace haven::web {
namespace {

struct Registry {
    std::map<std::string, Asset, std::less<>> by_file;           // "app.css"
    std::map<std::string, const Asset*, std::less<>> by_hashed;  // "app.<hash>.css"
};

std::string content_type_for(std::string_view name) {
    if (name.ends_with(".css")) return "text/css; charset=utf-8";
    if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
    if (name.ends_with(".svg")) return "image/svg+xml";
    return "application/octet-stream";
}

const Registry& registry() {
    static const Registry r = [] {
        Registry reg;
        for (const auto& f : asset_files()) {
            const std::string hex = crypto::hex(crypto::hash(std::string_view(f.data.data(), f.data.size()), 16));
            std::string name(f.name);
            auto dot = name.rfind('.');
            std::string hashed = name.substr(0, dot) + "." + hex.substr(0, 16) + name.substr(dot);
            auto& a = reg.by_file[name];
            a = Asset{"/assets/" + hashed, content_type_for(name), f.data};
            reg.by_hashed[hashed] = &a;
        }
        return reg;
    }();
    return r;
}

}  // namespace

const std::string& asset_url(std::string_view file) {
    auto& reg = registry();
    auto it = reg.by_file.find(file);
    if (it == reg.by_file.end()) throw std::logic_error("no such asset: " + std::string(file));
    return it->second.url;
}

const Asset* find_asset(std::string_view hashed_name) {
    auto& reg = registry();
    auto it = reg.by_hashed.find(hashed_name);
    return it == reg.by_hashed.end() ? nullptr : it->second;
}

}  // namespace haven::web
