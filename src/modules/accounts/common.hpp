// What the pages of accounts and of the modules that use it share about accounts: roles as words, accounts as
// options. Request and response helpers are in http/ (api.hpp, form.hpp, params.hpp), page widgets in
// web/widgets.hpp.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "modules/accounts/handlers.hpp"
#include "web/layout.hpp"

namespace haven::accounts {

inline std::string role_label(const web::PageContext& ctx, Role role) { return ctx.t("role." + std::string(role_name(role))); }

// (id, username) of the active accounts holding `role` at `site`, as options for a drop-down.
inline std::vector<std::pair<std::string, std::string>> accounts_with(accounts::Service& svc, const Principal& me, int64_t site, Role role) {
    std::vector<std::pair<std::string, std::string>> out;
    auto list = svc.accounts_at(me, site);
    if (!list) return out;
    for (const auto& a : list.value())
        for (const auto& r : a.roles)
            if (r.site_id == site && r.role == role && a.status == accounts::AccountStatus::active)
                out.emplace_back(std::to_string(a.id), a.username);
    return out;
}

}  // namespace haven::accounts
