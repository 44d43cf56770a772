#include "services/solver/internal/dense_simplex.h"

#include <algorithm>
#include <cmath>

namespace rebook::solver::internal {
namespace {

// Pivots between checks of the basis inverse against the basis (a residual, O(nonzeros)); the
// inverse is rebuilt (O(m^3)) only where a check fails.
constexpr int kCheckEvery = 50;
constexpr double kResidualTolerance = 1e-9;
// Degenerate pivots in a row after which pricing follows Bland's rule until one is not.
constexpr int kDegenerateRun = 30;
constexpr double kPivotTolerance = 1e-9;
constexpr double kSingularTolerance = 1e-11;
// How far basic values may stray outside their bounds before the basis counts as infeasible.
constexpr double kFeasibilityTolerance = 1e-6;
constexpr double kDualTolerance = 1e-7;
constexpr double kTie = 1e-12;

bool HasBound(double v) { return std::isfinite(v); }

}  // namespace

DenseSimplex::DenseSimplex(const std::vector<LpRow>& rows) : m_(static_cast<int>(rows.size())) {
  for (const LpRow& r : rows) {
    lower_.push_back(r.lower);
    upper_.push_back(r.upper);
    value_.push_back(0);
    where_.push_back(Where::kBasic);
  }
  y_.assign(m_, 0);
  alpha_.assign(m_, 0);
  scratch_.assign(m_, 0);
}

void DenseSimplex::AddColumn(double cost, double lower, double upper,
                             const std::vector<std::pair<int, double>>& entries) {
  cost_.push_back(cost);
  lower_.push_back(lower);
  upper_.push_back(upper);
  for (const auto& [row, value] : entries) {
    entry_rows_.push_back(row);
    entry_values_.push_back(value);
  }
  starts_.push_back(static_cast<int>(entry_rows_.size()));
  if (HasBound(lower)) {
    value_.push_back(lower);
    where_.push_back(Where::kLower);
  } else if (HasBound(upper)) {
    value_.push_back(upper);
    where_.push_back(Where::kUpper);
  } else {
    value_.push_back(0);
    where_.push_back(Where::kZero);
  }
  // A column entering at a bound other than 0 moves the basic values: recompute them (and
  // check they still hold) before the next pivot.
  if (value_.back() != 0) values_stale_ = true;
}

bool DenseSimplex::SetBasis(const std::vector<double>& values, const std::vector<bool>& basic,
                            double tolerance) {
  has_basis_ = false;
  const int n = variables();
  if (static_cast<int>(values.size()) != n || static_cast<int>(basic.size()) != n) return false;
  basis_.clear();
  for (int v = 0; v < n; ++v) {
    if (basic[v]) {
      basis_.push_back(v);
      where_[v] = Where::kBasic;
      value_[v] = values[v];
      continue;
    }
    const double lo = lower_[v], up = upper_[v], x = values[v];
    if (HasBound(lo) && (!HasBound(up) || std::abs(x - lo) <= std::abs(x - up))) {
      where_[v] = Where::kLower;
      value_[v] = lo;
    } else if (HasBound(up)) {
      where_[v] = Where::kUpper;
      value_[v] = up;
    } else {
      where_[v] = Where::kZero;
      value_[v] = 0;
    }
    // A nonbasic variable between its bounds (superbasic) is not a vertex this can start from.
    if (std::abs(value_[v] - x) > tolerance * (1 + std::abs(x))) return false;
  }
  if (static_cast<int>(basis_.size()) != m_) return false;
  if (!Refactor()) return false;
  for (int v : basis_) {
    if (std::abs(value_[v] - values[v]) > tolerance * (1 + std::abs(values[v]))) return false;
  }
  if (!Feasible(tolerance)) return false;
  ComputeDuals();
  has_basis_ = true;
  return true;
}

void DenseSimplex::Ftran(int v, std::vector<double>& out) const {
  std::fill(out.begin(), out.end(), 0.0);
  if (v < m_) {
    const double* col = &binv_[static_cast<std::size_t>(v) * m_];
    for (int i = 0; i < m_; ++i) out[i] = -col[i];
    return;
  }
  const int j = v - m_;
  for (int e = starts_[j]; e < starts_[j + 1]; ++e) {
    const double a = entry_values_[e];
    const double* col = &binv_[static_cast<std::size_t>(entry_rows_[e]) * m_];
    for (int i = 0; i < m_; ++i) out[i] += a * col[i];
  }
}

bool DenseSimplex::Refactor() {
  const std::size_t m = m_;
  // Gauss-Jordan on [B | I] with partial pivoting, row-major; B's columns are sparse, so most
  // eliminations skip.
  std::vector<double> w(m * m, 0.0), inv(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i) {
    inv[i * m + i] = 1;
    const int v = basis_[i];
    if (v < m_) {
      w[v * m + i] = -1;
    } else {
      for (int e = starts_[v - m_]; e < starts_[v - m_ + 1]; ++e)
        w[entry_rows_[e] * m + i] += entry_values_[e];
    }
  }
  for (std::size_t c = 0; c < m; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < m; ++r)
      if (std::abs(w[r * m + c]) > std::abs(w[p * m + c])) p = r;
    if (std::abs(w[p * m + c]) < kSingularTolerance) return false;
    if (p != c) {
      std::swap_ranges(&w[p * m], &w[p * m] + m, &w[c * m]);
      std::swap_ranges(&inv[p * m], &inv[p * m] + m, &inv[c * m]);
    }
    const double scale = 1.0 / w[c * m + c];
    for (std::size_t k = 0; k < m; ++k) {
      w[c * m + k] *= scale;
      inv[c * m + k] *= scale;
    }
    for (std::size_t r = 0; r < m; ++r) {
      const double f = w[r * m + c];
      if (r == c || f == 0) continue;
      for (std::size_t k = 0; k < m; ++k) {
        w[r * m + k] -= f * w[c * m + k];
        inv[r * m + k] -= f * inv[c * m + k];
      }
    }
  }
  binv_.assign(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t k = 0; k < m; ++k) binv_[k * m + i] = inv[i * m + k];
  since_check_ = 0;
  RecomputeBasicValues();
  ComputeDuals();
  return true;
}

void DenseSimplex::RecomputeBasicValues() {
  // B x_B + N x_N = 0, so x_B = -B^-1 (N x_N).
  std::vector<double>& rhs = scratch_;
  std::fill(rhs.begin(), rhs.end(), 0.0);
  for (int v = 0; v < variables(); ++v) {
    if (where_[v] == Where::kBasic || value_[v] == 0) continue;
    if (v < m_) {
      rhs[v] -= value_[v];
    } else {
      for (int e = starts_[v - m_]; e < starts_[v - m_ + 1]; ++e)
        rhs[entry_rows_[e]] += entry_values_[e] * value_[v];
    }
  }
  std::vector<double> x(m_, 0.0);
  for (int k = 0; k < m_; ++k) {
    if (rhs[k] == 0) continue;
    const double* col = &binv_[static_cast<std::size_t>(k) * m_];
    for (int i = 0; i < m_; ++i) x[i] -= col[i] * rhs[k];
  }
  for (int i = 0; i < m_; ++i) value_[basis_[i]] = x[i];
  values_stale_ = false;
}

void DenseSimplex::ComputeDuals() {
  for (int i = 0; i < m_; ++i) scratch_[i] = Cost(basis_[i]);
  for (int k = 0; k < m_; ++k) {
    const double* col = &binv_[static_cast<std::size_t>(k) * m_];
    // Four sums, so that the additions do not wait on each other.
    double s[4] = {0, 0, 0, 0};
    int i = 0;
    for (; i + 4 <= m_; i += 4) {
      for (int u = 0; u < 4; ++u) s[u] += scratch_[i + u] * col[i + u];
    }
    for (; i < m_; ++i) s[0] += scratch_[i] * col[i];
    y_[k] = (s[0] + s[1]) + (s[2] + s[3]);
  }
}

double DenseSimplex::Residual() const {
  // Primal: every row of [A | -I] times the values is 0.
  std::vector<double> sum(m_, 0.0), size(m_, 0.0);
  for (int v = 0; v < variables(); ++v) {
    const double x = value_[v];
    if (x == 0) continue;
    if (v < m_) {
      sum[v] -= x;
      size[v] += std::abs(x);
      continue;
    }
    for (int e = starts_[v - m_]; e < starts_[v - m_ + 1]; ++e) {
      sum[entry_rows_[e]] += entry_values_[e] * x;
      size[entry_rows_[e]] += std::abs(entry_values_[e] * x);
    }
  }
  double worst = 0;
  for (int i = 0; i < m_; ++i) worst = std::max(worst, std::abs(sum[i]) / (1 + size[i]));
  // Dual: every basic variable's reduced cost is 0.
  for (int v : basis_) worst = std::max(worst, std::abs(ReducedCost(v)) / (1 + std::abs(Cost(v))));
  return worst;
}

double DenseSimplex::ReducedCost(int v) const {
  if (v < m_) return y_[v];  // the logical's column is -e_v, its cost 0
  const int j = v - m_;
  double d = cost_[j];
  for (int e = starts_[j]; e < starts_[j + 1]; ++e) d -= y_[entry_rows_[e]] * entry_values_[e];
  return d;
}

int DenseSimplex::Price(bool bland, int& direction, double& reduced_cost) const {
  int best = -1;
  double best_score = 0;
  for (int v = 0; v < variables(); ++v) {
    const Where w = where_[v];
    if (w == Where::kBasic) continue;
    if (lower_[v] == upper_[v]) continue;  // fixed
    const double d = ReducedCost(v);
    const double tolerance = kDualTolerance * (1 + std::abs(Cost(v)));
    int dir = 0;
    if (d < -tolerance && (w == Where::kLower || w == Where::kZero)) dir = 1;
    if (d > tolerance && (w == Where::kUpper || w == Where::kZero)) dir = -1;
    if (dir == 0) continue;
    if (bland) {
      direction = dir;
      reduced_cost = d;
      return v;
    }
    if (std::abs(d) > best_score) {
      best_score = std::abs(d);
      best = v;
      direction = dir;
      reduced_cost = d;
    }
  }
  return best;
}

bool DenseSimplex::Feasible(double tolerance) const {
  for (int v : basis_) {
    const double x = value_[v];
    if (x < lower_[v] - tolerance * (1 + std::abs(lower_[v]))) return false;
    if (x > upper_[v] + tolerance * (1 + std::abs(upper_[v]))) return false;
  }
  return true;
}

bool DenseSimplex::Recheck() {
  // The running values and duals as they are (O(nonzeros)); then recomputed from the inverse
  // (O(m^2)); then from a new inverse (O(m^3)).
  since_check_ = 0;
  if (Residual() <= kResidualTolerance) return true;
  RecomputeBasicValues();
  ComputeDuals();
  if (Residual() <= kResidualTolerance) return true;
  return Refactor() && Residual() <= kResidualTolerance;
}

DenseSimplex::Result DenseSimplex::Solve() {
  if (!has_basis_) return Result::kFailed;
  if (values_stale_) {
    RecomputeBasicValues();
    if (!Feasible(kFeasibilityTolerance)) return Result::kFailed;  // no phase 1 here
  }
  const std::int64_t limit = 20 * static_cast<std::int64_t>(variables()) + 1000;
  int degenerate = 0;
  bool checked = false;
  for (std::int64_t it = 0; it < limit; ++it) {
    if (since_check_ >= kCheckEvery && !Recheck()) return Result::kFailed;
    int sigma = 0;
    double d = 0;
    const bool bland = degenerate >= kDegenerateRun;
    const int q = Price(bland, sigma, d);
    if (q < 0) {
      // Optimal at the running values and duals: check them against the basis (and mend them
      // if they drifted), and price once more.
      if (checked) return Result::kOptimal;
      if (!Recheck() || !Feasible(kFeasibilityTolerance)) return Result::kFailed;
      checked = true;
      continue;
    }
    checked = false;
    Ftran(q, alpha_);
    // Ratio test: basic i moves by -sigma * alpha_i per unit of the entering step.
    double step = HasBound(lower_[q]) && HasBound(upper_[q]) ? upper_[q] - lower_[q] : HUGE_VAL;
    int leave = -1;
    double leave_alpha = 0;
    for (int i = 0; i < m_; ++i) {
      const double a = alpha_[i];
      if (std::abs(a) < kPivotTolerance) continue;
      const int v = basis_[i];
      const double rate = -sigma * a;
      double limit_i;
      if (rate < 0) {
        if (!HasBound(lower_[v])) continue;
        limit_i = (value_[v] - lower_[v]) / -rate;
      } else {
        if (!HasBound(upper_[v])) continue;
        limit_i = (upper_[v] - value_[v]) / rate;
      }
      limit_i = std::max(limit_i, 0.0);
      const bool better = limit_i < step - kTie;
      const bool tie = !better && limit_i <= step + kTie && leave >= 0;
      if (better || (tie && (bland ? v < basis_[leave] : std::abs(a) > leave_alpha))) {
        step = limit_i;
        leave = i;
        leave_alpha = std::abs(a);
      }
    }
    if (!HasBound(step)) return Result::kUnbounded;
    value_[q] += sigma * step;
    for (int i = 0; i < m_; ++i) value_[basis_[i]] -= sigma * alpha_[i] * step;
    degenerate = step <= kTie ? degenerate + 1 : 0;
    if (leave < 0) {  // the entering variable reached its other bound; the basis stays
      where_[q] = sigma > 0 ? Where::kUpper : Where::kLower;
      value_[q] = sigma > 0 ? upper_[q] : lower_[q];
      continue;
    }
    const int out = basis_[leave];
    const bool to_lower = -sigma * alpha_[leave] < 0;
    where_[out] = to_lower || lower_[out] == upper_[out] ? Where::kLower : Where::kUpper;
    value_[out] = where_[out] == Where::kLower ? lower_[out] : upper_[out];
    basis_[leave] = q;
    where_[q] = Where::kBasic;
    // B^-1 <- E B^-1 with the eta column of alpha at `leave`; the new row `leave` of B^-1 is the
    // old one over the pivot, and y moves along it by q's reduced cost (y'.a_q = c_q, and y'.a_i
    // stays c_i for the other basic columns).
    const double pivot = alpha_[leave];
    for (int k = 0; k < m_; ++k) {
      double* col = &binv_[static_cast<std::size_t>(k) * m_];
      const double p = col[leave] / pivot;
      if (p == 0) continue;
      for (int i = 0; i < m_; ++i) col[i] -= alpha_[i] * p;
      col[leave] = p;
      y_[k] += d * p;
    }
    ++since_check_;
  }
  return Result::kFailed;
}

double DenseSimplex::objective() const {
  double s = 0;
  for (int j = 0; j < columns(); ++j) s += cost_[j] * value_[m_ + j];
  return s;
}

std::vector<double> DenseSimplex::primal() const {
  return std::vector<double>(value_.begin() + m_, value_.end());
}

}  // namespace rebook::solver::internal
