#include "services/solver/internal/lp_master.h"

#include <cmath>

#include "coin/ClpFactorization.hpp"
#include "coin/ClpSimplex.hpp"
#include "coin/CoinHelperFunctions.hpp"
#include "services/solver/internal/dense_simplex.h"

namespace rebook::solver::internal {

struct LpMaster::Clp {
  ClpSimplex model;
};

namespace {
double Finite(double v) {
  if (std::isinf(v)) return v > 0 ? COIN_DBL_MAX : -COIN_DBL_MAX;
  return v;
}
double Infinite(double v) {
  if (v >= COIN_DBL_MAX) return kLpInfinity;
  if (v <= -COIN_DBL_MAX) return -kLpInfinity;
  return v;
}
}  // namespace

LpMaster::LpMaster(const std::vector<LpRow>& rows, bool dense)
    : clp_(std::make_unique<Clp>()),
      dense_allowed_(dense && static_cast<int>(rows.size()) <= kDenseMaxRows) {
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
  lower_.push_back(lower);
  upper_.push_back(upper);
  for (const auto& [row, value] : entries) {
    rows_.push_back(row);
    elements_.push_back(value);
  }
  starts_.push_back(static_cast<int>(rows_.size()));
  ++columns_;
}

bool LpMaster::Solve() {
  solved_dense_ = false;
  if (dense_ != nullptr) {
    for (; dense_seen_ < cost_.size(); ++dense_seen_) {
      std::vector<std::pair<int, double>> entries;
      for (int e = starts_[dense_seen_]; e < starts_[dense_seen_ + 1]; ++e)
        entries.emplace_back(rows_[e], elements_[e]);
      dense_->AddColumn(cost_[dense_seen_], lower_[dense_seen_], upper_[dense_seen_], entries);
    }
    if (dense_->Solve() == DenseSimplex::Result::kOptimal) {
      objective_ = dense_->objective();
      duals_ = dense_->duals();
      primal_ = dense_->primal();
      solved_dense_ = true;
      return true;
    }
    // Unbounded or stuck: CLP decides, from its own last basis, and keeps the master.
    dense_.reset();
    dense_allowed_ = false;
  }
  if (!SolveWithClp()) return false;
  if (dense_allowed_) StartDense();
  return true;
}

bool LpMaster::SolveWithClp() {
  ClpSimplex& m = clp_->model;
  if (!cost_.empty()) {
    std::vector<CoinBigIndex> starts(starts_.begin(), starts_.end());
    std::vector<double> lower(lower_.size()), upper(upper_.size());
    for (std::size_t j = 0; j < lower.size(); ++j) {
      lower[j] = Finite(lower_[j]);
      upper[j] = Finite(upper_[j]);
    }
    m.addColumns(static_cast<int>(cost_.size()), lower.data(), upper.data(), cost_.data(),
                 starts.data(), rows_.data(), elements_.data());
    lower_.clear();
    upper_.clear();
    cost_.clear();
    rows_.clear();
    elements_.clear();
    starts_.assign(1, 0);
    dense_seen_ = 0;
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

void LpMaster::StartDense() {
  ClpSimplex& m = clp_->model;
  const int rows = m.numberRows(), cols = m.numberColumns();
  std::vector<LpRow> row_bounds(rows);
  for (int r = 0; r < rows; ++r)
    row_bounds[r] = {Infinite(m.rowLower()[r]), Infinite(m.rowUpper()[r])};
  auto dense = std::make_unique<DenseSimplex>(row_bounds);
  const CoinPackedMatrix& a = *m.matrix();
  for (int j = 0; j < cols; ++j) {
    std::vector<std::pair<int, double>> entries;
    const CoinBigIndex begin = a.getVectorStarts()[j];
    for (CoinBigIndex e = begin; e < begin + a.getVectorLengths()[j]; ++e)
      entries.emplace_back(a.getIndices()[e], a.getElements()[e]);
    dense->AddColumn(m.objective()[j], Infinite(m.columnLower()[j]), Infinite(m.columnUpper()[j]),
                     entries);
  }
  std::vector<double> values(rows + cols);
  std::vector<bool> basic(rows + cols);
  for (int r = 0; r < rows; ++r) {
    values[r] = m.primalRowSolution()[r];
    basic[r] = m.getRowStatus(r) == ClpSimplex::basic;
  }
  for (int j = 0; j < cols; ++j) {
    values[rows + j] = m.primalColumnSolution()[j];
    basic[rows + j] = m.getColumnStatus(j) == ClpSimplex::basic;
  }
  if (dense->SetBasis(values, basic)) {
    dense_ = std::move(dense);
    dense_seen_ = 0;
  } else {
    dense_allowed_ = false;
  }
}

}  // namespace rebook::solver::internal
