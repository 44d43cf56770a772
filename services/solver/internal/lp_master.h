// A thin wrapper around COIN-OR CLP's simplex, so that only one file sees CLP: a linear program
// that grows by columns and is re-solved from its last basis (the master of column generation).
//
//   LpMaster lp({{1, 1}, {-kLpInfinity, 4}});     // row 0: = 1, row 1: <= 4
//   lp.AddColumn(3.0, 0, kLpInfinity, {{0, 1.0}, {1, 2.0}});
//   if (lp.Solve()) use(lp.objective(), lp.duals());
//
// Not thread-safe; one instance per solve.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_LP_MASTER_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_LP_MASTER_H_

#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace rebook::solver::internal {

inline constexpr double kLpInfinity = std::numeric_limits<double>::infinity();

struct LpRow {
  double lower, upper;
};

class LpMaster {
 public:
  explicit LpMaster(const std::vector<LpRow>& rows);
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
  int columns() const;

 private:
  struct Clp;
  std::unique_ptr<Clp> clp_;
  std::vector<double> lower_, upper_, cost_, elements_;
  std::vector<int> starts_{0}, rows_;
  double objective_ = 0;
  std::vector<double> duals_, primal_;
};

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_LP_MASTER_H_
