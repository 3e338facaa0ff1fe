// Disclosure control, property-tested: over 1,000 random tables (and, for a third of them, a later release that
// overlaps the first), an attacker written here apart from the engine — its own linear program on GLPK, seeing
// only what was released — computes every hidden small figure's interval; none may be narrower than the protection
// asked for. With secondary suppression off, the same attacker must recover figures: the test can fail. And across
// grains (a quarter, then one of its months), no count under k is pinned, which fails when only figures are guarded.
#include "modules/reports/disclosure.hpp"

#include <glpk.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <random>

namespace haven::reports {
namespace {

// The independent attacker: minimise and maximise the hidden figure's atoms over everything released.
std::pair<double, double> bounds(const std::vector<int64_t>& target, const std::vector<const Released*>& releases) {
    std::map<int64_t, int> col;
    for (int64_t a : target) col.emplace(a, 0);
    std::vector<const Figure*> rows;
    for (const Released* r : releases)
        for (size_t i = 0; i < r->figures.size(); ++i)
            if (!r->hidden[i]) {
                rows.push_back(&r->figures[i]);
                for (int64_t a : r->figures[i].atoms) col.emplace(a, 0);
            }
    int n = 0;
    for (auto& [a, c] : col) c = ++n;
    std::pair<double, double> out{0, HUGE_VAL};
    for (int dir : {GLP_MIN, GLP_MAX}) {
        glp_prob* lp = glp_create_prob();
        glp_add_cols(lp, n);
        for (int c = 1; c <= n; ++c) glp_set_col_bnds(lp, c, GLP_LO, 0, 0);
        for (int64_t a : target) glp_set_obj_coef(lp, col[a], 1);
        if (!rows.empty()) glp_add_rows(lp, int(rows.size()));
        for (size_t r = 0; r < rows.size(); ++r) {
            std::vector<int> idx{0};
            std::vector<double> val{0};
            for (int64_t a : rows[r]->atoms) idx.push_back(col[a]), val.push_back(1);
            glp_set_row_bnds(lp, int(r) + 1, GLP_FX, double(rows[r]->value), double(rows[r]->value));
            glp_set_mat_row(lp, int(r) + 1, int(idx.size()) - 1, idx.data(), val.data());
        }
        glp_set_obj_dir(lp, dir);
        glp_smcp parm;
        glp_init_smcp(&parm);
        parm.msg_lev = GLP_MSG_OFF;
        glp_simplex(lp, &parm);
        if (glp_get_status(lp) == GLP_OPT) (dir == GLP_MIN ? out.first : out.second) = glp_get_obj_val(lp);
        glp_delete_prob(lp);
    }
    return out;
}

// A table over a grid of atoms (row r, column c → id base + 10r + c): each cell, each row's and column's total,
// the grand total. Many counts small, as in a centre of a few hundred people.
std::vector<Figure> grid(std::mt19937& rng, int rows, int cols, int64_t base, std::map<int64_t, int64_t>& counts) {
    auto count = [&](int64_t atom) {
        if (!counts.count(atom)) counts[atom] = rng() % 10 < 4 ? int64_t(rng() % 10) : 10 + int64_t(rng() % 50);
        return counts[atom];
    };
    std::vector<Figure> t;
    Figure all;
    std::vector<Figure> col_totals(static_cast<size_t>(cols));
    for (int r = 0; r < rows; ++r) {
        Figure row;
        for (int c = 0; c < cols; ++c) {
            const int64_t atom = base + 10 * r + c;
            t.push_back({{atom}, count(atom)});
            for (Figure* f : {&row, &col_totals[size_t(c)], &all}) {
                f->atoms.push_back(atom);
                f->value += count(atom);
            }
        }
        t.push_back(row);
    }
    for (auto& c : col_totals) t.push_back(c);
    t.push_back(all);
    return t;
}

struct Outcome {
    int checked = 0, breached = 0, figures = 0, primary = 0, secondary = 0;
};

Outcome run(bool secondary, int tables) {
    std::mt19937 rng(20261130);
    const Policy policy{10, 5, secondary};
    Outcome o;
    for (int n = 0; n < tables; ++n) {
        std::map<int64_t, int64_t> counts;
        const int rows = 2 + int(rng() % 3), cols = 2 + int(rng() % 4);
        auto first = protect(grid(rng, rows, cols, 0, counts), {}, policy);
        EXPECT_TRUE(first.ok());
        if (!first) continue;
        std::vector<Released> releases{*first};
        if (n % 3 == 0) {
            // A later report over the same rows plus one more (a longer period): its totals overlap the first's.
            auto second = protect(grid(rng, rows + 1, cols, 0, counts), releases, policy);
            EXPECT_TRUE(second.ok());
            if (second) releases.push_back(*second);
        }
        std::vector<const Released*> all;
        for (const auto& r : releases) all.push_back(&r);
        for (const auto& r : releases)
            for (size_t i = 0; i < r.figures.size(); ++i) {
                ++o.figures;
                o.primary += r.primary[i];
                o.secondary += r.hidden[i] && !r.primary[i];
                if (!r.primary[i]) continue;
                EXPECT_TRUE(r.hidden[i]);
                const auto [least, most] = bounds(r.figures[i].atoms, all);
                const double width = std::isinf(most) ? HUGE_VAL : std::floor(most + 1e-6) - std::ceil(least - 1e-6);
                ++o.checked;
                if (width < double(policy.protection)) ++o.breached;
            }
    }
    return o;
}

TEST(Disclosure, NoHiddenSmallFigureCanBeNarrowedByWhatWasReleasedNowOrBefore) {
    const Outcome o = run(true, 1000);
    EXPECT_GT(o.checked, 2000);
    EXPECT_EQ(o.breached, 0) << "of " << o.checked << " hidden small figures";
    std::printf(
        "disclosure: %d figures released in 1,333 tables; %d hidden for being under k, %d more to protect them; %d intervals "
        "checked by the independent attacker, %d too narrow\n",
        o.figures, o.primary, o.secondary, o.checked, o.breached);
}

TEST(Disclosure, WithoutSecondarySuppressionTheAttackerRecoversFigures) {
    const Outcome o = run(false, 300);
    EXPECT_GT(o.breached, o.checked / 4) << o.breached << " of " << o.checked;
}

// Differencing across grains: a report by quarter, then one by month over the same sites. Neither table need
// show a month, yet together they can pin one (a quarter less two months released). Every atom under k must stay
// as uncertain as a hidden figure, checked by the independent attacker over both releases.
struct Atoms {
    int checked = 0, breached = 0;
};
Atoms run_grains(bool guard_atoms, int cases) {
    std::mt19937 rng(20261201);
    const Policy policy{10, 5, true};
    Atoms o;
    for (int n = 0; n < cases; ++n) {
        const int sites = 2 + int(rng() % 3), quarters = 1 + int(rng() % 2), months = 3 * quarters;
        std::map<int64_t, int64_t> value;
        for (int s = 0; s < sites; ++s)
            for (int m = 0; m < months; ++m) value[10 * s + m] = rng() % 10 < 5 ? int64_t(rng() % 10) : 10 + int64_t(rng() % 30);
        auto table = [&](int columns, int per) {  // per site and column (a run of `per` months), the sites' totals, the whole
            std::vector<Figure> t;
            for (int s = 0; s <= sites; ++s)
                for (int c = 0; c <= columns; ++c) {
                    Figure f;
                    for (int ss = 0; ss < sites; ++ss)
                        for (int m = 0; m < months; ++m)
                            if ((s == sites || s == ss) && (c == columns || c == m / per)) {
                                f.atoms.push_back(10 * ss + m);
                                f.value += value[10 * ss + m];
                            }
                    t.push_back(f);
                }
            return t;
        };
        std::vector<int64_t> small;
        for (const auto& [atom, v] : value)
            if (v < policy.k) small.push_back(atom);
        std::vector<std::vector<int64_t>> guarded;
        if (guard_atoms)
            for (int64_t atom : small) guarded.push_back({atom});
        auto first = protect(table(quarters, 3), {}, policy, guarded);
        EXPECT_TRUE(first.ok());
        if (!first) continue;
        // The second release: one month of one site (a report of that month alone, as one site's editor would make).
        const int64_t month = int64_t(rng() % uint32_t(months));
        std::vector<Figure> second_table{{{month}, value[month]}};
        auto second = protect(second_table, {*first}, policy, guarded);
        EXPECT_TRUE(second.ok());
        if (!second) continue;
        const std::vector<const Released*> both{&*first, &*second};
        for (int64_t atom : small) {
            const auto [least, most] = bounds({atom}, both);
            const double width = std::isinf(most) ? HUGE_VAL : std::floor(most + 1e-6) - std::ceil(least - 1e-6);
            ++o.checked;
            if (width < double(policy.protection)) ++o.breached;
        }
    }
    return o;
}

TEST(Disclosure, NoSmallCountIsPinnedByTwoReportsOfDifferentGrain) {
    const Atoms guarded = run_grains(true, 400);
    EXPECT_GT(guarded.checked, 1000);
    EXPECT_EQ(guarded.breached, 0) << "of " << guarded.checked << " small counts";
    const Atoms unguarded = run_grains(false, 400);
    EXPECT_GE(unguarded.breached, 5) << "without guarding the atoms, the attacker pins some (" << unguarded.breached << " of " << unguarded.checked
                                     << ")";
    std::printf("disclosure across grains: %d small counts checked over two releases, %d pinned (%d pinned when only figures are guarded)\n",
                guarded.checked, guarded.breached, unguarded.breached);
}

TEST(Disclosure, SmallFiguresAreHiddenZeroIncludedAndThePolicyHasAFloor) {
    std::vector<Figure> t = {{{1}, 0}, {{2}, 12}, {{1, 2}, 12}};
    auto r = protect(t, {});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->hidden[0] && r->primary[0]) << "zero is hidden too";
    // 0 + x = 12 with x released gives the zero away: x or the total must go as well.
    EXPECT_TRUE(r->hidden[1] || r->hidden[2]);
    EXPECT_FALSE(protect(t, {}, {4, 5, true}).ok()) << "k below 5 is refused";
    auto a = attack({1}, {{{1, 2}, 12}});
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->least, 0);
    EXPECT_EQ(a->most, 12);
    EXPECT_TRUE(attack({3}, {{{1, 2}, 12}})->unbounded);
}

}  // namespace
}  // namespace haven::reports
