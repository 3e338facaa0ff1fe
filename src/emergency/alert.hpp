// What a member's device decides on its own, after an activation opened and its signature verified
// (wire.hpp): whether the alert is for this member, at which tier, from when, and whether a signed update or
// cancel changed it. The server never sees any of this; it travels inside the ciphertext (docs/EMERGENCY.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace haven::emergency {

struct Tier {
    std::vector<std::string> regions, skills;  // empty: everyone
    int64_t release_at = 0;                    // epoch ms
};

struct Alert {
    std::string id, status, type, refers_to, text, ack_pk;  // status real|exercise|test; type alert|update|cancel
    std::vector<Tier> tiers;
    int64_t issued_at = 0, expires_at = 0;
};

// Parses a verified message; nullopt when it is not a version-1 activation.
std::optional<Alert> parse_alert(const std::string& message);
// The message an operator's client signs.
std::string alert_message(const Alert& alert);

// The member's own profile, kept on their device only.
struct Profile {
    std::vector<std::string> regions, skills;
};

// A region or skill as tiers and profiles are compared: trimmed, lower case, Cyrillic spelled in Latin letters
// ("Тверь" and "Tver" are both "tver"), spaces and hyphens as '_' ("safe flat" is "safe_flat"). The member app
// (assets/network-member.js) folds the same way, so both clients decide alike.
std::string normalise(std::string_view word);

// The first tier (in release order) whose regions and skills reach this member, if any.
std::optional<size_t> tier_for(const Alert& alert, const Profile& me);

struct Shown {
    Alert alert;      // with the text of its latest update
    size_t tier = 0;  // the first tier that reaches this member
};

// What the device shows at `now` from everything it received: alerts whose first matching tier is released,
// not expired, not cancelled; updates replace the text of the alert they refer to.
std::vector<Shown> visible(const std::vector<Alert>& received, const Profile& me, int64_t now);

}  // namespace haven::emergency
