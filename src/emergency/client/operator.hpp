// What haven-operator's commands share: the hub as this device's state names it, and the roster (opened with the
// roster key, written back under its version). Each command is a function of the opened state (operator_*.cpp).
#pragma once

#include <boost/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "emergency/lists.hpp"
#include "http/transport/client.hpp"

namespace haven::emergency::client {

// This device: its sealed state's path and passphrase, and the state opened.
struct Operator {
    std::string path, passphrase;
    boost::json::object state;
    void save() const;
};

// A request to the hub with the state's token; stops with the hub's answer on 4xx and 5xx, unless the status is
// in `allowed`.
http::client::Reply call(const boost::json::object& state, const std::string& method, const std::string& target, const std::string& body = {},
                         const std::string& type = {}, const std::vector<std::pair<std::string, std::string>>& headers = {},
                         std::vector<int> allowed = {});

// Whether the hub takes this token as an emergency operator's (asked at once, by listing open enrolment codes).
void check_token(const std::string& server, const std::string& token, const std::string& ca_file);

struct RosterRead {
    boost::json::array members;
    int64_t version = 0;
};
RosterRead read_roster(const boost::json::object& state);
void write_roster(const boost::json::object& state, const RosterRead& roster);

// The operators' lists of regions and skills kept in the state (empty when none were made).
Lists lists_of(const boost::json::object& state);

// "1 member", "2 members".
std::string members(size_t n);
// Local time of day, "21:35".
std::string clock_time(int64_t epoch_ms);
std::string date_of(int64_t epoch_ms);

struct ActivateOptions {
    std::string status, type, refers_to, text;
    std::vector<std::string> tiers;
    int expires_hours = 24;
    bool yes = false;
};
int activate(Operator& op, const ActivateOptions& options);
// Finishes the activation this device saved before uploading and did not see published.
int resume(Operator& op);
int answers(const Operator& op, const std::string& activation);

}  // namespace haven::emergency::client
