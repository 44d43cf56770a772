#include "services/solver/internal/time_indexed_bound.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "services/solver/internal/lp_master.h"

namespace rebook::solver::internal {
namespace {

// Reduced costs above this are not worth a column (objective units).
constexpr double kPricingTolerance = 1e-6;
// Wentges smoothing: the weight of the stability centre in the pricing multipliers.
constexpr double kSmoothing = 0.5;

class ColumnGeneration {
 public:
  explicit ColumnGeneration(const TimeIndexedModel& model)
      : m_(model), p_(model.problem()), lp_(Rows()) {
    for (int k = 0; k < classes(); ++k) {
      // Leaving a member unassigned.
      lp_.AddColumn(m_.classes()[k].unassigned_cost, 0, m_.classes()[k].count, {{k, 1.0}});
    }
    window_of_problem_window_.assign(p_.windows.size(), -1);
    for (int w = 0; w < static_cast<int>(m_.windows().size()); ++w)
      window_of_problem_window_[m_.windows()[w].window] = w;
  }

  // Adds each window's schedule in the plan as a column.
  void AddPlan(const std::vector<std::pair<int, int>>& plan);
  // Adds the schedule of window w found by pricing.
  void AddPath(int w, const TimeIndexedModel::Pricing& pricing);
  // The reduced cost of that schedule at the master's last duals.
  double ReducedCost(int w, const TimeIndexedModel::Pricing& pricing) const;
  bool Solve() { return lp_.Solve(); }
  double master_objective() const { return lp_.objective(); }
  int columns() const { return lp_.columns(); }
  // The schedules of the last solution with weight above zero, heaviest first.
  std::vector<LpSchedule> Solution() const;
  // The master's duals as Lagrange multipliers; sigma: the windows' convexity duals (<= 0).
  void Multipliers(std::vector<double>& lambda, std::vector<double>& mu,
                   std::vector<double>& sigma) const;

 private:
  int classes() const { return static_cast<int>(m_.classes().size()); }
  int ODRow(int od) const { return classes() + od; }
  int WindowRow(int w) const { return classes() + static_cast<int>(p_.office_days.size()) + w; }
  std::vector<LpRow> Rows() const;

  const TimeIndexedModel& m_;
  const Problem& p_;
  LpMaster lp_;
  std::vector<int> window_of_problem_window_;
  std::vector<LpSchedule> contents_;  // of each column after the classes' slack columns
};

std::vector<LpSchedule> ColumnGeneration::Solution() const {
  std::vector<LpSchedule> out;
  const std::vector<double>& x = lp_.primal();
  for (std::size_t c = 0; c < contents_.size() && classes() + c < x.size(); ++c) {
    if (x[classes() + c] <= 1e-9) continue;
    out.push_back(contents_[c]);
    out.back().weight = x[classes() + c];
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const LpSchedule& a, const LpSchedule& b) { return a.weight > b.weight; });
  return out;
}

std::vector<LpRow> ColumnGeneration::Rows() const {
  std::vector<LpRow> rows;
  for (const auto& k : m_.classes()) rows.push_back({1.0 * k.count, 1.0 * k.count});
  for (const OfficeDayCap& od : p_.office_days)
    rows.push_back({-kLpInfinity, 1.0 * od.regular_cap});
  for (std::size_t w = 0; w < m_.windows().size(); ++w) rows.push_back({-kLpInfinity, 1.0});
  return rows;
}

void ColumnGeneration::AddPlan(const std::vector<std::pair<int, int>>& plan) {
  struct Column {
    double cost = 0;
    std::unordered_map<int, double> rows;
    LpSchedule content;
  };
  std::unordered_map<int, Column> by_window;
  for (std::size_t j = 0; j < plan.size(); ++j) {
    const auto [window, start] = plan[j];
    if (window < 0 || window_of_problem_window_[window] < 0) continue;
    const int w = window_of_problem_window_[window];
    const Job& job = p_.jobs[j];
    const Window& pw = p_.windows[window];
    Column& c = by_window[w];
    c.cost += job.weight * (start - job.release) +
              (pw.office != job.office ? p_.w_office_change : 0.0) +
              (pw.overtime ? p_.w_overtime * job.duration : 0.0);
    c.rows[m_.ClassOfJob(static_cast<int>(j))] += 1;
    if (!pw.overtime) c.rows[ODRow(pw.office_day)] += job.duration;
    c.rows[WindowRow(w)] = 1;
    c.content.window = window;
    c.content.placements.push_back({m_.ClassOfJob(static_cast<int>(j)), start});
  }
  for (auto& [w, c] : by_window) {
    std::vector<std::pair<int, double>> entries(c.rows.begin(), c.rows.end());
    std::sort(entries.begin(), entries.end());
    lp_.AddColumn(c.cost, 0, kLpInfinity, entries);
    std::sort(c.content.placements.begin(), c.content.placements.end(),
              [](auto a, auto b) { return a.second < b.second; });
    contents_.push_back(std::move(c.content));
  }
}

void ColumnGeneration::AddPath(int w, const TimeIndexedModel::Pricing& pricing) {
  const TimeIndexedModel::GridWindow& gw = m_.windows()[w];
  double cost = 0;
  std::unordered_map<int, double> rows;
  LpSchedule content;
  content.window = gw.window;
  for (int i = pricing.paths_begin[w]; i < pricing.paths_begin[w + 1]; ++i) {
    const TimeIndexedModel::Placement& pl = pricing.paths[i];
    const int k = m_.entries()[pl.entry].job_class;
    cost += m_.Cost(gw, pl.entry, pl.index);
    content.placements.push_back({k, gw.start + pl.index * m_.grid()});
    rows[k] += 1;
    if (gw.office_day >= 0) rows[ODRow(gw.office_day)] += m_.classes()[k].duration;
  }
  rows[WindowRow(w)] = 1;
  std::vector<std::pair<int, double>> entries(rows.begin(), rows.end());
  std::sort(entries.begin(), entries.end());
  lp_.AddColumn(cost, 0, kLpInfinity, entries);
  contents_.push_back(std::move(content));
}

double ColumnGeneration::ReducedCost(int w, const TimeIndexedModel::Pricing& pricing) const {
  const TimeIndexedModel::GridWindow& gw = m_.windows()[w];
  const std::vector<double>& y = lp_.duals();
  double rc = -y[WindowRow(w)];
  for (int i = pricing.paths_begin[w]; i < pricing.paths_begin[w + 1]; ++i) {
    const TimeIndexedModel::Placement& pl = pricing.paths[i];
    const int k = m_.entries()[pl.entry].job_class;
    rc += m_.Cost(gw, pl.entry, pl.index) - y[k];
    if (gw.office_day >= 0) rc -= y[ODRow(gw.office_day)] * m_.classes()[k].duration;
  }
  return rc;
}

void ColumnGeneration::Multipliers(std::vector<double>& lambda, std::vector<double>& mu,
                                   std::vector<double>& sigma) const {
  const std::vector<double>& y = lp_.duals();
  lambda.resize(classes());
  for (int k = 0; k < classes(); ++k)
    lambda[k] = std::clamp(y[k], 0.0, m_.classes()[k].unassigned_cost);
  mu.resize(p_.office_days.size());
  for (std::size_t od = 0; od < mu.size(); ++od) mu[od] = std::max(0.0, -y[ODRow(od)]);
  sigma.resize(m_.windows().size());
  for (std::size_t w = 0; w < sigma.size(); ++w) sigma[w] = std::min(0.0, y[WindowRow(w)]);
}

bool Done(const TimeIndexedBoundOptions& o, double bound) {
  if (o.upper_bound > 0 && (o.upper_bound - bound) / o.upper_bound <= o.target_gap) return true;
  return o.budget != nullptr && !o.budget->Below(o.budget_fraction);
}

}  // namespace

TimeIndexedBound ComputeTimeIndexedBound(const TimeIndexedModel& model,
                                         const TimeIndexedBoundOptions& options) {
  TimeIndexedBound out;
  const Problem& problem = model.problem();
  if (problem.jobs.empty()) {
    out.valid = true;
    return out;
  }
  out.grid_minutes = model.grid();
  out.work_per_round = model.work();

  const int nk = static_cast<int>(model.classes().size());
  std::vector<double> lambda(nk, 0.0), mu(problem.office_days.size(), 0.0), sigma;
  if (options.job_prices.size() == problem.jobs.size()) {
    for (std::size_t j = 0; j < problem.jobs.size(); ++j) {
      const int k = model.ClassOfJob(static_cast<int>(j));
      lambda[k] += options.job_prices[j] / model.classes()[k].count;
    }
    for (int k = 0; k < nk; ++k)
      lambda[k] = std::clamp(lambda[k], 0.0, model.classes()[k].unassigned_cost);
    if (options.office_day_prices.size() == mu.size()) mu = options.office_day_prices;
  }
  TimeIndexedModel::Pricing pricing;
  double best = model.Price(lambda, mu, options.max_rounds > 0, pricing);
  out.valid = true;
  if (options.max_rounds <= 0) {
    out.lower_bound = std::max(0.0, best - 1e-7 * std::abs(best));
    return out;
  }

  ColumnGeneration cg(model);
  if (options.seed_plan) cg.AddPlan(options.seed_plan());
  for (int w = 0; w < static_cast<int>(model.windows().size()); ++w) {
    if (pricing.window_value[w] < -kPricingTolerance) cg.AddPath(w, pricing);
  }
  // Wentges smoothing: price at a mix of the best multipliers so far (the stability centre) and
  // the master's duals, which damps the duals' oscillation; if that finds no column the master
  // lacks, price at the master's duals alone.
  std::vector<double> centre_lambda = lambda, centre_mu = mu;
  std::vector<double> master_lambda, master_mu;
  for (out.rounds = 0; out.rounds < options.max_rounds && !Done(options, best); ++out.rounds) {
    if (!cg.Solve()) break;
    cg.Multipliers(master_lambda, master_mu, sigma);
    out.master_objective = cg.master_objective();
    int added = 0;
    for (double alpha : {kSmoothing, 0.0}) {
      for (int k = 0; k < nk; ++k)
        lambda[k] = alpha * centre_lambda[k] + (1 - alpha) * master_lambda[k];
      for (std::size_t od = 0; od < mu.size(); ++od)
        mu[od] = alpha * centre_mu[od] + (1 - alpha) * master_mu[od];
      const double value = model.Price(lambda, mu, true, pricing);
      if (value > best) {
        best = value;
        centre_lambda = lambda;
        centre_mu = mu;
      }
      for (int w = 0; w < static_cast<int>(model.windows().size()); ++w) {
        if (cg.ReducedCost(w, pricing) < -kPricingTolerance) {
          cg.AddPath(w, pricing);
          ++added;
        }
      }
      if (added > 0 || alpha == 0.0) break;
    }
    if (added == 0) break;  // the master is optimal: its value is the LP's
  }
  out.columns = cg.columns();
  out.schedules = cg.Solution();
  out.job_class.resize(problem.jobs.size());
  for (std::size_t j = 0; j < problem.jobs.size(); ++j)
    out.job_class[j] = model.ClassOfJob(static_cast<int>(j));
  // Floating-point sums over many windows: a margin far below any objective unit.
  out.lower_bound = std::max(0.0, best - 1e-7 * std::abs(best));
  return out;
}

}  // namespace rebook::solver::internal
