// A signed hash chain, as the audit log and the legal-aid funds' ledger keep one: each link's hash is
// BLAKE2b-256(previous hash ‖ canonical bytes), signed with the vault's audit key over "<domain>|seq|hash", with
// gap-free sequence numbers and a head row naming the last link. Linking on write and checking on read live here
// once; each chain keeps its own tables and canonical form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/vault.hpp"

namespace haven::audit {

// Fields joined length-prefixed, so that no two entries share bytes: a chain's canonical form.
std::string length_prefixed(const std::vector<std::string>& parts);

// A signed link exported off the server (`haven audit checkpoint`, `haven ledger checkpoint`): a later check that
// still finds it shows the chain was not cut back, even with its head row rewritten.
struct Checkpoint {
    int64_t seq = 0;
    std::string hash, signature;
};
// "haven <chain> checkpoint v1\nseq …\nhash …\nsignature …\n"; `chain` is "audit" or "ledger".
std::string format_checkpoint(std::string_view chain, const Checkpoint& c);
std::optional<Checkpoint> parse_checkpoint(std::string_view chain, const std::string& text);

// The hash of a link after `prev_hash` (hex; the first link follows 64 zeros).
std::string link_hash(const std::string& prev_hash, const std::string& canonical);
// The link's signature (hex). Needs the vault unsealed.
std::string link_signature(const crypto::Vault& vault, const std::string& domain, int64_t seq, const std::string& hash);

// Walks a chain in sequence order, keeping the first fault.
class ChainCheck {
public:
    ChainCheck(std::string public_key, std::string domain, int64_t checkpoint_seq = 0)
        : public_key_(std::move(public_key)), domain_(std::move(domain)), checkpoint_seq_(checkpoint_seq) {}
    void link(int64_t seq, const std::string& prev_hash, const std::string& hash, const std::string& signature, const std::string& canonical);
    // After the last link: the head must name it (`seq`, `hash`); nullopt when the head row is missing.
    void end(std::optional<std::pair<int64_t, std::string>> head, const std::string& what_ends);
    // Whether the links walked held `checkpoint` (call after end()); its signature checked too.
    void require(const Checkpoint& checkpoint);
    void fail(int64_t seq, std::string problem);
    bool signature_ok(int64_t seq, const std::string& hash, const std::string& signature) const;

    int64_t entries = 0;
    std::optional<int64_t> bad_seq;  // the first link at fault
    std::string problem;

private:
    std::string public_key_, domain_;
    std::optional<std::string> checkpoint_hash_;  // the hash of the link at the checkpoint's seq, when walked
    int64_t checkpoint_seq_ = 0;
    std::string prev_ = std::string(64, '0');
    int64_t expected_ = 1;
};

}  // namespace haven::audit
