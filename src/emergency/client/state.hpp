// A client's state on its own device (keys, roster key, received alerts): one JSON document sealed under a key
// made from the device holder's passphrase (Argon2id, per-file salt). Written whole to a temporary file, synced,
// then renamed over the old one, so a crash leaves the old state or the new, never half of one.
#pragma once

#include <boost/json.hpp>

#include <string>

#include "core/result.hpp"

namespace haven::emergency::client {

Result<boost::json::object> load_state(const std::string& path, const std::string& passphrase);
Status save_state(const std::string& path, const std::string& passphrase, const boost::json::object& state);

// Hex members of a state document.
std::string hex_of(const boost::json::object& o, const char* key);

}  // namespace haven::emergency::client
