// haven-operator: the emergency network's operator client. Keys (organisation signing key, roster key, the
// operators' box key, each activation's answer key) live only in this device's sealed state; the server gets
// ciphertext. The commands: this file (the state, the token, enrolment, approval, the roster), activate
// (operator_activate.cpp), answers (operator_answers.cpp). See docs/EMERGENCY.md.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

#include "crypto/random.hpp"
#include "emergency/client/common.hpp"
#include "emergency/client/operator.hpp"
#include "emergency/client/passphrase.hpp"
#include "emergency/client/qr.hpp"
#include "emergency/enrol_link.hpp"

namespace json = boost::json;
using namespace haven;
using namespace haven::emergency;
using namespace haven::emergency::client;

namespace {

// An organisation's state is never replaced by accident: that would orphan every member (they pinned its key).
void may_replace(const std::string& path, bool replace, bool yes) {
    if (!std::filesystem::exists(path)) return;
    if (!replace)
        fail("a state is at " + path +
             " already: its organisation key is what every member pinned. To make a new organisation anyway (every member must "
             "enrol again), add --replace-organisation");
    if (!yes && !confirmed("This replaces the organisation at " + path + "; every member will have to enrol again.", "replace"))
        fail("the organisation was kept (confirm on a terminal, or add --yes)");
}

// The packets in the inbox that open with this device's box key (progress on stderr: there may be thousands).
void waiting(const Operator& op, std::vector<std::pair<int64_t, json::object>>& packets) {
    const BoxKeys box{hex(op.state, "box_pk"), hex(op.state, "box_sk")};
    const auto inbox = json::parse(call(op.state, "GET", "/api/v1/network/inbox").body).at("items").as_array();
    size_t done = 0;
    for (const auto& item : inbox) {
        if (++done % 500 == 0 || done == inbox.size()) std::cerr << "\ropened " << done << " of " << inbox.size() << " packets" << std::flush;
        auto packet = open_sealed(box, *from_hex(std::string(item.at("sealed").as_string())));
        boost::system::error_code ec;
        auto v = packet ? json::parse(*packet, ec) : json::value();
        if (!packet || ec || !v.is_object()) continue;  // not for us: left for whoever holds the key
        packets.emplace_back(item.at("id").as_int64(), v.as_object());
    }
    if (!inbox.empty()) std::cerr << "\n";
}

std::string list_of(const json::object& o, const char* key) {
    std::string out;
    if (const auto* v = o.if_contains(key); v && v->is_array())
        for (const auto& e : v->as_array())
            if (e.is_string()) out += (out.empty() ? "" : ",") + std::string(e.as_string());
    return out.empty() ? "-" : out;
}

void print_member(const json::object& m) {
    std::cout << hex_of(m, "member_id") << "\t" << hex_of(m, "pseudonym") << "\tregions " << list_of(m, "regions") << "\tskills "
              << list_of(m, "skills") << "\tcontacts " << list_of(m, "contacts");
    if (const auto* e = m.if_contains("enrolled_at"); e && e->is_int64()) std::cout << "\tenrolled " << date_of(e->as_int64());
    if (const auto* r = m.if_contains("revoked_at"); r && r->is_int64()) std::cout << "\tREVOKED " << date_of(r->as_int64());
    std::cout << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"haven-operator: wakes the emergency network; keys stay on this device (docs/EMERGENCY.md)."};
    app.require_subcommand(1);
    std::string state_path = "operator.state", passphrase_file;
    app.add_option("--state", state_path, "This device's sealed state.");
    app.add_option("--passphrase-file", passphrase_file,
                   "File whose first line opens the state; - reads it from standard input; none: asked on the terminal.");

    std::string server, token, ca_file;
    bool replace = false, yes = false;
    auto* init = app.add_subcommand("init", "Make the organisation's keys and this device's state (the token is checked with the hub at once).");
    init->add_option("--server", server, "https://your-hub.example.org")->required();
    init->add_option("--token", token, "An API token of an emergency_operator account (haven token create).")->required();
    init->add_option("--ca-file", ca_file, "CA of a hub with its own certificate.");
    init->add_flag("--replace-organisation", replace, "Replace an existing state's organisation (every member must enrol again).");
    init->add_flag("--yes", yes, "Do not ask for confirmation.");

    std::string new_token;
    auto* token_cmd = app.add_subcommand("token", "Replace this device's API token (checked with the hub first).");
    token_cmd->add_option("token", new_token, "The new token (haven token create).")->required();

    std::string file, file_passphrase;
    auto* export_cmd =
        app.add_subcommand("export", "Write the whole operator state sealed under a passphrase of its own, for a second device or a backup.");
    export_cmd->add_option("--out", file, "The file to write.")->required();
    export_cmd->add_option("--export-passphrase-file", file_passphrase, "Its passphrase (a file, or -); none: asked on the terminal.");
    auto* import_cmd = app.add_subcommand("import", "Make this device's state from an export (a second operator device, a restore).");
    import_cmd->add_option("--in", file, "The exported file.")->required();
    import_cmd->add_option("--export-passphrase-file", file_passphrase, "The export's passphrase (a file, or -); none: asked on the terminal.");
    import_cmd->add_flag("--replace-organisation", replace, "Replace an existing state.");
    import_cmd->add_flag("--yes", yes, "Do not ask for confirmation.");

    std::string qr_png;
    auto* enrol =
        app.add_subcommand("enrol",
                           "A one-time enrolment code (48 h) for a member: a link HAVEN:2/CODE/FINGERPRINT/HUB and its QR code "
                           "(at most 24 rows, black on white whatever the theme), to scan with the member app or paste into haven-member enrol.");
    enrol->add_option("--qr-png", qr_png, "Also write the QR code as a PNG image (for another screen or a printout).");
    std::string list_action, list_kind, list_id;
    std::vector<std::string> list_names;
    auto* lists_cmd = app.add_subcommand("lists",
                                         "The regions and skills members choose from, with their names in each language: "
                                         "`lists`, `lists add region pskov en=Pskov ru=Псков`, `lists remove region pskov`. "
                                         "Codes made afterwards carry them; tiers name them by id or any name.");
    lists_cmd->add_option("action", list_action, "add | remove (none: show the lists)")->check(CLI::IsMember({"add", "remove"}));
    lists_cmd->add_option("kind", list_kind, "region | skill")->check(CLI::IsMember({"region", "skill"}));
    lists_cmd->add_option("id", list_id, "The id tiers and members' devices carry: a-z, 0-9 and _ (pskov, safe_flat).");
    lists_cmd->add_option("names", list_names, "Its names, LANGUAGE=NAME: en=Pskov ru=Псков.");
    auto* codes = app.add_subcommand("codes", "List the enrolment codes not used yet; `codes revoke ID` withdraws one.");
    std::string code_action, code_id;
    codes->add_option("action", code_action, "revoke")->check(CLI::IsMember({"revoke"}));
    codes->add_option("id", code_id, "The code's id (from the list).");
    auto* sync = app.add_subcommand("sync", "Open new members' sealed packets: they wait, named, for approve or reject.");
    std::string member_id;
    std::vector<std::string> approve_ids;
    bool approve_all = false;
    auto* approve = app.add_subcommand("approve", "Add waiting members to the roster (one write of the roster for all of them).");
    approve->add_option("ids", approve_ids, "Members' ids (from sync).");
    approve->add_flag("--all", approve_all, "Every member sync lists as waiting: read the list first.");
    auto* reject = app.add_subcommand("reject", "Refuse a waiting member: their packet and their mailbox on the hub are deleted.");
    reject->add_option("id", member_id, "The member's id (from sync).")->required();
    auto* revoke =
        app.add_subcommand("revoke", "Remove a member (a lost phone): their mailbox goes from the hub, no alert is wrapped for them again.");
    revoke->add_option("id", member_id, "The member's id (from roster).")->required();
    auto* roster = app.add_subcommand("roster", "List the roster: id, pseudonym, regions, skills, contacts, enrolment date.");

    ActivateOptions a;
    bool resume_flag = false;
    auto* activate_cmd = app.add_subcommand("activate", "Show what will be sent and to how many, ask, then sign, encrypt, wrap, upload, publish.");
    activate_cmd->add_option("--status", a.status, "real | exercise | test (a drill is exercise; members see which)")
        ->check(CLI::IsMember({"real", "exercise", "test"}));
    activate_cmd->add_option("--type", a.type, "alert (default) | update | cancel")->check(CLI::IsMember({"alert", "update", "cancel"}));
    activate_cmd->add_option("--refers-to", a.refers_to, "The alert an update or cancel is about (its id, as activate printed it).");
    activate_cmd->add_option("--tier", a.tiers, "'regions=a,b; skills=c; after=15m' (units s, m, h; repeat; none: everyone now)");
    activate_cmd->add_option("--text", a.text, "What members read.");
    activate_cmd->add_option("--expires-hours", a.expires_hours, "Deleted from the server after (hours).")->check(CLI::Range(1, 720));
    activate_cmd->add_flag("--yes", a.yes, "Send without asking (for scripts).");
    activate_cmd->add_flag("--resume", resume_flag, "Finish an activation whose upload or publication was interrupted (same id, never sent twice).");
    a.type = "alert";

    auto* queues = app.add_subcommand("queues", "The doorbell queues: depth and oldest ring per channel.");
    std::string activation;
    auto* answers_cmd =
        app.add_subcommand("answers", "Who answered and when they come (ETA, due time, contacts), then speed, coverage per tier, delivery.");
    answers_cmd->add_option("id", activation)->required();

    program() = "haven-operator";
    CLI11_PARSE(app, argc, argv);
    if (*activate_cmd && !resume_flag) {
        if (a.status.empty()) fail("activate needs --status real, exercise or test (a drill is exercise): there is no default");
        if (a.text.empty()) fail("activate needs --text, what members read");
    }
    crypto::init();

    if (*init) {
        may_replace(state_path, replace, yes);
        check_token(server, token, ca_file);
        const std::string passphrase = must(passphrase_from(passphrase_file, "New passphrase for this operator state: "));
        const SigningKeys org = new_signing_keys();
        const BoxKeys box = new_box_keys();
        Operator op{state_path, passphrase,
                    json::object{{"server", server},
                                 {"token", token},
                                 {"ca_file", ca_file},
                                 {"org_pk", to_hex(org.public_key)},
                                 {"org_sk", to_hex(org.secret_key)},
                                 {"roster_key", to_hex(crypto::random_bytes(32))},
                                 {"box_pk", to_hex(box.public_key)},
                                 {"box_sk", to_hex(box.secret_key)},
                                 {"activations", json::array{}}}};
        op.save();
        std::cout << "organisation key " << to_hex(org.public_key) << "\n";
        return 0;
    }
    if (*import_cmd) {
        may_replace(state_path, replace, yes);
        const std::string sealed_with = must(passphrase_from(file_passphrase, "Passphrase of the export: "));
        json::object state = must(load_state(file, sealed_with));
        if (hex_of(state, "org_sk").empty() || hex_of(state, "roster_key").empty()) fail(file + " is not an operator state");
        const std::string passphrase = must(passphrase_from(passphrase_file, "New passphrase for this device's state: "));
        Operator op{state_path, passphrase, std::move(state)};
        check_token(hex_of(op.state, "server"), hex_of(op.state, "token"), hex_of(op.state, "ca_file"));
        op.save();
        std::cout << "organisation key " << hex_of(op.state, "org_pk") << " restored; " << op.state.at("activations").as_array().size()
                  << " activation(s) with their answer keys\n";
        return 0;
    }
    if (!std::filesystem::exists(state_path))
        fail("no operator state at " + state_path +
             ": make one with `init` (a new organisation) or `import` (an export of this organisation), "
             "or give its path with --state");
    Operator op{state_path, must(passphrase_from(passphrase_file)), {}};
    op.state = must(load_state(state_path, op.passphrase));

    if (*token_cmd) {
        check_token(hex_of(op.state, "server"), new_token, hex_of(op.state, "ca_file"));
        op.state["token"] = new_token;
        op.save();
        std::cout << "token replaced; the hub accepts it\n";
        return 0;
    }
    if (*export_cmd) {
        const std::string sealed_with = must(passphrase_from(file_passphrase, "Passphrase for the export (give it only to another operator): "));
        if (sealed_with == op.passphrase) fail("choose a passphrase for the export other than this device's");
        if (auto s = save_state(file, sealed_with, op.state); !s) fail(s.error().message);
        std::cout << "the operator state (organisation key, roster key, answer keys) is sealed in " << file << "\n";
        return 0;
    }
    if (*lists_cmd) {
        Lists lists = lists_of(op.state);
        if (!list_action.empty()) {
            if (list_kind.empty() || list_id.empty()) fail("lists " + list_action + " needs KIND (region or skill) and ID");
            auto& list = *lists.of(list_kind);
            auto at = std::find_if(list.begin(), list.end(), [&](const ListEntry& e) { return e.id == list_id; });
            if (list_action == "remove") {
                if (at == list.end()) fail("there is no " + list_kind + " " + list_id + " on the lists");
                list.erase(at);
            } else {
                auto entry = list_entry(list_id, list_names);
                if (!entry) fail(list_kind + " " + list_id + ": " + entry.error().message);
                if (at != list.end())
                    *at = *entry;
                else if (list.size() >= max_list_entries)
                    fail("a list holds at most " + std::to_string(max_list_entries) + " entries");
                else
                    list.push_back(*entry);
            }
            if (seal_lists(lists, std::string(24, 'A')).size() > max_sealed_lists)
                fail("the lists would be too long for one code: shorten the names");
            op.state["lists"] = lists_json(lists);
            op.save();
        }
        for (const auto* kind : {"region", "skill"})
            for (const auto& e : *lists.of(kind)) {
                std::cout << kind << "\t" << e.id;
                for (const auto& [language, name] : e.names) std::cout << "\t" << language << "=" << name;
                std::cout << "\n";
            }
        std::cout << lists.regions.size() << " region(s), " << lists.skills.size() << " skill(s); codes made from now on carry them\n";
        return 0;
    }
    if (*enrol) {
        // The keys go to the hub with the code; the link carries only their fingerprint, which the member's device
        // checks the keys it fetches against (a QR code of version 4 rather than 9).
        const std::string org_pk = hex_of(op.state, "org_pk"), box_pk = hex_of(op.state, "box_pk");
        auto r = call(op.state, "POST", "/api/v1/network/enrolments", json::serialize(json::object{{"org_pk", org_pk}, {"box_pk", box_pk}}),
                      "application/json");
        const std::string code(json::parse(r.body).at("code").as_string());
        // The lists go sealed under the code, which the hub does not keep: it stores them without reading them.
        // A code whose lists did not arrive is withdrawn: its member would be asked to type words instead.
        if (const Lists lists = lists_of(op.state); !lists.empty()) {
            const std::string id = std::to_string(json::parse(r.body).at("id").as_int64());
            auto put = call(op.state, "PUT", "/api/v1/network/enrolments/" + id + "/lists",
                            json::serialize(json::object{{"lists", to_hex(seal_lists(lists, code))}}), "application/json", {},
                            {400, 404, 413, 422, 429, 503});
            if (put.status != 200) {
                call(op.state, "DELETE", "/api/v1/network/enrolments/" + id, {}, {}, {}, {404, 503});
                fail("the hub did not take the lists (" + std::to_string(put.status) + "): the code is withdrawn; try again");
            }
        }
        const std::string link = enrol_link_v2(hex_of(op.state, "server"), code, enrolment_fingerprint(*from_hex(org_pk), *from_hex(box_pk)));
        std::cout << link << "\n";
        print_qr(link, std::cout);
        if (!qr_png.empty()) {
            if (auto s = write_qr_png(link, qr_png); !s) fail(s.error().message);
            std::cout << "QR code written to " << qr_png << "\n";
        }
        std::cout << "valid 48 hours, for one member; `codes` lists the codes not used yet\n";
        return 0;
    }
    if (*codes) {
        if (code_action == "revoke") {
            if (code_id.empty()) fail("codes revoke needs the code's id (from `codes`)");
            call(op.state, "DELETE", "/api/v1/network/enrolments/" + code_id);
            std::cout << "code " << code_id << " revoked\n";
            return 0;
        }
        const auto listed = json::parse(call(op.state, "GET", "/api/v1/network/enrolments").body).at("items").as_array();
        for (const auto& c : listed)
            std::cout << c.at("id").as_int64() << "\tmade " << date_of(c.at("created_at").as_int64()) << " "
                      << clock_time(c.at("created_at").as_int64()) << "\texpires " << date_of(c.at("expires_at").as_int64()) << " "
                      << clock_time(c.at("expires_at").as_int64()) << "\n";
        std::cout << listed.size() << " open code(s)\n";
        return 0;
    }
    if (*sync || *approve || *reject) {
        std::vector<std::pair<int64_t, json::object>> packets;
        waiting(op, packets);
        if (*sync) {
            for (const auto& [inbox_id, m] : packets) {
                std::cout << "waiting\t";
                print_member(m);
            }
            std::cout << packets.size() << " waiting for approval" << (packets.empty() ? "" : ": approve ID or reject ID") << "\n";
            return 0;
        }
        auto waiting_for = [&](const std::string& id) {
            auto found = std::find_if(packets.begin(), packets.end(), [&](const auto& p) { return hex_of(p.second, "member_id") == id; });
            if (found == packets.end()) fail("no member " + id + " is waiting (run sync to list them); nothing was approved");
            return *found;
        };
        if (*approve) {
            if (approve_ids.empty() == !approve_all) fail("approve takes members' ids (from sync) or --all");
            std::vector<std::pair<int64_t, json::object>> chosen;
            if (approve_all) chosen = packets;
            for (const auto& id : approve_ids) chosen.push_back(waiting_for(id));
            auto roster_now = read_roster(op.state);
            // Already there when an earlier approve wrote the roster but lost the inbox deletion: not added twice.
            std::set<std::string> there;
            for (const auto& m : roster_now.members) there.insert(hex_of(m.as_object(), "member_id"));
            size_t added = 0;
            for (const auto& [inbox_id, m] : chosen)
                if (there.insert(hex_of(m, "member_id")).second) {
                    roster_now.members.push_back(m);
                    ++added;
                }
            if (added) write_roster(op.state, roster_now);
            size_t done = 0;
            for (const auto& [inbox_id, m] : chosen) {
                call(op.state, "DELETE", "/api/v1/network/inbox/" + std::to_string(inbox_id));
                if (++done % 500 == 0 || done == chosen.size())
                    std::cerr << "\rcleared " << done << " of " << chosen.size() << " packets" << std::flush;
            }
            std::cerr << "\n";
            for (const auto& [inbox_id, m] : chosen) std::cout << hex_of(m, "pseudonym") << " approved\n";
            std::cout << added << " added; " << members(roster_now.members.size()) << " in the roster\n";
        } else {
            const auto found = waiting_for(member_id);
            call(op.state, "POST", "/api/v1/network/members/" + member_id + "/revoke", "{}", "application/json", {}, {404});
            call(op.state, "DELETE", "/api/v1/network/inbox/" + std::to_string(found.first));
            std::cout << hex_of(found.second, "pseudonym") << " rejected: their packet and mailbox are deleted\n";
        }
        return 0;
    }
    if (*revoke) {
        auto roster_now = read_roster(op.state);
        json::object* entry = nullptr;
        for (auto& m : roster_now.members)
            if (hex_of(m.as_object(), "member_id") == member_id) entry = &m.as_object();
        if (!entry) fail("no member " + member_id + " in the roster (see `roster`)");
        call(op.state, "POST", "/api/v1/network/members/" + member_id + "/revoke", "{}", "application/json", {}, {404});
        if (!entry->contains("revoked_at")) {
            (*entry)["revoked_at"] = now_ms();
            write_roster(op.state, roster_now);
        }
        std::cout << hex_of(*entry, "pseudonym") << " revoked: no alert is wrapped for them again\n";
        return 0;
    }
    if (*roster) {
        const auto listed = read_roster(op.state).members;
        for (const auto& m : listed) print_member(m.as_object());
        std::cout << members(listed.size()) << "\n";
        return 0;
    }
    if (*activate_cmd) return resume_flag ? resume(op) : activate(op, a);
    if (*queues) {
        const auto listed = json::parse(call(op.state, "GET", "/api/v1/network/doorbells/queues").body);
        for (const auto& q : listed.at("items").as_array())
            std::cout << q.at("channel").as_string() << "\tdepth " << q.at("depth").as_int64() << "\toldest " << q.at("oldest_ms").as_int64() / 1000
                      << " s\tdelivered " << q.at("delivered").as_int64() << "\tgiven up " << q.at("failed").as_int64() << "\n";
        return 0;
    }
    if (*answers_cmd) return answers(op, activation);
    return 0;
}
