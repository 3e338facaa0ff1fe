#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/db.hpp"

namespace haven::storage {

// LISTEN on a connection of its own, in a thread of its own (storage::listen).
std::unique_ptr<Listener> listen_postgres(const std::string& url, const std::vector<std::string>& channels,
                                          std::function<void(const std::string&)> heard);

}  // namespace haven::storage
