#include "audit/chain.hpp"

#include <sstream>

#include "crypto/mac.hpp"
#include "crypto/random.hpp"

namespace haven::audit {
namespace {

std::string signed_message(const std::string& domain, int64_t seq, const std::string& hash) {
    return domain + "|" + std::to_string(seq) + "|" + hash;
}

}  // namespace

std::string length_prefixed(const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& part : parts) {
        out += std::to_string(part.size());
        out += ':';
        out += part;
    }
    return out;
}

std::string format_checkpoint(std::string_view chain, const Checkpoint& c) {
    return "haven " + std::string(chain) + " checkpoint v1\nseq " + std::to_string(c.seq) + "\nhash " + c.hash + "\nsignature " + c.signature + "\n";
}

std::optional<Checkpoint> parse_checkpoint(std::string_view chain, const std::string& text) {
    std::istringstream in(text);
    std::string magic, w;
    Checkpoint c;
    std::getline(in, magic);
    in >> w >> c.seq >> w >> c.hash >> w >> c.signature;
    if (magic != "haven " + std::string(chain) + " checkpoint v1" || c.seq <= 0 || c.hash.size() != 64) return std::nullopt;
    return c;
}

std::string link_hash(const std::string& prev_hash, const std::string& canonical) {
    return crypto::hex(crypto::hash(crypto::from_hex(prev_hash).value_or(std::string(32, '\0')) + canonical, 32));
}

std::string link_signature(const crypto::Vault& vault, const std::string& domain, int64_t seq, const std::string& hash) {
    std::string out;
    vault.with_key(crypto::KeyPurpose::audit_signing, "",
                   [&](const crypto::SecretKey& seed) { out = crypto::hex(crypto::sign(seed, signed_message(domain, seq, hash))); });
    return out;
}

void ChainCheck::fail(int64_t seq, std::string problem_text) {
    if (bad_seq) return;
    bad_seq = seq;
    problem = std::move(problem_text);
}

bool ChainCheck::signature_ok(int64_t seq, const std::string& hash, const std::string& signature) const {
    auto sig = crypto::from_hex(signature);
    return sig && crypto::verify(public_key_, signed_message(domain_, seq, hash), *sig);
}

void ChainCheck::link(int64_t seq, const std::string& prev_hash, const std::string& hash, const std::string& signature,
                      const std::string& canonical) {
    ++entries;
    if (seq != expected_) fail(expected_, seq > expected_ ? "missing (the next entry is " + std::to_string(seq) + ")" : "out of order");
    expected_ = seq + 1;
    if (prev_hash != prev_) fail(seq, "does not follow the entry before it (deleted, swapped or rewritten)");
    if (link_hash(prev_hash, canonical) != hash) fail(seq, "its content does not match its hash (altered)");
    if (!signature_ok(seq, hash, signature)) fail(seq, "its signature is not valid (rewritten without the key)");
    if (checkpoint_seq_ && seq == checkpoint_seq_) checkpoint_hash_ = hash;
    prev_ = hash;
}

void ChainCheck::end(std::optional<std::pair<int64_t, std::string>> head, const std::string& what_ends) {
    if (!head)
        fail(0, "the head record is missing");
    else if (head->first > expected_ - 1)
        fail(expected_,
             what_ends + " ends before its head (entries " + std::to_string(expected_) + " to " + std::to_string(head->first) + " truncated)");
    else if (head->first != expected_ - 1 || head->second != prev_)
        fail(head->first + 1, "the head is behind the entries (it names entry " + std::to_string(head->first) + ")");
}

void ChainCheck::require(const Checkpoint& checkpoint) {
    if (!checkpoint_hash_)
        fail(checkpoint.seq, "the exported checkpoint's entry is gone (truncated)");
    else if (*checkpoint_hash_ != checkpoint.hash)
        fail(checkpoint.seq, "differs from the exported checkpoint");
    if (!signature_ok(checkpoint.seq, checkpoint.hash, checkpoint.signature)) fail(checkpoint.seq, "the checkpoint file's signature is not valid");
}

}  // namespace haven::audit
