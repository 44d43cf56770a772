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

// RoundedReserveGain's search per office-day: the move from minutes to units, then kRounds of
// nu alone and mu alone, each a line search of kLineSteps bisection steps. On region (default
// run, load 4-5) 4 steps and 1 round kept 32.87 of the 32.91 M that 8 and 2 (or 12 and 4) gave,
// in 3.9 instead of 6.8-11 s of the bound threads' time (largest part: 0.53 s).
constexpr int kLineSteps = 4;
constexpr int kRounds = 1;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

}  // namespace

double RoundedReserveGain(const TimeIndexedModel& model, const std::vector<double>& lambda,
                          const std::vector<double>& mu, const TimeIndexedModel::Pricing& pricing) {
  const Problem& p = model.problem();
  std::vector<std::vector<int>> windows_of(p.office_days.size());
  for (int w = 0; w < static_cast<int>(model.windows().size()); ++w) {
    if (model.windows()[w].office_day >= 0) windows_of[model.windows()[w].office_day].push_back(w);
  }
  double gain = 0;
  for (std::size_t od = 0; od < windows_of.size(); ++od) {
    const std::int64_t cap = p.office_days[od].regular_cap;
    const double mu0 = od < mu.size() ? mu[od] : 0.0;
    double base = -mu0 * static_cast<double>(cap);
    for (int w : windows_of[od]) base += pricing.window_value[w];
    if (windows_of[od].empty()) {
      gain += std::max(0.0, -base);  // no window uses the reserve: mu_od = 0 is best
      continue;
    }
    int unit = 0;
    double best_rate = 0, rate_max = 0, lambda_max = 0;
    for (int w : windows_of[od]) {
      const auto& gw = model.windows()[w];
      for (int e = gw.entries_begin; e < gw.entries_end; ++e) {
        const int k = model.entries()[e].job_class;
        const int d = model.classes()[k].duration;
        const double rate = lambda[k] / d;
        rate_max = std::max(rate_max, rate);
        lambda_max = std::max(lambda_max, lambda[k]);
        if (rate > best_rate || (rate == best_rate && d > unit)) {
          best_rate = rate;
          unit = d;
        }
      }
    }
    if (unit <= 0 || best_rate <= 0) continue;
    const std::int64_t cap_units = FloorDiv(cap, unit);
    std::int64_t load = 0, units = 0;
    auto term = [&](double m, double n) {
      load = units = 0;
      double t = -m * static_cast<double>(cap) - n * static_cast<double>(cap_units);
      for (int w : windows_of[od]) t += model.PriceWindow(w, lambda, m, n, unit, load, units);
      return t;
    };
    const double cap_d = static_cast<double>(cap), cap_units_d = static_cast<double>(cap_units);
    double best = base, best_mu = mu0, best_nu = 0;
    term(mu0, 0);  // the paths at the start (its value is `base`): their load and units
    std::int64_t best_load = load, best_units = units;
    // Maximises the concave term on the segment from the best point to (m1, n1) by bisection on
    // the sign of its slope there (dm * (load - cap) + dn * (units - cap_units), from the path
    // at each point), keeping the best point seen. Nothing is tried if it falls at the start.
    auto line = [&](double m1, double n1) {
      const double m0 = best_mu, n0 = best_nu, dm = m1 - m0, dn = n1 - n0;
      auto slope = [&](std::int64_t l, std::int64_t u) {
        return dm * (static_cast<double>(l) - cap_d) + dn * (static_cast<double>(u) - cap_units_d);
      };
      if ((dm == 0 && dn == 0) || slope(best_load, best_units) <= 0) return;
      double lo = 0, hi = 1;
      for (int step = 0; step <= kLineSteps; ++step) {
        const double t = step == 0 ? hi : (lo + hi) / 2;
        const double v = term(m0 + t * dm, n0 + t * dn);
        if (v > best) {
          best = v;
          best_mu = m0 + t * dm;
          best_nu = n0 + t * dn;
          best_load = load;
          best_units = units;
        }
        const double s = slope(load, units);
        if (step == 0 && s >= 0) return;  // the far end is best on this segment
        if (step > 0) (s > 0 ? lo : hi) = t;
      }
    };
    // First the reserve's price moved from minutes to units (a unit-long job's cost stays).
    if (mu0 > 0) line(0, unit * mu0);
    for (int round = 0; round < kRounds; ++round) {
      line(best_mu, best_units > cap_units ? lambda_max : 0.0);
      line(best_load > cap ? rate_max : 0.0, best_nu);
    }
    gain += best - base;
  }
  return gain;
}

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
    if (options.round_reserve) {
      out.reserve_gain = RoundedReserveGain(model, lambda, mu, pricing);
      best += out.reserve_gain;
    }
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
  if (options.round_reserve) {
    // The best multipliers' value once more (their window values), raised by the rounded rows.
    const double centre = model.Price(centre_lambda, centre_mu, false, pricing);
    out.reserve_gain = RoundedReserveGain(model, centre_lambda, centre_mu, pricing);
    best = std::max(best, centre + out.reserve_gain);
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
