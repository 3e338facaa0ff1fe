// One's own contact details, sealed by the vault; reading them is audited.
#include "modules/accounts/service.hpp"

#include <tuple>

#include "core/utf8.hpp"
#include "modules/accounts/service_shared.hpp"
#include "modules/accounts/store.hpp"

namespace haven::accounts {

using namespace internal;

Result<Service::Contact> Service::contact(const Principal& actor) {
    // A read of personal data is audited in the same transaction, so it is a write.
    HAVEN_TRY(stored, db_.write<std::optional<store::SealedContact>>([&](storage::Tx& tx) -> Result<std::optional<store::SealedContact>> {
        auto stored = store::contact(tx, actor.account_id);
        audit_.record(tx, {"contact.read", actor.account_id, "account", actor.account_id});
        return stored;
    }));
    Contact c;
    if (!stored) return c;
    Status s = Status{};
    for (auto [sealed, out, column] : {std::tuple{&stored->real_name, &c.real_name, "real_name"}, std::tuple{&stored->email, &c.email, "email"},
                                       std::tuple{&stored->phone, &c.phone, "phone"}}) {
        if (!*sealed) continue;
        auto plain = vault_.open_field("accounts", column, actor.account_id, **sealed);
        if (!plain)
            s = plain.error();
        else
            *out = plain.value();
    }
    if (!s) return s.error();
    return c;
}

Status Service::set_locale(const Principal& actor, const std::string& locale) {
    if (actor.account_id == 0) return role_forbids();
    return db_.write([&](storage::Tx& tx) -> Status {
        store::set_locale(tx, actor.account_id, locale, clock_.now_ms());
        return {};
    });
}

Status Service::set_contact(const Principal& actor, const Contact& c) {
    for (auto [value, field, max] :
         {std::tuple{&c.real_name, "real_name", 200}, std::tuple{&c.email, "email", 254}, std::tuple{&c.phone, "phone", 40}}) {
        if (value->size() > size_t(max)) return invalid(field, std::string(field) + " is too long.", "too_long");
        if (!is_plain_line(*value))
            return invalid(field, std::string(field) + " must be one line of UTF-8 text without control or bidirectional characters.", "text");
    }
    if (!c.email.empty() && (c.email.find('@') == std::string::npos || c.email.find_first_of(" \t\r\n") != std::string::npos))
        return invalid("email", "email must look like name@example.org.", "email");
    auto sealed = [&](const std::string& value, const char* column) -> std::optional<std::string> {
        if (value.empty()) return std::nullopt;
        return vault_.seal_field("accounts", column, actor.account_id, value);
    };
    return db_.write([&](storage::Tx& tx) -> Status {
        store::set_contact(tx, actor.account_id, {sealed(c.real_name, "real_name"), sealed(c.email, "email"), sealed(c.phone, "phone")},
                           clock_.now_ms());
        audit_.record(tx, {"contact.write", actor.account_id, "account", actor.account_id});
        return {};
    });
}

}  // namespace haven::accounts
