// haven audit verify --data DIR [--checkpoint FILE]   exits 1 naming the first bad entry
// haven audit checkpoint --data DIR                   prints the latest signed checkpoint, to keep off the server
#include <fstream>
#include <iostream>
#include <sstream>

#include "audit/audit.hpp"
#include "cli/store_session.hpp"

namespace haven::cli {

bool read_checkpoint(const std::string& file, std::string_view chain, std::optional<audit::Checkpoint>& out) {
    if (file.empty()) return true;
    std::ifstream in(file);
    std::stringstream ss;
    ss << in.rdbuf();
    out = audit::parse_checkpoint(chain, ss.str());
    if (!out) std::cerr << "haven: " << file << " is not a Haven " << chain << " checkpoint\n";
    return out.has_value();
}

void add_audit(CLI::App& app, int& exit_code) {
    auto* audit_cmd = app.add_subcommand("audit", "Check the tamper-evident audit log.");
    audit_cmd->require_subcommand(1);
    auto checkpoint_file = std::make_shared<std::string>();
    auto* verify = add_command(*audit_cmd, "verify", "Verify the whole chain and its signatures (the vault may stay sealed).", exit_code,
                               [checkpoint_file](const Config& config) {
                                   return with_store(config, [&](StoreSession& s) {
                                       std::optional<audit::Checkpoint> checkpoint;
                                       if (!read_checkpoint(*checkpoint_file, "audit", checkpoint)) return 2;
                                       auto v = audit::verify(*s.db, s.vault->audit_public_key(), checkpoint);
                                       if (v.bad_seq) {
                                           std::cout << "audit log BROKEN at entry " << *v.bad_seq << ": " << v.problem << " (" << v.entries
                                                     << " entries read)\n";
                                           return 1;
                                       }
                                       std::cout << "audit log intact: " << v.entries << " entries, chain and signatures valid"
                                                 << (checkpoint ? ", checkpoint " + std::to_string(checkpoint->seq) + " present" : "") << "\n";
                                       return 0;
                                   });
                               });
    verify->add_option("--checkpoint", *checkpoint_file, "a checkpoint file kept off the server (haven audit checkpoint)");
    add_command(*audit_cmd, "checkpoint", "Print the latest signed checkpoint; keep it off the server.", exit_code, [](const Config& config) {
        return with_store(config, [&](StoreSession& s) {
            auto c = audit::latest_checkpoint(*s.db);
            if (!c) {
                std::cerr << "haven: the audit log is empty\n";
                return 1;
            }
            std::cout << audit::format_checkpoint(*c);
            return 0;
        });
    });
}

}  // namespace haven::cli
