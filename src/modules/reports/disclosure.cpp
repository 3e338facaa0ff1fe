#include "modules/reports/disclosure.hpp"

#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <set>

namespace haven::reports {

namespace {

// The attacker's linear program: one column per atom (a count, never negative), one fixed row per known figure.
// Built once for a set of known figures; each question only changes the objective.
class Attacker {
public:
    Attacker(const std::vector<Figure>& known, const std::set<int64_t>& more_atoms) : lp_(glp_create_prob(), glp_delete_prob) {
        std::set<int64_t> atoms = more_atoms;
        for (const auto& f : known) atoms.insert(f.atoms.begin(), f.atoms.end());
        for (int64_t a : atoms) column_[a] = int(column_.size()) + 1;
        if (!column_.empty()) {
            glp_add_cols(lp_.get(), int(column_.size()));
            for (int i = 1; i <= int(column_.size()); ++i) glp_set_col_bnds(lp_.get(), i, GLP_LO, 0.0, 0.0);
        }
        if (!known.empty()) glp_add_rows(lp_.get(), int(known.size()));
        std::vector<int> index(1);
        std::vector<double> one(1);
        for (size_t r = 0; r < known.size(); ++r) {
            index.assign(1, 0);
            one.assign(1, 0.0);
            for (int64_t a : known[r].atoms) {
                index.push_back(column_.at(a));
                one.push_back(1.0);
            }
            glp_set_row_bnds(lp_.get(), int(r) + 1, GLP_FX, double(known[r].value), double(known[r].value));
            glp_set_mat_row(lp_.get(), int(r) + 1, int(index.size()) - 1, index.data(), one.data());
        }
    }

    // The attacker no longer knows the figure of row `row` (from 1): hidden since.
    void forget(int row) { glp_set_row_bnds(lp_.get(), row, GLP_FR, 0.0, 0.0); }

    Result<Interval> interval(const std::vector<int64_t>& target) {
        Interval out;
        for (int i = 1; i <= int(column_.size()); ++i) glp_set_obj_coef(lp_.get(), i, 0.0);
        for (int64_t a : target) glp_set_obj_coef(lp_.get(), column_.at(a), 1.0);
        for (int dir : {GLP_MIN, GLP_MAX}) {
            glp_set_obj_dir(lp_.get(), dir);
            glp_smcp parm;
            glp_init_smcp(&parm);
            parm.msg_lev = GLP_MSG_OFF;
            const int rc = glp_simplex(lp_.get(), &parm);
            const int status = glp_get_status(lp_.get());
            if (rc == 0 && status == GLP_UNBND && dir == GLP_MAX) {
                out.unbounded = true;
                continue;
            }
            if (rc != 0 || status != GLP_OPT)
                return make_error(ErrorKind::conflict, "inconsistent_release",
                                  "The figures released before do not agree with the records as they are now: the report cannot be checked.");
            (dir == GLP_MIN ? out.least : out.most) = glp_get_obj_val(lp_.get());
        }
        return out;
    }

private:
    std::unique_ptr<glp_prob, void (*)(glp_prob*)> lp_;
    std::map<int64_t, int> column_;
};

// GLPK keeps an environment per thread (this build is thread-local) that outlives its programs and is never freed
// when the thread ends: each question session frees it, after its last program is deleted (declare it first).
struct GlpkSession {
    GlpkSession() { glp_term_out(GLP_OFF); }
    ~GlpkSession() { glp_free_env(); }
    GlpkSession(const GlpkSession&) = delete;
    GlpkSession& operator=(const GlpkSession&) = delete;
};

bool shares_atoms(const Figure& a, const std::vector<int64_t>& atoms) {
    for (int64_t x : a.atoms)
        if (std::find(atoms.begin(), atoms.end(), x) != atoms.end()) return true;
    return false;
}

}  // namespace

double Interval::width() const {
    if (unbounded) return HUGE_VAL;
    return std::floor(most + 1e-6) - std::ceil(least - 1e-6);
}

Result<Interval> attack(const std::vector<int64_t>& atoms, const std::vector<Figure>& known) {
    GlpkSession session;
    Attacker attacker(known, std::set<int64_t>(atoms.begin(), atoms.end()));
    return attacker.interval(atoms);
}

Result<Released> protect(const std::vector<Figure>& table, const std::vector<Released>& earlier, const Policy& policy,
                         const std::vector<std::vector<int64_t>>& small_sums) {
    if (policy.k < 5) return invalid("k", "k may not be below 5: smaller counts name people.", "range", 5);
    if (policy.protection < 1) return invalid("protection", "protection must be at least 1.", "range", 1);
    GlpkSession session;
    Released out{table, std::vector<bool>(table.size(), false), std::vector<bool>(table.size(), false)};
    for (size_t i = 0; i < table.size(); ++i) out.hidden[i] = out.primary[i] = table[i].value < policy.k;
    if (!policy.secondary) return out;

    // Every small figure ever hidden must stay protected: this table's and every earlier release's.
    std::vector<const Figure*> sensitive;
    std::set<int64_t> atoms;
    for (size_t i = 0; i < table.size(); ++i) {
        atoms.insert(table[i].atoms.begin(), table[i].atoms.end());
        if (out.primary[i]) sensitive.push_back(&table[i]);
    }
    std::vector<Figure> known_before;
    for (const auto& r : earlier)
        for (size_t i = 0; i < r.figures.size(); ++i) {
            atoms.insert(r.figures[i].atoms.begin(), r.figures[i].atoms.end());
            if (!r.hidden[i]) known_before.push_back(r.figures[i]);
            if (r.primary[i]) sensitive.push_back(&r.figures[i]);
        }
    std::vector<Figure> single;  // each small sum as a figure of its own
    single.reserve(small_sums.size());
    for (const auto& sum : small_sums) {
        single.push_back({sum, 0});
        atoms.insert(sum.begin(), sum.end());
    }
    for (const auto& f : single) sensitive.push_back(&f);
    // Hiding a figure takes a constraint away from the attacker, so an interval found wide enough stays so: each
    // sensitive figure, once safe, is not asked about again (questions grow with figures plus steps, not their product).
    // One program for the whole search: a figure hidden has its row freed, and the simplex starts again from where
    // it was (rebuilding the program for each step cost most of the time on large tables).
    std::vector<Figure> known = known_before;
    std::vector<int> row_of(table.size(), 0);
    for (size_t i = 0; i < table.size(); ++i)
        if (!out.hidden[i]) {
            known.push_back(table[i]);
            row_of[i] = int(known.size());
        }
    Attacker attacker(known, atoms);
    const auto started = std::chrono::steady_clock::now();
    int64_t questions = 0;
    size_t safe = 0;  // sensitive[0, safe) are safe
    for (size_t step = 0; step <= table.size(); ++step) {
        const Figure* exposed = nullptr;
        for (; safe < sensitive.size(); ++safe) {
            // Bounded work: a report whose checking would hold a worker for long is refused, not computed.
            if (++questions > policy.most_questions || std::chrono::steady_clock::now() - started > std::chrono::seconds(policy.most_seconds))
                return make_error(ErrorKind::invalid, "too_large", "The report is too large to check: cover fewer sites, months or indicators.");
            HAVEN_TRY(range, attacker.interval(sensitive[safe]->atoms));
            if (range.width() < double(policy.protection)) {
                exposed = sensitive[safe];
                break;
            }
        }
        if (!exposed) return out;
        // Hide the smallest figure of this table that shares atoms with the exposed one; failing that (only a
        // chain of figures pins it), the smallest that shares atoms with one of those; failing that, the smallest.
        std::vector<int64_t> near = exposed->atoms;
        size_t best = table.size();
        for (int ring = 0; ring < 3 && best == table.size(); ++ring) {
            for (size_t i = 0; i < table.size(); ++i)
                if (!out.hidden[i] && (ring == 2 || shares_atoms(table[i], near)) && (best == table.size() || table[i].value < table[best].value))
                    best = i;
            if (best == table.size() && ring == 0) {
                for (const auto& f : table)
                    if (shares_atoms(f, exposed->atoms)) near.insert(near.end(), f.atoms.begin(), f.atoms.end());
                for (const auto& f : known_before)
                    if (shares_atoms(f, exposed->atoms)) near.insert(near.end(), f.atoms.begin(), f.atoms.end());
            }
        }
        if (best == table.size()) break;  // everything of this table is hidden: what is left was released before
        out.hidden[best] = true;
        attacker.forget(row_of[best]);
    }
    // Every figure of this table is hidden and an earlier release alone still narrows a small figure: that release
    // was made without this check (or the records changed since). Nothing of this table can make it worse.
    return out;
}

}  // namespace haven::reports
