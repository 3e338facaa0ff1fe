// A signed hash chain, as the audit log and the legal-aid funds' ledger keep one: each link's hash is
// BLAKE2b-256(previous hash ‖ canonical bytes), signed with the vault's audit key over "<domain>|seq|hash", with
// gap-free sequence numbers and a head row naming the last link. Linking on write and checking on read live here
// once; each chain keeps its own tables and canonical form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "crypto/vault.hpp"

namespace haven::audit {

// The hash of a link after `prev_hash` (hex; the first link follows 64 zeros).
std::string link_hash(const std::string& prev_hash, const std::string& canonical);
// The link's signature (hex). Needs the vault unsealed.
std::string link_signature(const crypto::Vault& vault, const std::string& domain, int64_t seq, const std::string& hash);

// Walks a chain in sequence order, keeping the first fault.
class ChainCheck {
public:
    ChainCheck(std::string public_key, std::string domain) : public_key_(std::move(public_key)), domain_(std::move(domain)) {}
    void link(int64_t seq, const std::string& prev_hash, const std::string& hash, const std::string& signature, const std::string& canonical);
    // After the last link: the head must name it (`seq`, `hash`); nullopt when the head row is missing.
    void end(std::optional<std::pair<int64_t, std::string>> head, const std::string& what_ends);
    void fail(int64_t seq, std::string problem);
    bool signature_ok(int64_t seq, const std::string& hash, const std::string& signature) const;

    int64_t entries = 0;
    std::optional<int64_t> bad_seq;  // the first link at fault
    std::string problem;

private:
    std::string public_key_, domain_;
    std::string prev_ = std::string(64, '0');
    int64_t expected_ = 1;
};

}  // namespace haven::audit
