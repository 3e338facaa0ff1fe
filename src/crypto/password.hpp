// Passwords: Argon2id through libsodium's crypto_pwhash_str, and the rules a new password must meet.
#pragma once

#include <string>
#include <string_view>

#include <cstdint>
#include <memory>

#include "core/result.hpp"
#include "crypto/vault.hpp"

namespace haven::crypto {

constexpr size_t min_password_length = 12;
constexpr size_t max_password_length = 256;

std::string hash_password(std::string_view password);
bool verify_password(const std::string& stored_hash, std::string_view password);
// For an unknown user: spends one Argon2id verification (against a hash made once per process), so that
// a wrong username takes as long as a wrong password.
void equalise_login_time(std::string_view password);

// A key only the person holding the password can make: Argon2id (libsodium INTERACTIVE limits) of the
// password with a per-account 16-byte salt. Opens that account's personal secrets (counselling notes).
std::unique_ptr<SecretKey> personal_key(std::string_view password, std::string_view salt);

// How many Argon2id computations this process has made (hashes, verifications, personal keys): the work a login
// costs, counted, so a test can show that every failure costs the same.
uint64_t argon2_runs();

// Refuses (422, field "password") a short, overlong, or commonly used password, or one equal to the username.
Status check_new_password(std::string_view password, std::string_view username);

}  // namespace haven::crypto
