#include "emergency/client/passphrase.hpp"

#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

namespace haven::emergency::client {

namespace {

constexpr size_t shortest = 12;

Result<std::string> checked(std::string line, const std::string& where) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() < shortest)
        return make_error(ErrorKind::invalid, "bad_passphrase", "The passphrase " + where + " is shorter than 12 characters.", "passphrase-file");
    return line;
}

// Reads a line from the terminal with echo off, and puts echo back however the read ends. Echo goes off before
// the prompt is shown: what is typed as soon as the prompt appears is never echoed (CI caught the race under load).
std::string read_hidden(const std::string& prompt) {
    termios old{};
    const bool hidden = ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (hidden) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);  // keeps what was typed ahead
    }
    std::cerr << prompt << std::flush;
    std::string line;
    std::getline(std::cin, line);
    if (hidden) ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    return line;
}

}  // namespace

bool at_terminal() { return ::isatty(STDIN_FILENO) == 1; }

Result<std::string> passphrase_from(const std::string& source, const std::string& prompt) {
    if (source == "-") {
        std::string line;
        if (!std::getline(std::cin, line))
            return make_error(ErrorKind::invalid, "bad_passphrase", "Standard input holds no passphrase.", "passphrase-file");
        return checked(line, "on standard input");
    }
    if (!source.empty()) {
        std::ifstream in(source);
        if (!in) return make_error(ErrorKind::not_found, "no_passphrase_file", "Cannot read the passphrase file " + source + ".", "passphrase-file");
        std::string line;
        std::getline(in, line);
        return checked(line, "in " + source);
    }
    if (!at_terminal())
        return make_error(ErrorKind::invalid, "no_passphrase",
                          "No passphrase: give --passphrase-file FILE, or --passphrase-file - to read it from standard input.", "passphrase-file");
    return checked(read_hidden(prompt), "typed");
}

bool confirmed(const std::string& question, const std::string& answer) {
    if (!at_terminal()) return false;
    std::cerr << question << " Type \"" << answer << "\" to go on: " << std::flush;
    std::string line;
    return std::getline(std::cin, line) && line == answer;
}

}  // namespace haven::emergency::client
