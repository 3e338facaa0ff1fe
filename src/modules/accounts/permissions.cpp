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

const std::array<Grant, 40>& table() {
    using enum Role;
    static const std::array<Grant, 40> grants = {{
        {Action::sites_view, {administrator, coordinator}},
        {Action::sites_manage, {administrator}},
        {Action::accounts_view, {administrator, coordinator}},
        {Action::accounts_manage, {administrator}},
        {Action::vault_seal, {administrator}},
        {Action::audit_view, {administrator}},
        {Action::people_view, {administrator, coordinator}},
        {Action::people_open, {administrator, coordinator, legal_adviser, counsellor}},
        {Action::people_manage, {administrator, coordinator}},
        {Action::people_erase, {administrator, coordinator}},
        {Action::people_transfer, {administrator, coordinator}},
        {Action::cases_view, {administrator, coordinator}},
        {Action::cases_work, {administrator, coordinator, legal_adviser}},
        {Action::templates_manage, {administrator}},
        {Action::counselling_assign, {administrator, coordinator}},
        {Action::counselling_write, {counsellor}},
        {Action::requests_manage, {administrator, coordinator}},
        {Action::dashboard_view, {administrator, coordinator}},
        {Action::spaces_view,
         {administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician, emergency_operator, prisoner_support,
          report_editor}},
        {Action::spaces_manage, {administrator, coordinator, studio_technician}},
        {Action::bookings_make, {administrator, coordinator, legal_adviser, counsellor, teacher, studio_technician}},
        {Action::desks_manage, {administrator, coordinator}},
        {Action::courses_view, {administrator, coordinator, teacher}},
        {Action::courses_manage, {administrator, coordinator}},
        {Action::attendance_take, {administrator, coordinator, teacher}},
        {Action::events_view, {administrator, coordinator, volunteer, legal_adviser, counsellor, teacher, studio_technician, report_editor}},
        {Action::events_manage, {administrator, coordinator}},
        {Action::events_checkin, {administrator, coordinator, volunteer}},
        {Action::network_operate, {emergency_operator}},
        {Action::funds_view, {administrator, prisoner_support}},
        {Action::funds_manage, {prisoner_support}},
        {Action::prisoners_view, {administrator, prisoner_support}},
        {Action::prisoners_manage, {prisoner_support}},
        {Action::letters_write, {writer}},
        {Action::prisoners_figures, {administrator, prisoner_support}},
        {Action::reports_view, {administrator, report_editor}},
        {Action::reports_prepare, {report_editor}},
        {Action::reports_release, {administrator}},
        {Action::grants_view, {administrator, report_editor}},
        {Action::grants_manage, {administrator, report_editor}},
    }};
    return grants;
}

// The names of roles, actions and statuses as they appear in URLs, forms, the database and the API.
template <class E>
using Names = std::vector<std::pair<E, std::string_view>>;

const Names<Role> role_names = {
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
    {Role::writer, "writer"},
};
const Names<Action> action_names = {
    {Action::sites_view, "sites.view"},
    {Action::sites_manage, "sites.manage"},
    {Action::accounts_view, "accounts.view"},
    {Action::accounts_manage, "accounts.manage"},
    {Action::vault_seal, "vault.seal"},
    {Action::audit_view, "audit.view"},
    {Action::people_view, "people.view"},
    {Action::people_open, "people.open"},
    {Action::people_manage, "people.manage"},
    {Action::people_erase, "people.erase"},
    {Action::people_transfer, "people.transfer"},
    {Action::cases_view, "cases.view"},
    {Action::cases_work, "cases.work"},
    {Action::templates_manage, "templates.manage"},
    {Action::counselling_assign, "counselling.assign"},
    {Action::counselling_write, "counselling.write"},
    {Action::requests_manage, "requests.manage"},
    {Action::dashboard_view, "dashboard.view"},
    {Action::spaces_view, "spaces.view"},
    {Action::spaces_manage, "spaces.manage"},
    {Action::bookings_make, "bookings.make"},
    {Action::desks_manage, "desks.manage"},
    {Action::courses_view, "courses.view"},
    {Action::courses_manage, "courses.manage"},
    {Action::attendance_take, "attendance.take"},
    {Action::events_view, "events.view"},
    {Action::events_manage, "events.manage"},
    {Action::events_checkin, "events.checkin"},
    {Action::network_operate, "network.operate"},
    {Action::funds_view, "funds.view"},
    {Action::funds_manage, "funds.manage"},
    {Action::prisoners_view, "prisoners.view"},
    {Action::prisoners_manage, "prisoners.manage"},
    {Action::letters_write, "letters.write"},
    {Action::prisoners_figures, "prisoners.figures"},
    {Action::reports_view, "reports.view"},
    {Action::reports_prepare, "reports.prepare"},
    {Action::reports_release, "reports.release"},
    {Action::grants_view, "grants.view"},
    {Action::grants_manage, "grants.manage"},
};
const Names<AccountStatus> status_names = {
    {AccountStatus::invited, "invited"},
    {AccountStatus::active, "active"},
    {AccountStatus::suspended, "suspended"},
    {AccountStatus::offboarded, "offboarded"},
};

template <class E>
std::string_view name_of(const Names<E>& names, E value) {
    for (const auto& [v, n] : names)
        if (v == value) return n;
    return "unknown";
}

template <class E>
std::optional<E> value_of(const Names<E>& names, std::string_view name) {
    for (const auto& [v, n] : names)
        if (n == name) return v;
    return std::nullopt;
}

}  // namespace

const std::vector<Role>& all_roles() {
    static const std::vector<Role> roles = [] {
        std::vector<Role> r;
        for (const auto& [role, name] : role_names) r.push_back(role);
        return r;
    }();
    return roles;
}

std::string_view role_name(Role role) { return name_of(role_names, role); }
std::optional<Role> parse_role(std::string_view name) { return value_of(role_names, name); }
std::string_view status_name(AccountStatus status) { return name_of(status_names, status); }
std::optional<AccountStatus> parse_status(std::string_view name) { return value_of(status_names, name); }
std::string_view action_name(Action action) { return name_of(action_names, action); }
std::optional<Action> parse_action(std::string_view name) { return value_of(action_names, name); }

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
