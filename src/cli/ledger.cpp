// haven ledger verify --data DIR   exits 1 naming the first bad entry of the legal-aid funds' ledger
#include <iostream>

#include "cli/store_session.hpp"
#include "modules/prisoners/fund.hpp"

namespace haven::cli {

void add_ledger(CLI::App& app, int& exit_code) {
    auto* ledger = app.add_subcommand("ledger", "Check the legal-aid funds' ledger.");
    ledger->require_subcommand(1);
    add_command(*ledger, "verify", "Verify the chain, signatures and balances (the vault may stay sealed).", exit_code, [](const Config& config) {
        return with_store(config, [&](StoreSession& s) {
            const auto v = prisoners::verify_ledger(*s.db, s.vault->audit_public_key());
            if (v.bad_seq) {
                std::cout << "ledger BROKEN at entry " << *v.bad_seq << ": " << v.problem << " (" << v.entries << " entries read)\n";
                return 1;
            }
            std::cout << "ledger intact: " << v.entries << " entries, chain, signatures and balances valid\n";
            return 0;
        });
    });
}

}  // namespace haven::cli
