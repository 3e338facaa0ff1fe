// Amounts of money as people type and read them, kept as whole minor units (cents): the legal-aid funds' ledger
// and the grants of reports for funders share them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace haven {

// An amount as people type it ("125.50", "125,5", "125") in minor units (cents); an error naming `field` for
// anything else (a sign, a third decimal, letters, more than ten digits).
Result<int64_t> parse_amount(std::string_view text, const char* field);

// An ISO 4217 code in capitals ("EUR"); else an error on `currency`.
Status check_currency(const std::string& code);

// 12550 → "125.50"; negative amounts with a minus sign (U+2212).
std::string format_amount(int64_t minor);

}  // namespace haven
