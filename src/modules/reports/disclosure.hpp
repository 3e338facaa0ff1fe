// Statistical disclosure control inside the report engine (issue 19): no released figure, alone or set against
// every figure released before, lets anyone narrow a small count down.
//
// A figure is the sum of some "atoms" — the finest counts the records give (site × month × category × …), never
// released themselves. A table is a list of figures (its margins and totals are figures too: sums of more atoms).
// The attacker is a linear program that knows every figure released, in this table and in every earlier release,
// and that counts are never negative: for each hidden figure it computes the least and the most the figure can
// be. `protect` hides every figure under k (primary suppression: UK practice, zero included), then hides more
// (secondary suppression) until, for every figure hidden for being small — in this table and in every earlier
// one — the attacker's interval is at least `protection` wide. The secondary choice is greedy (the smallest figure
// that shares atoms with the exposed one), each step checked by the attacker's program (GLPK), so what is
// released is safe against it by construction; it is not the fewest suppressions possible.
//
// Limit: the attacker is the linear relaxation. For a table with margins (totally unimodular constraints) its
// bounds are those of integer counts; across overlapping releases an integer attacker could in rare cases narrow
// an interval by less than one count more. Widths are therefore judged on the integer points inside the interval
// (ceil of the least to floor of the most).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace haven::reports {

struct Figure {
    std::vector<int64_t> atoms;  // the atoms (ids) it sums, distinct
    int64_t value = 0;           // their total count
};

// A table as released: which figures were hidden.
struct Released {
    std::vector<Figure> figures;
    std::vector<bool> hidden;
    std::vector<bool> primary;  // hidden for being under k (the figures whose protection must hold for ever)
};

struct Policy {
    int64_t k = 10;                   // figures under k are hidden (never below 5)
    int64_t protection = 5;           // the least width the attacker's interval of such a figure may have
    bool secondary = true;            // off only to show, in a test, what the attacker then recovers
    int64_t most_questions = 20'000;  // questions put to the attacker's program before giving up (422 too_large)
    int64_t most_seconds = 20;        // … or seconds spent asking them
};

struct Interval {
    double least = 0, most = 0;
    bool unbounded = false;  // the most is not bounded: nothing released caps it
    // The width counted on whole numbers: floor(most) - ceil(least).
    double width() const;
};

// What the attacker can say of the sum of `atoms`, knowing `known` (every figure released, not hidden).
Result<Interval> attack(const std::vector<int64_t>& atoms, const std::vector<Figure>& known);

// Decides what to hide in `table` so that neither its small figures nor any earlier release's — nor any of
// `small_sums`, counts under k that no table shows as such (each atom under k, and any sum of atoms the caller
// names: a month's people, when a report breaks them down) — can be narrowed below the policy's protection. They
// matter for differencing: two releases that are each safe can pin a count neither shows (a quarter released,
// then two of its months). An error only when the policy is not allowed (k < 5, protection < 1) or the solver fails.
Result<Released> protect(const std::vector<Figure>& table, const std::vector<Released>& earlier, const Policy& policy = {},
                         const std::vector<std::vector<int64_t>>& small_sums = {});

}  // namespace haven::reports
