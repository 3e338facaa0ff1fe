// Personal secret keys of signed-in people, in guarded memory, per session: opened at login with the
// password (which the server never keeps), gone at logout, when the session is revoked or goes idle, when the
// account is suspended (also by the mass-read alarm), at panic seal, and when the process stops. A key here is what lets a counsellor open their
// notes; nothing on disk can.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "crypto/vault.hpp"

namespace haven::accounts {

class Keyring {
public:
    // `expires_at`: the session's absolute end; `idle_until`: when it ends unless used again (touch()).
    void put(const std::string& session_id, int64_t account_id, int64_t expires_at, int64_t idle_until, std::string_view secret, int64_t now) {
        std::lock_guard lock(mutex_);
        sweep_locked(now);
        keys_[session_id] = Entry{account_id, expires_at, idle_until, std::make_unique<crypto::SecretKey>(secret)};
    }
    void touch(const std::string& session_id, int64_t idle_until) {
        std::lock_guard lock(mutex_);
        if (auto it = keys_.find(session_id); it != keys_.end()) it->second.idle_until = idle_until;
    }
    // Wipes the keys of sessions past their absolute or idle end.
    void sweep(int64_t now) {
        std::lock_guard lock(mutex_);
        sweep_locked(now);
    }
    size_t size() const {
        std::lock_guard lock(mutex_);
        return keys_.size();
    }
    // A copy of the key, for as long as the caller needs it (wipe it after use).
    std::optional<std::string> get(const std::string& session_id, int64_t account_id, int64_t now) const {
        std::lock_guard lock(mutex_);
        auto it = keys_.find(session_id);
        if (it == keys_.end() || it->second.account_id != account_id || it->second.expires_at <= now || it->second.idle_until <= now)
            return std::nullopt;
        return std::string(reinterpret_cast<const char*>(it->second.key->data()), crypto::SecretKey::size);
    }
    void forget_session(const std::string& session_id) {
        std::lock_guard lock(mutex_);
        keys_.erase(session_id);
    }
    void forget_account(int64_t account_id) {
        std::lock_guard lock(mutex_);
        for (auto it = keys_.begin(); it != keys_.end();) it = it->second.account_id == account_id ? keys_.erase(it) : std::next(it);
    }
    void clear() {
        std::lock_guard lock(mutex_);
        keys_.clear();
    }

private:
    void sweep_locked(int64_t now) {
        for (auto it = keys_.begin(); it != keys_.end();)
            it = it->second.expires_at <= now || it->second.idle_until <= now ? keys_.erase(it) : std::next(it);
    }
    struct Entry {
        int64_t account_id = 0, expires_at = 0, idle_until = 0;
        std::unique_ptr<crypto::SecretKey> key;
    };
    mutable std::mutex mutex_;
    std::map<std::string, Entry> keys_;
};

}  // namespace haven::accounts
