// Who read what: the audit log as an administrator sees it, reads of personal records counted towards the
// mass-read alarm, and the alarms.
#include "core/ids.hpp"
#include "modules/accounts/service.hpp"

#include <map>
#include <set>

#include "modules/accounts/service_shared.hpp"
#include "modules/accounts/store.hpp"

namespace haven::accounts {

using namespace internal;

Result<std::vector<Service::AuditLine>> Service::audit_log(const Principal& actor, const std::string& username, const std::string& action,
                                                           int64_t from, int64_t to) {
    if (!may(actor, Action::audit_view, std::nullopt)) return denied();
    std::set<int64_t> sites;
    for (const auto& r : actor.roles)
        if (role_allows(r.role, Action::audit_view)) sites.insert(r.site_id);
    std::map<std::string, std::string> names;  // keyed hash → username, for the accounts of those sites
    db_.read([&](storage::Tx& tx) {
        for (int64_t site : sites)
            for (const auto& a : store::accounts_at_site(tx, site)) names[audit_.subject("account", a.id)] = a.username;
    });
    std::string actor_filter;
    if (!username.empty()) {
        for (const auto& [hash, name] : names)
            if (name == username) actor_filter = hash;
        if (actor_filter.empty()) return std::vector<AuditLine>{};
    }
    std::vector<AuditLine> out;
    for (auto& e : audit::search(db_, {actor_filter, action, from, to, 500})) {
        if (e.site_id != 0 && !sites.count(e.site_id)) continue;
        auto it = names.find(e.actor);
        out.push_back({e, it != names.end() ? it->second : e.actor});
    }
    (void)db_.write([&](storage::Tx& tx) -> Status {
        audit_.record(tx, {"audit.read", actor.account_id});
        return {};
    });
    return out;
}

void Service::record_read(storage::Tx& tx, const Principal& reader, std::string_view record_type, int64_t record_id) {
    audit_.record(tx, {std::string(record_type) + ".read", reader.account_id, record_type, record_id});
    record_reads(tx, reader, record_type, {record_id});
}

void Service::record_reads(storage::Tx& tx, const Principal& reader, std::string_view record_type, const std::vector<int64_t>& record_ids) {
    const int64_t now = clock_.now_ms();
    std::vector<std::string> objects;
    objects.reserve(record_ids.size());
    for (int64_t id : record_ids) objects.push_back(audit_.subject(record_type, id));
    // One alarm per window, not one per read: once raised, the reads are kept (for the next window) but not
    // counted again — counting is the costly part for an account that has read thousands.
    const bool raised = store::alarm_since(tx, reader.account_id, now - read_policy_.window_ms);
    const int64_t records = store::count_reads(tx, reader.account_id, objects, now, now - read_policy_.window_ms, !raised);
    if (raised || records <= read_policy_.limit) return;
    store::insert_read_alarm(tx, {new_id(), reader.account_id, now, records, read_policy_.window_ms, "", read_policy_.suspend});
    audit_.record(tx, {"alarm.mass_read", reader.account_id, "account", reader.account_id, 0, read_policy_.suspend ? "suspended" : "flagged"});
    if (read_policy_.suspend) {
        keyring_.forget_account(reader.account_id);
        store::set_status(tx, reader.account_id, AccountStatus::suspended, now);
        store::delete_sessions_of(tx, reader.account_id);
        store::revoke_tokens_of(tx, reader.account_id, now);
    }
}

Status Service::record_read(const Principal& reader, std::string_view record_type, int64_t record_id) {
    return db_.write([&](storage::Tx& tx) -> Status {
        record_read(tx, reader, record_type, record_id);
        return {};
    });
}

std::vector<ReadAlarm> Service::read_alarms(const Principal& actor) {
    std::vector<ReadAlarm> out;
    if (!may(actor, Action::audit_view, std::nullopt)) return out;
    db_.read([&](storage::Tx& tx) { out = store::read_alarms(tx); });
    return out;
}

}  // namespace haven::accounts
