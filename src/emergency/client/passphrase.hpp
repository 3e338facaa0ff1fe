// Where a client's passphrase comes from: a file (its first line), `-` (the first line of standard input), or,
// with neither and a terminal at hand, a prompt that does not echo. Shared by haven-operator and haven-member.
#pragma once

#include <string>

#include "core/result.hpp"

namespace haven::emergency::client {

// `source` is --passphrase-file's value (empty when not given); `prompt` is what the terminal shows.
Result<std::string> passphrase_from(const std::string& source, const std::string& prompt = "Passphrase: ");

// Whether standard input is a terminal (a person who can be asked).
bool at_terminal();

// Asks a yes/no question on the terminal: true only when the person types `answer` exactly.
bool confirmed(const std::string& question, const std::string& answer);

}  // namespace haven::emergency::client
