#include "crypto/vault.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "crypto/random.hpp"

namespace haven::crypto {
namespace {

namespace json = boost::json;

constexpr char kdf_context[crypto_kdf_CONTEXTBYTES + 1] = "havenkdf";
constexpr const char* passphrase_ad = "haven vault v1: passphrase";
constexpr const char* operators_ad = "haven vault v1: operators ";

std::string b64(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);
    return out;
}

std::optional<std::string> unb64(std::string_view text) {
    std::string out(text.size(), '\0');
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

// The key that opens the root key for one k-subset of operator files: BLAKE2b over their keys in index order.
std::unique_ptr<SecretKey> subset_key(const std::vector<std::pair<int, std::string>>& members) {
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, 32);
    const std::string label = "haven operator subset";
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(label.data()), label.size());
    for (const auto& [index, key] : members) {
        unsigned char i = static_cast<unsigned char>(index);
        crypto_generichash_update(&st, &i, 1);
        crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    }
    std::string out(32, '\0');
    crypto_generichash_final(&st, reinterpret_cast<unsigned char*>(out.data()), out.size());
    auto k = std::make_unique<SecretKey>(out);
    sodium_memzero(out.data(), out.size());
    return k;
}

std::string subset_name(const std::vector<int>& indices) {
    std::string s;
    for (int i : indices) s += (s.empty() ? "" : ",") + std::to_string(i);
    return s;
}

// Every k-subset of {0..n-1}, in lexicographic order.
std::vector<std::vector<int>> subsets(int n, int k) {
    std::vector<std::vector<int>> out;
    std::vector<int> pick(static_cast<size_t>(k));
    for (int i = 0; i < k; ++i) pick[size_t(i)] = i;
    while (true) {
        out.push_back(pick);
        int i = k - 1;
        while (i >= 0 && pick[size_t(i)] == n - k + i) --i;
        if (i < 0) break;
        ++pick[size_t(i)];
        for (int j = i + 1; j < k; ++j) pick[size_t(j)] = pick[size_t(j - 1)] + 1;
    }
    return out;
}

std::string new_passphrase() {
    // 30 characters from a 32-letter alphabet in groups of five: 150 bits.
    static const char* alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    std::string raw = random_bytes(30), out;
    for (size_t i = 0; i < raw.size(); ++i) {
        if (i && i % 5 == 0) out += '-';
        out += alphabet[(unsigned char)raw[i] % 32];
    }
    return out;
}

std::unique_ptr<SecretKey> passphrase_key(const std::string& passphrase, std::string_view salt, unsigned long long ops, size_t mem) {
    std::string out(32, '\0');
    if (crypto_pwhash(reinterpret_cast<unsigned char*>(out.data()), out.size(), passphrase.data(), passphrase.size(),
                      reinterpret_cast<const unsigned char*>(salt.data()), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("out of memory deriving the vault key");
    auto k = std::make_unique<SecretKey>(out);
    sodium_memzero(out.data(), out.size());
    return k;
}

// The vault file as JSON, or an error when it is missing or damaged (e.g. edited by hand).
Result<json::object> parsed_file(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return make_error(ErrorKind::unavailable, "no_vault", "There is no readable vault file.");
    return std::move(v.as_object());
}

// Replaces the vault file whole (write to a temporary file, then rename), readable by its owner only.
Status write_file(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    std::ofstream out(tmp, std::ios::trunc);
    out << text << "\n";
    out.close();
    if (!out) return make_error(ErrorKind::unavailable, "io", "Cannot write the vault file.");
    ::chmod(tmp.c_str(), 0600);
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) return make_error(ErrorKind::unavailable, "io", "Cannot replace the vault file.");
    return {};
}

Error wrong(const char* code, const char* message) { return make_error(ErrorKind::unauthorized, code, message); }

}  // namespace

// XChaCha20-Poly1305: nonce ‖ ciphertext+tag.
std::string aead_seal(std::string_view plaintext, const unsigned char* key, std::string_view ad) {
    std::string out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(out.data());
    randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &len,
                                               reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                                               reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr, nonce, key);
    return out;
}

std::optional<std::string> aead_open(std::string_view sealed, const unsigned char* key, std::string_view ad) {
    if (sealed.size() < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES) return std::nullopt;
    const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
    const auto* ct = nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    const size_t ct_len = sealed.size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    std::string out(ct_len - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &len, nullptr, ct, ct_len,
                                                   reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nonce, key) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

SecretKey::SecretKey() : bytes_(static_cast<unsigned char*>(sodium_malloc(size))) {
    if (!bytes_) throw std::bad_alloc();
    randombytes_buf(bytes_, size);
}

SecretKey::SecretKey(std::string_view bytes) : bytes_(static_cast<unsigned char*>(sodium_malloc(size))) {
    if (!bytes_) throw std::bad_alloc();
    if (bytes.size() != size) throw std::invalid_argument("a key is 32 bytes");
    std::memcpy(bytes_, bytes.data(), size);
}

SecretKey::~SecretKey() { sodium_free(bytes_); }  // zeroes before freeing

Vault::Vault(std::string path, const Clock& clock) : path_(std::move(path)), clock_(clock) {
    init();
    if (exists()) {
        std::ifstream in(path_);
        std::stringstream ss;
        ss << in.rdbuf();
        file_text_ = ss.str();
        if (auto file = parsed_file(file_text_); file.ok())
            if (auto* v = file->if_contains("field_key_version"); v && v->is_int64()) field_version_ = uint32_t(v->as_int64());
    }
}

Vault::~Vault() {
    {
        std::lock_guard hooks(hooks_mutex_);
        seal_hooks_.clear();  // their owners may be gone already
    }
    seal();
}

bool Vault::exists() const { return std::filesystem::exists(path_); }

Result<VaultCreated> Vault::create(bool with_passphrase, int k, int n) {
    if (exists()) return make_error(ErrorKind::conflict, "exists", "A vault exists here already.");
    if (!with_passphrase && n == 0) return make_error(ErrorKind::invalid, "validation_failed", "A vault needs a passphrase or operator key files.");
    if (n < 0 || n > 10 || (n > 0 && (k < 1 || k > n)))
        return make_error(ErrorKind::invalid, "validation_failed", "Operator files: 1 ≤ k ≤ n ≤ 10.", "operators");
    SecretKey root;
    VaultCreated created;
    json::object file{{"version", 1}};
    if (with_passphrase) {
        created.passphrase = new_passphrase();
        std::string salt = random_bytes(crypto_pwhash_SALTBYTES);
        const auto ops = crypto_pwhash_OPSLIMIT_MODERATE;
        const auto mem = crypto_pwhash_MEMLIMIT_MODERATE;
        auto key = passphrase_key(created.passphrase, salt, ops, mem);
        std::string wrapped = aead_seal(std::string_view(reinterpret_cast<const char*>(root.data()), SecretKey::size), key->data(), passphrase_ad);
        file["passphrase"] = json::object{{"salt", b64(salt)}, {"opslimit", ops}, {"memlimit", mem}, {"wrapped", b64(wrapped)}};
    }
    if (n > 0) {
        std::vector<std::string> keys;
        for (int i = 0; i < n; ++i) {
            keys.push_back(random_bytes(32));
            created.operator_files.push_back("haven operator key v1\nindex " + std::to_string(i) + "\nkey " + b64(keys.back()) + "\n");
        }
        json::array wrapped;
        for (const auto& subset : subsets(n, k)) {
            std::vector<std::pair<int, std::string>> members;
            for (int i : subset) members.emplace_back(i, keys[size_t(i)]);
            auto key = subset_key(members);
            std::string ad = operators_ad + subset_name(subset);
            wrapped.push_back(json::object{
                {"subset", subset_name(subset)},
                {"wrapped", b64(aead_seal(std::string_view(reinterpret_cast<const char*>(root.data()), SecretKey::size), key->data(), ad))}});
        }
        for (auto& key : keys) sodium_memzero(key.data(), key.size());
        file["operators"] = json::object{{"k", k}, {"n", n}, {"wrapped", wrapped}};
    }
    // The audit signing key's public half, so `haven audit verify` can check checkpoints while sealed.
    {
        std::string seed(32, '\0');
        crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(seed.data()), 32, uint64_t(KeyPurpose::audit_signing), kdf_context, root.data());
        unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
        crypto_sign_seed_keypair(pk, sk, reinterpret_cast<const unsigned char*>(seed.data()));
        sodium_memzero(sk, sizeof sk);
        sodium_memzero(seed.data(), seed.size());
        file["audit_public_key"] = b64(std::string_view(reinterpret_cast<const char*>(pk), sizeof pk));
    }
    file_text_ = json::serialize(file);
    if (auto s = write_file(path_, file_text_); !s) return s.error();
    if (auto s = install(std::string_view(reinterpret_cast<const char*>(root.data()), SecretKey::size)); !s) return s.error();
    return created;
}

Status Vault::install(std::string_view root) {
    auto key = std::make_unique<SecretKey>(root);
    std::unique_lock lock(mutex_);
    root_ = std::move(key);
    return {};
}

Status Vault::unseal_with_passphrase(const std::string& passphrase) {
    HAVEN_TRY(file, parsed_file(file_text_));
    const auto* p = file.if_contains("passphrase");
    if (!p) return make_error(ErrorKind::invalid, "no_passphrase", "This vault has no passphrase; use operator key files.");
    const auto& o = p->as_object();
    auto salt = unb64(o.at("salt").as_string());
    auto wrapped = unb64(o.at("wrapped").as_string());
    if (!salt || !wrapped) return make_error(ErrorKind::unavailable, "bad_vault", "The vault file is damaged.");
    auto key = passphrase_key(passphrase, *salt, o.at("opslimit").to_number<unsigned long long>(), o.at("memlimit").to_number<size_t>());
    auto root = aead_open(*wrapped, key->data(), passphrase_ad);
    if (!root) {
        return wrong("wrong_passphrase", "This passphrase does not open the vault.");
    }
    Status s = install(*root);
    sodium_memzero(root->data(), root->size());
    return s;
}

Status Vault::unseal_with_operator_files(const std::vector<std::string>& files) {
    HAVEN_TRY(file, parsed_file(file_text_));
    const auto* ops = file.if_contains("operators");
    if (!ops) return make_error(ErrorKind::invalid, "no_operators", "This vault has no operator key files; use the passphrase.");
    const int k = int(ops->as_object().at("k").as_int64());
    std::map<int, std::string> given;
    for (const auto& text : files) {
        std::istringstream in(text);
        std::string magic, word;
        int index = -1;
        std::string key_b64;
        std::getline(in, magic);
        in >> word >> index >> word >> key_b64;
        auto key = unb64(key_b64);
        if (magic != "haven operator key v1" || index < 0 || !key || key->size() != 32)
            return make_error(ErrorKind::bad_request, "bad_key_file", "This is not a Haven operator key file.", "files");
        given[index] = *key;
    }
    if (int(given.size()) < k) {
        return wrong("not_enough_operators", "More operator key files are needed to open the vault.");
    }
    std::vector<std::pair<int, std::string>> members;
    std::vector<int> indices;
    for (const auto& [i, key] : given) {
        if (int(members.size()) == k) break;
        members.emplace_back(i, key);
        indices.push_back(i);
    }
    const std::string name = subset_name(indices);
    for (const auto& w : ops->as_object().at("wrapped").as_array()) {
        if (w.as_object().at("subset").as_string() != name) continue;
        auto wrapped = unb64(w.as_object().at("wrapped").as_string());
        auto key = subset_key(members);
        auto root = wrapped ? aead_open(*wrapped, key->data(), operators_ad + name) : std::nullopt;
        for (auto& [i, k2] : given) sodium_memzero(k2.data(), k2.size());
        if (!root) break;
        Status s = install(*root);
        sodium_memzero(root->data(), root->size());
        return s;
    }
    return wrong("wrong_operator_files", "These operator key files do not open the vault.");
}

void Vault::seal() {
    {
        std::unique_lock lock(mutex_);
        root_.reset();  // sodium_free zeroes the page
        std::lock_guard cache(cache_mutex_);
        field_keys_.clear();
    }
    std::lock_guard hooks(hooks_mutex_);
    for (const auto& hook : seal_hooks_) hook();
}

void Vault::on_seal(std::function<void()> hook) {
    std::lock_guard hooks(hooks_mutex_);
    seal_hooks_.push_back(std::move(hook));
}

bool Vault::sealed() const {
    std::shared_lock lock(mutex_);
    return !root_;
}

std::string Vault::audit_public_key() const {
    try {
        auto file = json::parse(file_text_);
        if (auto* pk = file.as_object().if_contains("audit_public_key")) return unb64(pk->as_string()).value_or("");
    } catch (...) {}
    return {};
}

std::unique_ptr<SecretKey> Vault::subkey(KeyPurpose purpose) const {
    std::shared_lock lock(mutex_);
    if (!root_) throw VaultSealed();
    std::string out(32, '\0');
    crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(out.data()), 32, uint64_t(purpose), kdf_context, root_->data());
    auto k = std::make_unique<SecretKey>(out);
    sodium_memzero(out.data(), out.size());
    return k;
}

std::unique_ptr<SecretKey> Vault::subkey(KeyPurpose purpose, std::string_view context) const {
    auto master = subkey(purpose);
    std::string out(32, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), 32, reinterpret_cast<const unsigned char*>(context.data()), context.size(),
                       master->data(), SecretKey::size);
    auto k = std::make_unique<SecretKey>(out);
    sodium_memzero(out.data(), out.size());
    return k;
}

void Vault::with_key(KeyPurpose purpose, std::string_view context, const std::function<void(const SecretKey&)>& use) const {
    std::shared_lock lock(mutex_);
    if (!root_) throw VaultSealed();
    const std::string name = "#" + std::to_string(uint64_t(purpose)) + "/" + std::string(context);  // field keys never start with '#'
    const SecretKey* key = nullptr;
    {
        std::lock_guard cache(cache_mutex_);
        auto& slot = field_keys_[name];
        if (!slot) {
            std::string master(32, '\0'), out(32, '\0');
            crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(master.data()), 32, uint64_t(purpose), kdf_context, root_->data());
            if (context.empty())
                out = master;
            else
                crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), 32, reinterpret_cast<const unsigned char*>(context.data()),
                                   context.size(), reinterpret_cast<const unsigned char*>(master.data()), 32);
            slot = std::make_unique<SecretKey>(out);
            sodium_memzero(master.data(), master.size());
            sodium_memzero(out.data(), out.size());
        }
        key = slot.get();
    }
    use(*key);
}

namespace {
// Associated data: the value's place (and its key version), so a value moved elsewhere never decrypts.
std::string field_ad(std::string_view table, std::string_view column, int64_t row_id, uint32_t version) {
    std::string ad;
    ad.append(table).push_back('\0');
    ad.append(column).push_back('\0');
    ad += std::to_string(row_id);
    ad.push_back('\0');
    ad += std::to_string(version);
    return ad;
}
// A sealed field: format byte ‖ key version (u32, big endian) ‖ nonce ‖ ciphertext and tag.
constexpr char field_format = 1;
constexpr size_t field_header = 5;
}  // namespace

uint32_t Vault::field_key_version() const {
    std::shared_lock lock(mutex_);
    return field_version_;
}

std::optional<uint32_t> Vault::version_of(std::string_view sealed) {
    if (sealed.size() < field_header || sealed[0] != field_format) return std::nullopt;
    uint32_t v = 0;
    for (size_t i = 1; i < field_header; ++i) v = (v << 8) | static_cast<unsigned char>(sealed[i]);
    return v;
}

const SecretKey& Vault::field_key(std::string_view table, std::string_view column, uint32_t version) const {
    if (!root_) throw VaultSealed();
    const std::string name = std::string(table) + "." + std::string(column) + "#" + std::to_string(version);
    std::lock_guard cache(cache_mutex_);
    auto it = field_keys_.find(name);
    if (it != field_keys_.end()) return *it->second;
    std::string master(32, '\0'), out(32, '\0');
    crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(master.data()), 32, uint64_t(KeyPurpose::fields), kdf_context, root_->data());
    crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), 32, reinterpret_cast<const unsigned char*>(name.data()), name.size(),
                       reinterpret_cast<const unsigned char*>(master.data()), 32);
    auto& slot = field_keys_[name];
    slot = std::make_unique<SecretKey>(out);
    sodium_memzero(master.data(), master.size());
    sodium_memzero(out.data(), out.size());
    return *slot;
}

std::string Vault::seal_field(std::string_view table, std::string_view column, int64_t row_id, std::string_view plaintext) const {
    std::shared_lock lock(mutex_);
    const uint32_t v = field_version_;
    const SecretKey& key = field_key(table, column, v);
    std::string header(1, field_format);
    for (int i = 3; i >= 0; --i) header += char((v >> (i * 8)) & 0xff);
    return header + aead_seal(plaintext, key.data(), field_ad(table, column, row_id, v));
}

Result<std::string> Vault::open_field(std::string_view table, std::string_view column, int64_t row_id, std::string_view sealed) const {
    auto version = version_of(sealed);
    if (!version) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored value is damaged.");
    if (*version > field_key_version()) reread_key_version();
    std::shared_lock lock(mutex_);
    if (*version > field_version_) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored value is damaged.");
    const SecretKey& key = field_key(table, column, *version);
    auto plain = aead_open(sealed.substr(field_header), key.data(), field_ad(table, column, row_id, *version));
    if (!plain) return make_error(ErrorKind::unavailable, "bad_ciphertext", "A stored value is damaged or was moved.");
    return *plain;
}

void Vault::reread_key_version() const {
    std::ifstream in(path_);
    std::stringstream ss;
    ss << in.rdbuf();
    auto file = parsed_file(ss.str());
    if (!file) return;
    const auto* v = file->if_contains("field_key_version");
    if (!v || !v->is_int64()) return;
    std::unique_lock lock(mutex_);
    if (uint32_t(v->as_int64()) > field_version_) {
        field_version_ = uint32_t(v->as_int64());
        file_text_ = ss.str();
    }
}

Result<uint32_t> Vault::next_field_key_version() {
    std::unique_lock lock(mutex_);
    if (!root_) throw VaultSealed();
    HAVEN_TRY(file, parsed_file(file_text_));
    file["field_key_version"] = field_version_ + 1;
    std::string text = json::serialize(file);
    if (auto s = write_file(path_, text); !s) return s.error();
    file_text_ = text;
    return ++field_version_;
}

}  // namespace haven::crypto
