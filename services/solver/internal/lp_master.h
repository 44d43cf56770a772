// A linear program that grows by columns and is re-solved from its last basis (the master of
// column generation). COIN-OR CLP's simplex solves it, and only this file's .cc sees CLP. A
// master of at most kDenseMaxRows rows is re-solved after its first solve by DenseSimplex
// (dense_simplex.h), from CLP's optimal basis: CLP's fixed cost per re-solve is most of a small
// master's time. If DenseSimplex fails (numerics, iteration limit), CLP takes over from its own
// last basis with every column added since, for the rest of the master's life.
//
//   LpMaster lp({{1, 1}, {-kLpInfinity, 4}});     // row 0: = 1, row 1: <= 4
//   lp.AddColumn(3.0, 0, kLpInfinity, {{0, 1.0}, {1, 2.0}});
//   if (lp.Solve()) use(lp.objective(), lp.duals());
//
// Not thread-safe; one instance per solve.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_LP_MASTER_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_LP_MASTER_H_

#include <cstddef>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace rebook::solver::internal {

inline constexpr double kLpInfinity = std::numeric_limits<double>::infinity();
// Masters with more rows stay with CLP: DenseSimplex's pivot costs O(rows^2) and its
// refactorization O(rows^3).
inline constexpr int kDenseMaxRows = 200;

class DenseSimplex;

struct LpRow {
  double lower, upper;
};

class LpMaster {
 public:
  // dense: whether re-solves may use DenseSimplex (if the master is small enough).
  explicit LpMaster(const std::vector<LpRow>& rows, bool dense = true);
  ~LpMaster();
  LpMaster(const LpMaster&) = delete;
  LpMaster& operator=(const LpMaster&) = delete;

  // Queues a column (minimised cost, bounds, (row, coefficient) pairs); added at the next Solve.
  void AddColumn(double cost, double lower, double upper,
                 const std::vector<std::pair<int, double>>& entries);
  // Adds the queued columns and re-optimises (primal simplex from the last basis). False if the
  // LP is not solved to optimality (infeasible, unbounded or numerically stuck).
  bool Solve();

  double objective() const { return objective_; }
  // Row duals: d(objective) / d(row bound), so >= 0 rows have duals >= 0 and <= rows <= 0.
  const std::vector<double>& duals() const { return duals_; }
  const std::vector<double>& primal() const { return primal_; }
  int columns() const { return columns_; }
  // Whether the last Solve() was DenseSimplex's.
  bool solved_dense() const { return solved_dense_; }

 private:
  bool SolveWithClp();
  void StartDense();

  struct Clp;
  std::unique_ptr<Clp> clp_;
  std::unique_ptr<DenseSimplex> dense_;
  bool dense_allowed_;
  bool solved_dense_ = false;
  int columns_ = 0;
  // Columns CLP has not seen yet (bounds as given, infinities included); DenseSimplex has seen
  // the first dense_seen_ of them.
  std::vector<double> lower_, upper_, cost_, elements_;
  std::vector<int> starts_{0}, rows_;
  std::size_t dense_seen_ = 0;
  double objective_ = 0;
  std::vector<double> duals_, primal_;
};

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_LP_MASTER_H_
