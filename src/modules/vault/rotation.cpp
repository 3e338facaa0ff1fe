#include "modules/vault/rotation.hpp"

#include "modules/vault/store.hpp"

namespace haven::vault {

const std::vector<SealedColumn>& sealed_columns() {
    static const std::vector<SealedColumn> columns = {
        {"accounts", "real_name"},
        {"accounts", "email"},
        {"accounts", "phone"},
        {"accounts", "totp_secret"},
        {"accounts", "totp_pending"},
        {"accounts", "password_sealed"},
        {"accounts", "box_sealed"},
        {"people", "person_key"},  // each person's data key; their record is sealed under it (modules/people)
        {"volunteer_profiles", "record"},
        {"bookings", "note"},
        {"spaces", "feed_token"},
        {"events", "title"},
        {"registrations", "visitor"},
        {"registrations", "code"},
        {"account_feeds", "token"},
        {"network_doorbells", "address"},
        {"network_doorbells", "secret"},
        {"funds", "record"},
        {"fund_parties", "identity"},
        {"institutions", "record"},
        {"prisoners", "record"},
        {"prisoner_addresses", "record"},
        {"writers", "record"},
        {"letters", "body"},
        {"letter_replies", "body"},
        {"letter_replies", "scan"},
        {"censor_rules", "record"},
        {"report_releases", "body"},
        {"funders", "record"},
        {"grants", "record"},
    };
    return columns;
}

Result<RotationReport> reseal_all(storage::Database& db, const crypto::Vault& vault, const audit::Recorder& audit) {
    RotationReport report;
    report.version = vault.field_key_version();
    for (const auto& c : sealed_columns()) {
        const std::string table = c.table, column = c.column;
        int64_t last_id = -1;
        for (;;) {
            std::vector<store::SealedValue> rows;
            db.read([&](storage::Tx& tx) { rows = store::sealed_values(tx, table, column, last_id, 200); });
            if (rows.empty()) break;
            Status s = db.write([&](storage::Tx& tx) -> Status {
                for (const auto& r : rows) {
                    const int64_t id = r.id;
                    last_id = id;
                    const std::string& old = r.sealed;
                    auto version = crypto::Vault::version_of(old);
                    if (version && *version == report.version) {
                        ++report.current;
                        continue;
                    }
                    auto plain = vault.open_field(table, column, id, old);
                    if (!plain) {
                        ++report.damaged;
                        continue;
                    }
                    const std::string fresh = vault.seal_field(table, column, id, plain.value());
                    store::replace_sealed(tx, table, column, id, fresh, old);
                    ++report.resealed;
                }
                return {};
            });
            if (!s) return s.error();
        }
    }
    (void)db.write([&](storage::Tx& tx) -> Status {
        audit.record(tx, {"keys.rotate", 0, {}, 0, 0, report.damaged ? "damaged_values" : "ok"});
        return {};
    });
    return report;
}

}  // namespace haven::vault
