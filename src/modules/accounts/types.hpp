// Sites, accounts, roles, sessions and tokens: the words of the accounts module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/principal.hpp"
#include "core/result.hpp"

namespace haven::accounts {

struct Site {
    int64_t id = 0;
    std::string name, city, country, time_zone;
    bool require_second_factor = false;  // for every role, volunteers included
};

enum class AccountStatus { invited, active, suspended, offboarded };

struct Account {
    int64_t id = 0;
    std::string username;
    AccountStatus status = AccountStatus::invited;
    std::vector<SiteRole> roles;
    bool has_second_factor = false;
};

struct SessionInfo {
    std::string public_id;
    int64_t created_at = 0, last_seen_at = 0, expires_at = 0;
    bool current = false;
};

// How many distinct records one account may open in a window before administrators are alerted (and, if
// asked, the account suspended at once). Settings mass-read-limit, mass-read-window-minutes, mass-read-suspend.
struct ReadPolicy {
    int64_t limit = 50;
    int64_t window_ms = 60 * 60 * 1000;
    bool suspend = false;
};

struct ReadAlarm {
    int64_t id = 0, account_id = 0, raised_at = 0, records = 0, window_ms = 0;
    std::string username;
    bool suspended = false;
};

struct SessionPolicy {
    int64_t idle_ms = 30 * 60 * 1000;           // 30 minutes without a request
    int64_t absolute_ms = 12 * 60 * 60 * 1000;  // 12 hours after login
};

// What may be done. Each route names one of these (or "public" / "signed-in"); the table that says
// which role may do what is in permissions.cpp and nowhere else.
enum class Action {
    sites_view,          // see a site's overview
    sites_manage,        // create sites
    accounts_view,       // list a site's accounts
    accounts_manage,     // invite, change roles, suspend, offboard at a site
    vault_seal,          // panic seal: drop every key from memory
    audit_view,          // read the audit log
    people_view,         // read every person of a site
    people_open,         // open the people one is assigned to (and reach the people pages at all)
    people_manage,       // intake, edit, consent
    people_erase,        // erase a person for good
    people_transfer,     // import and export spreadsheets of people
    cases_view,          // see every case and deadline of a site
    cases_work,          // open, follow and close legal cases (advisers: those they follow)
    templates_manage,    // edit the procedure templates
    counselling_assign,  // give a person a counsellor (never read the notes)
    counselling_write,   // keep counselling notes (only in one's own compartments)
    requests_manage,     // requests for help, volunteers' profiles, assigning volunteers
    dashboard_view,      // a site's figures
    spaces_view,         // see a site's spaces and their bookings
    spaces_manage,       // create spaces; cancel anyone's booking
    bookings_make,       // book a room, a desk or the studio
    desks_manage,        // allocate desks to residents, keep the desk waitlist
    courses_view,        // see a site's courses (a teacher: the groups they teach)
    courses_manage,      // create courses and sessions, enrol and withdraw people, print certificates
    attendance_take,     // mark who came (a teacher: their own groups)
    events_view,         // see a site's events
    events_manage,       // create events, register people and visitors
    events_checkin,      // check guests in at the door, count drop-in visitors
    network_operate,     // enrol members of the emergency network, keep its sealed roster, upload activations
    funds_view,          // see a site's legal-aid funds, their balances and ledger (never a donor or payee)
    funds_manage,        // open funds, record donations and disbursements, reverse an entry
    prisoners_view,      // see a site's registry of political prisoners, their institutions and the calendar
    prisoners_manage,    // keep the registry, record transfers, read, send and follow letters, enter replies
    letters_write,       // ask for a prisoner to write to, write one's own letters, read their replies
    prisoners_figures,   // counts of letters, prisoners and writers (never a name or a text)
    reports_view,        // reports for funders covering the site (figures that passed disclosure control only)
    reports_prepare,     // prepare a report: its figures computed, small ones hidden; not yet released
    reports_release,     // release (or discard) a report someone else prepared
    grants_view,         // funders, grants, what is due when
    grants_manage,       // record funders and grants, tranches received, deadlines met
};

const std::vector<Role>& all_roles();
std::string_view role_name(Role role);  // "legal_adviser"
std::optional<Role> parse_role(std::string_view name);
std::string_view status_name(AccountStatus status);
std::optional<AccountStatus> parse_status(std::string_view name);
std::string_view action_name(Action action);  // "accounts.manage"
std::optional<Action> parse_action(std::string_view name);

// The answer when the table says no (403): the same words everywhere.
inline Error role_forbids() { return make_error(ErrorKind::forbidden, "forbidden", "Your role does not allow this at this site."); }

// True when `role` allows `action` (the table in permissions.cpp).
bool role_allows(Role role, Action action);
// True when some role the principal holds at `site_id` allows `action`; with no site, at any site.
bool may(const Principal& principal, Action action, std::optional<int64_t> site_id);
// Every role except volunteer must use a second factor (SECURITY.md); a site may require it of all.
bool second_factor_required(const std::vector<SiteRole>& roles, const std::vector<Site>& sites);

}  // namespace haven::accounts
