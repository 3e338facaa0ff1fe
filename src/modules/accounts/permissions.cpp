// The permission table: which role may do what. Deny by default: an action a role is not listed for is
// refused. Checked in the services and by the gate for each route; tests/integration/authorization_test.cpp
// walks every route with every role.
#include <algorithm>
#include <array>

#include "modules/accounts/types.hpp"

namespace haven::accounts {
namespace {

struct Grant {
    Action action;
    std::vector<Role> roles;
};

const std::array<Grant, 6>& table() {
    using enum Role;
    static const std::array<Grant, 6> grants = {{
        {Action::sites_view, {administrator, coordinator}},
        {Action::sites_manage, {administrator}},
        {Action::accounts_view, {administrator, coordinator}},
        {Action::accounts_manage, {administrator}},
        {Action::vault_seal, {administrator}},
        {Action::audit_view, {administrator}},
    }};
    return grants;
}

struct Named {
    Role role;
    std::string_view name;
};
constexpr std::array<Named, 10> role_names = {{
    {Role::administrator, "administrator"},
    {Role::coordinator, "coordinator"},
    {Role::volunteer, "volunteer"},
    {Role::legal_adviser, "legal_adviser"},
    {Role::counsellor, "counsellor"},
    {Role::teacher, "teacher"},
    {Role::studio_technician, "studio_technician"},
    {Role::emergency_operator, "emergency_operator"},
    {Role::prisoner_support, "prisoner_support"},
    {Role::report_editor, "report_editor"},
}};

constexpr std::array<std::pair<Action, std::string_view>, 6> action_names = {{
    {Action::sites_view, "sites.view"},
    {Action::sites_manage, "sites.manage"},
    {Action::accounts_view, "accounts.view"},
    {Action::accounts_manage, "accounts.manage"},
    {Action::vault_seal, "vault.seal"},
    {Action::audit_view, "audit.view"},
}};

constexpr std::array<std::pair<AccountStatus, std::string_view>, 4> status_names = {{
    {AccountStatus::invited, "invited"},
    {AccountStatus::active, "active"},
    {AccountStatus::suspended, "suspended"},
    {AccountStatus::offboarded, "offboarded"},
}};

}  // namespace

const std::vector<Role>& all_roles() {
    static const std::vector<Role> roles = [] {
        std::vector<Role> r;
        for (const auto& n : role_names) r.push_back(n.role);
        return r;
    }();
    return roles;
}

std::string_view role_name(Role role) {
    for (const auto& n : role_names)
        if (n.role == role) return n.name;
    return "unknown";
}

std::optional<Role> parse_role(std::string_view name) {
    for (const auto& n : role_names)
        if (n.name == name) return n.role;
    return std::nullopt;
}

std::string_view status_name(AccountStatus status) {
    for (const auto& [s, n] : status_names)
        if (s == status) return n;
    return "unknown";
}

std::optional<AccountStatus> parse_status(std::string_view name) {
    for (const auto& [s, n] : status_names)
        if (n == name) return s;
    return std::nullopt;
}

std::string_view action_name(Action action) {
    for (const auto& [a, n] : action_names)
        if (a == action) return n;
    return "unknown";
}

std::optional<Action> parse_action(std::string_view name) {
    for (const auto& [a, n] : action_names)
        if (n == name) return a;
    return std::nullopt;
}

bool role_allows(Role role, Action action) {
    for (const auto& g : table())
        if (g.action == action) return std::find(g.roles.begin(), g.roles.end(), role) != g.roles.end();
    return false;
}

bool may(const Principal& principal, Action action, std::optional<int64_t> site_id) {
    for (const auto& r : principal.roles)
        if ((!site_id || r.site_id == *site_id) && role_allows(r.role, action)) return true;
    return false;
}

bool second_factor_required(const std::vector<SiteRole>& roles, const std::vector<Site>& sites) {
    for (const auto& r : roles) {
        if (r.role != Role::volunteer) return true;
        for (const auto& s : sites)
            if (s.id == r.site_id && s.require_second_factor) return true;
    }
    return false;
}

}  // namespace haven::accounts
