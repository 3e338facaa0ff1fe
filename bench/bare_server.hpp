// The baseline of the HTTP benchmark: Beast alone, one I/O thread, answering every request with fixed bytes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace haven::bench {

// Starts on a background thread; returns the port. `headers` and `body` are what it answers.
uint16_t start_bare_server(std::vector<std::pair<std::string, std::string>> headers, std::string body);

}  // namespace haven::bench
