// Sites, and the accounts of a site: invitations, roles, suspension and offboarding.
#include "core/ids.hpp"
#include "modules/accounts/service.hpp"

#include <algorithm>
#include <tuple>

#include "crypto/random.hpp"
#include "modules/accounts/service_shared.hpp"
#include "modules/accounts/store.hpp"

namespace haven::accounts {

using namespace internal;

// ---- Sites ----

Result<Site> Service::create_site(const Principal* actor, const SiteInput& in) {
    if (actor && !may(*actor, Action::sites_manage, std::nullopt)) return denied();
    for (auto [value, field, max] : {std::tuple{&in.name, "name", 100}, std::tuple{&in.city, "city", 100}, std::tuple{&in.country, "country", 100},
                                     std::tuple{&in.time_zone, "time_zone", 64}}) {
        if (auto s = check_text(*value, field, size_t(max)); !s) return s.error();
    }
    if (!valid_time_zone(in.time_zone)) return invalid("time_zone", "time_zone must be an IANA zone such as Europe/Paris.", "time_zone");
    const Site site{new_id(), in.name, in.city, in.country, in.time_zone, in.require_second_factor};
    return db_.write<Site>([&](storage::Tx& tx) -> Result<Site> {
        if (store::site_by_name(tx, in.name)) return make_error(ErrorKind::conflict, "exists", "A site with this name exists.", "name");
        store::insert_site(tx, site, clock_.now_ms());
        audit_.record(tx, {"site.create", actor ? actor->account_id : 0, "site", site.id, site.id});
        // The creator administers the new site too.
        if (actor) store::set_roles_at_site(tx, actor->account_id, site.id, {Role::administrator});
        return site;
    });
}

std::vector<Site> Service::sites_visible_to(const Principal& actor) {
    std::vector<Site> out;
    db_.read([&](storage::Tx& tx) {
        for (auto& s : store::sites(tx)) {
            bool member = std::any_of(actor.roles.begin(), actor.roles.end(), [&](const SiteRole& r) { return r.site_id == s.id; });
            if (member) out.push_back(std::move(s));
        }
    });
    return out;
}

Result<Site> Service::site_for(const Principal& actor, int64_t site_id, Action action) {
    if (!may(actor, action, site_id)) return denied();
    std::optional<Site> site;
    db_.read([&](storage::Tx& tx) { site = store::site(tx, site_id); });
    if (!site) return make_error(ErrorKind::not_found, "not_found", "There is no such site.");
    return *site;
}

std::string Service::site_zone(int64_t site_id) {
    std::optional<Site> site;
    db_.read([&](storage::Tx& tx) { site = store::site(tx, site_id); });
    return site ? site->time_zone : std::string("UTC");
}

std::string Service::home_zone(const Principal& reader) { return reader.roles.empty() ? "UTC" : site_zone(reader.roles.front().site_id); }

std::optional<Site> Service::site_named(const std::string& name) {
    std::optional<Site> site;
    db_.read([&](storage::Tx& tx) { site = store::site_by_name(tx, name); });
    return site;
}

// ---- Accounts ----

Result<Invitation> Service::invite(const Principal* actor, int64_t site_id, const std::string& username_in, Role role) {
    if (actor && !may(*actor, Action::accounts_manage, site_id)) return denied();
    HAVEN_TRY(username, check_username(username_in));
    const std::string token = crypto::random_token();
    const int64_t expires_at = clock_.now_ms() + enrolment_lifetime_ms;
    return db_.write<Invitation>([&](storage::Tx& tx) -> Result<Invitation> {
        if (!store::site(tx, site_id)) return make_error(ErrorKind::not_found, "not_found", "There is no such site.");
        if (store::account_by_username(tx, username)) return make_error(ErrorKind::conflict, "exists", "This username is taken.", "username");
        int64_t id = new_id();
        store::insert_account(tx, id, username, AccountStatus::invited, clock_.now_ms());
        store::set_roles_at_site(tx, id, site_id, {role});
        store::insert_enrolment(tx, crypto::token_hash(token), id, expires_at);
        audit_.record(tx, {"account.invite", actor ? actor->account_id : 0, "account", id, site_id});
        return Invitation{Account{id, username, AccountStatus::invited, {{site_id, role}}, false}, token, expires_at};
    });
}

Status Service::add_role(const Principal* actor, int64_t site_id, const std::string& username, Role role) {
    if (actor && !may(*actor, Action::accounts_manage, site_id)) return denied();
    return db_.write([&](storage::Tx& tx) -> Status {
        if (!store::site(tx, site_id)) return make_error(ErrorKind::not_found, "not_found", "There is no such site.");
        auto row = store::account_by_username(tx, username);
        if (!row) return make_error(ErrorKind::not_found, "not_found", "There is no such account.");
        std::vector<Role> roles;
        for (const auto& r : row->account.roles)
            if (r.site_id == site_id && r.role != role) roles.push_back(r.role);
        roles.push_back(role);
        store::set_roles_at_site(tx, row->account.id, site_id, roles);
        store::delete_sessions_of(tx, row->account.id);
        keyring_.forget_account(row->account.id);
        audit_.record(tx, {"account.roles", actor ? actor->account_id : 0, "account", row->account.id, site_id});
        return {};
    });
}

Result<std::vector<Account>> Service::accounts_at(const Principal& actor, int64_t site_id) {
    if (!may(actor, Action::accounts_view, site_id)) return denied();
    std::vector<Account> out;
    db_.read([&](storage::Tx& tx) {
        for (auto& a : store::accounts_at_site(tx, site_id)) {
            // Only the roles at this site: another site's staff list is not this site's business.
            std::erase_if(a.roles, [&](const SiteRole& r) { return r.site_id != site_id; });
            out.push_back(std::move(a));
        }
    });
    return out;
}

Status Service::set_roles(const Principal& actor, int64_t site_id, int64_t account_id, const std::vector<Role>& roles) {
    if (!may(actor, Action::accounts_manage, site_id)) return denied();
    return db_.write([&](storage::Tx& tx) -> Status {
        auto row = store::account(tx, account_id);
        bool here = row && std::any_of(row->account.roles.begin(), row->account.roles.end(), [&](const SiteRole& r) { return r.site_id == site_id; });
        if (!here) return make_error(ErrorKind::not_found, "not_found", "There is no such account at this site.");
        if (account_id == actor.account_id && std::find(roles.begin(), roles.end(), Role::administrator) == roles.end())
            return invalid("role", "You cannot remove your own administrator role.", "own_role");
        store::set_roles_at_site(tx, account_id, site_id, roles);
        store::delete_sessions_of(tx, account_id);
        keyring_.forget_account(account_id);
        audit_.record(tx, {"account.roles", actor.account_id, "account", account_id, site_id});
        return {};
    });
}

Status Service::set_status(const Principal* actor, int64_t site_id, int64_t account_id, AccountStatus status) {
    if (actor && !may(*actor, Action::accounts_manage, site_id)) return denied();
    if (actor && actor->account_id == account_id) return invalid("account", "You cannot suspend or offboard yourself.", "self");
    return db_.write([&](storage::Tx& tx) -> Status {
        auto row = store::account(tx, account_id);
        bool here = row && std::any_of(row->account.roles.begin(), row->account.roles.end(), [&](const SiteRole& r) { return r.site_id == site_id; });
        if (!here) return make_error(ErrorKind::not_found, "not_found", "There is no such account at this site.");
        const int64_t now = clock_.now_ms();
        // A site's administrator acts on that site alone. Status is global (a suspended account is suspended
        // everywhere), so changing it needs authority over every site the account holds a role at; offboarding
        // from one site of several only takes away the roles held there.
        const bool over_all = !actor || std::all_of(row->account.roles.begin(), row->account.roles.end(),
                                                    [&](const SiteRole& r) { return may(*actor, Action::accounts_manage, r.site_id); });
        if (!over_all) {
            if (status != AccountStatus::offboarded)
                return make_error(ErrorKind::forbidden, "other_sites",
                                  "This account also holds roles at sites you do not manage: only someone who manages all of them may change its "
                                  "status. Offboarding it here removes its roles at this site.");
            store::set_roles_at_site(tx, account_id, site_id, {});
            store::delete_sessions_of(tx, account_id);  // a change of roles ends the sessions
            keyring_.forget_account(account_id);
            store::end_assignments_at_site(tx, account_id, site_id);
            audit_.record(tx, {"account.offboarded", actor->account_id, "account", account_id, site_id, "site"});
            return {};
        }
        store::set_status(tx, account_id, status, now);
        if (status != AccountStatus::active) {
            store::delete_sessions_of(tx, account_id);
            keyring_.forget_account(account_id);
            store::revoke_tokens_of(tx, account_id, now);
        }
        if (status == AccountStatus::offboarded) store::delete_roles_and_assignments(tx, account_id);
        audit_.record(tx, {"account." + std::string(status_name(status)), actor ? actor->account_id : 0, "account", account_id, site_id});
        return {};
    });
}

}  // namespace haven::accounts
