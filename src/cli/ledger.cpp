// haven ledger verify --data DIR [--checkpoint FILE]   exits 1 naming the first bad entry of the legal-aid ledger
// haven ledger checkpoint --data DIR                   prints the latest signed entry, to keep off the server
#include <iostream>

#include "cli/store_session.hpp"
#include "modules/prisoners/fund.hpp"

namespace haven::cli {

void add_ledger(CLI::App& app, int& exit_code) {
    auto* ledger = app.add_subcommand("ledger", "Check the legal-aid funds' ledger.");
    ledger->require_subcommand(1);
    auto checkpoint_file = std::make_shared<std::string>();
    auto* verify = add_command(*ledger, "verify", "Verify the chain, signatures and balances (the vault may stay sealed).", exit_code,
                               [checkpoint_file](const Config& config) {
                                   return with_store(config, [&](StoreSession& s) {
                                       std::optional<audit::Checkpoint> checkpoint;
                                       if (!read_checkpoint(*checkpoint_file, "ledger", checkpoint)) return 2;
                                       const auto v = prisoners::verify_ledger(*s.db, s.vault->audit_public_key(), checkpoint);
                                       if (v.bad_seq) {
                                           std::cout << "ledger BROKEN at entry " << *v.bad_seq << ": " << v.problem << " (" << v.entries
                                                     << " entries read)\n";
                                           return 1;
                                       }
                                       std::cout << "ledger intact: " << v.entries << " entries, chain, signatures and balances valid"
                                                 << (checkpoint ? ", checkpoint " + std::to_string(checkpoint->seq) + " present" : "") << "\n";
                                       return 0;
                                   });
                               });
    verify->add_option("--checkpoint", *checkpoint_file, "a checkpoint file kept off the server (haven ledger checkpoint)");
    add_command(*ledger, "checkpoint", "Print the latest signed ledger entry; keep it off the server.", exit_code, [](const Config& config) {
        return with_store(config, [&](StoreSession& s) {
            auto c = prisoners::ledger_checkpoint(*s.db);
            if (!c) {
                std::cerr << "haven: the ledger is empty\n";
                return 1;
            }
            std::cout << audit::format_checkpoint("ledger", *c);
            return 0;
        });
    });
}

}  // namespace haven::cli
