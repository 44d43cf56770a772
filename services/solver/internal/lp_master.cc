#include "services/solver/internal/lp_master.h"

#include <cmath>

#include "coin/ClpFactorization.hpp"
#include "coin/ClpSimplex.hpp"
#include "coin/CoinHelperFunctions.hpp"

namespace rebook::solver::internal {

struct LpMaster::Clp {
  ClpSimplex model;
};

namespace {
double Finite(double v) {
  if (std::isinf(v)) return v > 0 ? COIN_DBL_MAX : -COIN_DBL_MAX;
  return v;
}
}  // namespace

LpMaster::LpMaster(const std::vector<LpRow>& rows) : clp_(std::make_unique<Clp>()) {
  ClpSimplex& m = clp_->model;
  m.setLogLevel(0);
  // The master's coefficients are counts and minutes; scaling them costs more per re-solve than it
  // saves.
  m.scaling(0);
  // Column generation re-solves the master tens of times, and each re-solve refactorizes. By
  // default CLP frees the factorization's arrays and allocates them anew each time; the allocator
  // then returns the heap top to the system and faults it back in, which cost a quarter of a small
  // solve. Keep the arrays, growing them (with a margin) only when the master outgrows them.
  m.factorization()->setPersistenceFlag(2);
  m.resize(static_cast<int>(rows.size()), 0);
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    m.setRowBounds(r, Finite(rows[r].lower), Finite(rows[r].upper));
  }
}

LpMaster::~LpMaster() = default;

void LpMaster::AddColumn(double cost, double lower, double upper,
                         const std::vector<std::pair<int, double>>& entries) {
  cost_.push_back(cost);
  lower_.push_back(Finite(lower));
  upper_.push_back(Finite(upper));
  for (const auto& [row, value] : entries) {
    rows_.push_back(row);
    elements_.push_back(value);
  }
  starts_.push_back(static_cast<int>(rows_.size()));
}

int LpMaster::columns() const { return clp_->model.numberColumns(); }

bool LpMaster::Solve() {
  ClpSimplex& m = clp_->model;
  if (!cost_.empty()) {
    std::vector<CoinBigIndex> starts(starts_.begin(), starts_.end());
    m.addColumns(static_cast<int>(cost_.size()), lower_.data(), upper_.data(), cost_.data(),
                 starts.data(), rows_.data(), elements_.data());
    lower_.clear();
    upper_.clear();
    cost_.clear();
    rows_.clear();
    elements_.clear();
    starts_.assign(1, 0);
  }
  // Keep the factorization and work areas between re-solves (1) and reuse the factorization, as
  // only columns are added (2).
  m.primal(0, 1 | 2);
  if (m.status() != 0) return false;
  objective_ = m.objectiveValue();
  duals_.assign(m.dualRowSolution(), m.dualRowSolution() + m.numberRows());
  primal_.assign(m.primalColumnSolution(), m.primalColumnSolution() + m.numberColumns());
  return true;
}

}  // namespace rebook::solver::internal
