// Who is making a request, once authenticated: filled in by the accounts module's gate, read by
// services for their permission checks. Holds no personal value beyond the chosen username.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace haven {

enum class Role {
    administrator,
    coordinator,
    volunteer,
    legal_adviser,
    counsellor,
    teacher,
    studio_technician,
    emergency_operator,
    prisoner_support,
    report_editor,
    writer,  // writes to political prisoners under a pen name; sees only their own letters
};

struct SiteRole {
    int64_t site_id = 0;
    Role role = Role::volunteer;
};

struct Principal {
    int64_t account_id = 0;
    std::string username;
    std::vector<SiteRole> roles;
    std::string via;                // "session" or "token"
    std::string session_public_id;  // for "log out this session"
    bool read_only = false;         // a token with scope "read"
    std::string locale;             // the account's chosen language, if any

    bool holds(Role role, int64_t site_id) const {
        for (const auto& r : roles)
            if (r.role == role && r.site_id == site_id) return true;
        return false;
    }
    bool holds_anywhere(Role role) const {
        for (const auto& r : roles)
            if (r.role == role) return true;
        return false;
    }
};

}  // namespace haven
