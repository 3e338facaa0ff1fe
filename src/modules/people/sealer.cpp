// A person's sealer: their data key, opened from the vault, sealing and opening their record and the rows tied to
// it (consents, case notes …), each bound to its table and row. Wiped when it goes.
#include <boost/json.hpp>

#include "crypto/random.hpp"
#include "crypto/vault.hpp"
#include "http/json.hpp"
#include "modules/people/service.hpp"
#include "modules/people/store.hpp"

namespace haven::people {

namespace json = boost::json;
using store::StoredPerson;

std::string record_ad(std::string_view table, int64_t id) { return std::string(table) + '\0' + "record" + '\0' + std::to_string(id); }

Service::Sealer::~Sealer() { crypto::wipe(key_); }

std::string Service::Sealer::seal(std::string_view table, int64_t row_id, std::string_view plaintext) const {
    return crypto::aead_seal(plaintext, reinterpret_cast<const unsigned char*>(key_.data()), record_ad(table, row_id));
}

Result<std::string> Service::Sealer::open(std::string_view table, int64_t row_id, std::string_view sealed) const {
    auto plain = crypto::aead_open(sealed, reinterpret_cast<const unsigned char*>(key_.data()), record_ad(table, row_id));
    if (!plain) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored value is damaged or was moved.");
    return *plain;
}

Result<Match> Service::Sealer::listed() const {
    auto plain = open("people", person_id, record_);
    if (!plain) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored person is damaged.");
    unsigned char buffer[4096];  // most records parse without a heap allocation
    json::monotonic_resource memory(buffer, sizeof buffer);
    boost::system::error_code ec;
    const json::value v = json::parse(*plain, ec, &memory);
    crypto::wipe(*plain);
    const json::object* o = ec ? nullptr : v.if_object();
    const json::value* pseudonym_value = o ? o->if_contains("pseudonym") : nullptr;
    const json::value* legal_value = o ? o->if_contains("legal_names") : nullptr;
    const json::string* pseudonym = pseudonym_value ? pseudonym_value->if_string() : nullptr;
    const json::array* legal = legal_value ? legal_value->if_array() : nullptr;
    if (!pseudonym) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored person is damaged.");
    Match m{person_id, site_id, std::string(*pseudonym), {}, active_at_};
    if (legal)
        for (const auto& name : *legal)
            if (name.is_string()) m.legal_names.emplace_back(name.get_string());
    return m;
}

Result<Person> Service::Sealer::person() const {
    auto plain = open("people", person_id, record_);
    if (!plain) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored person is damaged.");
    auto v = http::parse_json(*plain);
    if (!v || !v->is_object()) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored person is damaged.");
    HAVEN_TRY(p, from_json(v->as_object()));
    p.id = person_id;
    p.site_id = site_id;
    p.created_at = created_at_;
    p.active_at = active_at_;
    return p;
}

Result<Service::Sealer> Service::sealer_for(const StoredPerson& row) const {
    auto key = vault_.open_field("people", "person_key", row.id, row.sealed_key);
    if (!key) return key.error();
    if (key->size() != crypto::SecretKey::size) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored person is damaged.");
    Sealer s;
    s.person_id = row.id;
    s.site_id = row.site_id;
    s.key_ = std::move(key).value();
    s.record_ = row.sealed_record;
    s.created_at_ = row.created_at;
    s.active_at_ = row.active_at;
    return s;
}

}  // namespace haven::people
