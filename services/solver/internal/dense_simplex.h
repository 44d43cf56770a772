// A bounded primal simplex on an explicit dense basis inverse, for the small masters of column
// generation (LpMaster), whose re-solves from the last basis take a few pivots each: CLP spends
// most of such a re-solve on fixed work (two refactorizations and its closing checks,
// docs/solver.md, "The sweep's CPU misses"), while a pivot here costs O(rows^2).
//
// The LP: minimise c.x subject to rows lower <= A x <= upper and column bounds. Each row i has
// a logical variable r_i = (A x)_i with the row's bounds; variables 0..m-1 are the logicals,
// m.. the columns in the order added. There is no phase 1: the caller gives a feasible basis
// (SetBasis, e.g. an optimal one of CLP), and columns added later enter nonbasic at their
// lower bound, which keeps it feasible. Solve() re-optimises from there: Dantzig pricing, Bland's
// rule after a run of degenerate pivots (so it cannot cycle), the inverse and the duals updated
// per pivot, and both checked against the basis (a residual) every few dozen pivots and at the
// end; the inverse is rebuilt from the basis only when a check fails.
//
//   DenseSimplex lp({{1, 1}, {-kLpInfinity, 4}});
//   lp.AddColumn(3.0, 0, kLpInfinity, {{0, 1.0}, {1, 2.0}});
//   if (lp.SetBasis(values, basic) && lp.Solve() == DenseSimplex::Result::kOptimal) ...
//
// Not thread-safe; one instance per master.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_DENSE_SIMPLEX_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_DENSE_SIMPLEX_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "services/solver/internal/lp_master.h"

namespace rebook::solver::internal {

class DenseSimplex {
 public:
  enum class Result { kOptimal, kUnbounded, kFailed };

  explicit DenseSimplex(const std::vector<LpRow>& rows);

  int columns() const { return static_cast<int>(cost_.size()); }

  // Adds a column, nonbasic at its lower bound (at its upper bound if the lower is -infinity,
  // at 0 if both are infinite).
  void AddColumn(double cost, double lower, double upper,
                 const std::vector<std::pair<int, double>>& entries);

  // Starts from a basis: `values` of all variables (logicals first), of which those marked in
  // `basic` (one per row) form the basis; every other variable is put on the bound
  // nearest its value. False (and no basis) if the basis is singular, the count is wrong, or
  // the basic values it implies differ from `values` or break their bounds by more than
  // `tolerance`. A basis is needed before Solve().
  bool SetBasis(const std::vector<double>& values, const std::vector<bool>& basic,
                double tolerance = 1e-6);

  // Re-optimises from the current basis. kFailed: no basis, numerical trouble, or the
  // iteration limit; the state is then unspecified and the caller should solve elsewhere.
  Result Solve();

  // After kOptimal: c.x, the row duals y = d(objective)/d(row bound) (a row at its upper
  // bound has y <= 0 in a minimisation), and the columns' values.
  double objective() const;
  const std::vector<double>& duals() const { return y_; }
  std::vector<double> primal() const;

 private:
  enum class Where : std::uint8_t { kBasic, kLower, kUpper, kZero };

  int variables() const { return m_ + columns(); }
  double Cost(int v) const { return v < m_ ? 0.0 : cost_[v - m_]; }
  // out = B^-1 a_v (m values).
  void Ftran(int v, std::vector<double>& out) const;
  // The basis inverse from scratch, then the basic values from the nonbasic ones and the duals.
  bool Refactor();
  void RecomputeBasicValues();
  void ComputeDuals();
  double ReducedCost(int v) const;
  // The entering variable (-1: none), its direction (+1 up, -1 down) and reduced cost.
  int Price(bool bland, int& direction, double& reduced_cost) const;
  // The largest relative residual of the values (rows of [A | -I] times them are 0) and of
  // the duals (basic reduced costs are 0).
  double Residual() const;
  // Values and duals from the basis inverse, and the inverse rebuilt if they do not fit.
  bool Recheck();
  bool Feasible(double tolerance) const;

  int m_;
  std::vector<double> lower_, upper_;  // of every variable
  std::vector<double> cost_;           // of the columns
  std::vector<int> starts_{0}, entry_rows_;
  std::vector<double> entry_values_;

  std::vector<double> value_;  // of every variable
  std::vector<Where> where_;
  std::vector<int> basis_;    // variable at each basis position
  std::vector<double> binv_;  // column-major: binv_[k * m + i] = (B^-1)[i][k]
  std::vector<double> y_, alpha_, scratch_;
  bool has_basis_ = false;
  bool values_stale_ = false;
  int since_check_ = 0;
};

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_DENSE_SIMPLEX_H_
