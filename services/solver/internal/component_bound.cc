#include "services/solver/internal/component_bound.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

#include "services/solver/internal/fluid_bound.h"
#include "services/solver/internal/time_indexed_bound.h"
#include "services/solver/internal/time_indexed_model.h"
#include "services/solver/time_budget.h"

namespace rebook::solver::internal {
namespace {

// Bucket slice of the per-component fluids above kFineJobs appointments. On region, 120 minutes
// instead of 30 cost 18.5 instead of 34.4 CPU s for 942.38 M instead of 942.46 M (the delays
// are days; deadlines fall on closed hours).
constexpr int kSlice = 120;
constexpr int kFineJobs = 1000;
// The fluids' first round prices this many buckets per class and list (the fluid's default is
// 24). Region's part of 10,095 appointments with 24: round 0 281,493 arcs (bound 0 after its
// correction, 1 s at load 10), round 1 1,063,842 (30.57 M, 2.4-6 s); with 128: one round of
// 1,244,431 arcs at the optimum (30.56 M), 3.2 s in all against 4.9 s. Four 30-s runs of region,
// interleaved, 128 against 24: bound 999.9 / 992.2 M against 978.0 / 984.5 M.
constexpr int kInitialArcs = 128;
// Fractions of the solver's budget: no fluid starts after kLastStart, and a running one prices
// no more after kLastRound. One network simplex of region's largest component takes seconds, and
// the search ends at 0.75 (its closing passes at 0.92), when the solver waits for this thread.
constexpr double kLastStart = 0.6;
constexpr double kLastRound = 0.65;

// The fluid's view of the solver's budget and the stop flag: the fluid prices no more once a
// quarter of its budget is used (fluid_bound.h), which here is kLastRound of the solver's, or
// once the flag is set.
class StopBudget final : public TimeBudget {
 public:
  StopBudget(const std::atomic<bool>* stop, const TimeBudget* budget)
      : stop_(stop), budget_(budget) {}
  double ElapsedSeconds() const override {
    if (stop_ != nullptr && stop_->load(std::memory_order_relaxed)) return LimitSeconds();
    return budget_ != nullptr ? budget_->ElapsedSeconds() : 0.0;
  }
  double LimitSeconds() const override {
    return budget_ != nullptr ? budget_->LimitSeconds() * kLastRound / 0.25 : 1.0;
  }
  // True once the flag is set or `fraction` of the solver's budget is used.
  bool Stopped(double fraction) const {
    return (stop_ != nullptr && stop_->load(std::memory_order_relaxed)) ||
           (budget_ != nullptr && !budget_->Below(fraction));
  }

 private:
  const std::atomic<bool>* stop_;
  const TimeBudget* budget_;
};

}  // namespace

ComponentBound ComputeComponentBound(const Problem& p, const CapacityBound& capacity,
                                     const std::atomic<bool>* stop, const TimeBudget* budget,
                                     double lagrangian_max_work) {
  ComponentBound out;
  const int n = static_cast<int>(capacity.component_bound.size());
  out.components = n;
  std::vector<double> best = capacity.component_bound;
  std::vector<std::vector<int>> members(n);
  for (int j = 0; j < static_cast<int>(capacity.component.size()); ++j) {
    if (capacity.component[j] >= 0) members[capacity.component[j]].push_back(j);
  }
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return members[a].size() > members[b].size(); });
  const StopBudget until(stop, budget);
  const int slice = static_cast<int>(p.jobs.size()) <= kFineJobs ? 0 : kSlice;
  std::vector<char> skip(p.jobs.size(), 1);
  auto stopped = [&] { return until.Stopped(kLastStart); };
  // The multipliers of the time-indexed Lagrangian: each job's price in the last fluid that
  // priced it, else its a_j (at which placing it never pays: the Lagrangian counts a_j for it).
  // Per office-day, the largest price any component's fluid gave its cap.
  std::vector<double> job_price = capacity.job_placement;
  std::vector<double> office_day_price(p.office_days.size(), 0.0);
  bool priced = false;  // a fluid gave prices since the last evaluation
  // The fluids' prices also price the time-indexed model of the whole problem (the solver's
  // relaxation path does the same at the whole problem's fluid): it sees that a job is
  // contiguous and that a window holds whole jobs, which the 120-minute buckets do not. Once
  // after the deadline passes (their prices, a_j for the others) and once at the end (the full
  // fluids' prices where they ran): on region's largest part (10,095 appointments) 25.9 M ->
  // 31.9 M, about 0.2 s beside seconds of network simplex. It runs even after the stop: one
  // pass, no rounds.
  std::optional<TimeIndexedModel> model;
  double lagrangian_value = 0;
  auto evaluate_lagrangian = [&] {
    if (!priced || lagrangian_max_work <= 0) return;
    priced = false;
    if (!model) model.emplace(p, lagrangian_max_work);
    if (!model->complete()) return;
    TimeIndexedBoundOptions once;
    once.max_rounds = 0;
    once.job_prices = job_price;
    once.office_day_prices = office_day_price;
    // The reserve rows rounded to whole jobs: region's parts fill their reserve remainders
    // (8-30 minutes per office-day) with fractions of 30-minute births due in days; the
    // rounded rows count whole births only (region's bound +15-18 M, docs/solver.md).
    once.round_reserve = true;
    lagrangian_value =
        std::max(lagrangian_value, ComputeTimeIndexedBound(*model, once).lower_bound);
  };
  auto take_prices = [&](const FluidBound& fluid, int c, bool due_only) {
    if (!fluid.valid) return;
    priced = true;
    for (int j : members[c]) {
      if (!due_only || p.jobs[j].due < p.horizon_end) job_price[j] = fluid.job_price[j];
    }
    for (std::size_t od = 0; od < office_day_price.size(); ++od)
      office_day_price[od] = std::max(office_day_price[od], fluid.office_day_price[od]);
  };
  // First the jobs with a deadline alone, the others at their a_j: a small fluid (a few days of
  // capacity) that sees most of the unassigned cost (births due in days at an office whose
  // qualified clerks are full until then).
  for (int c : order) {
    if (stopped()) break;
    double others = 0;
    int due = 0;
    for (int j : members[c]) {
      if (p.jobs[j].due < p.horizon_end) {
        skip[j] = 0;
        ++due;
      } else {
        others += capacity.job_placement[j];
      }
    }
    if (due > 0 && due < static_cast<int>(members[c].size())) {
      const FluidBound fluid = ComputeFluidBound(p, &until, &skip, slice, kInitialArcs);
      take_prices(fluid, c, /*due_only=*/true);
      if (fluid.valid && fluid.lower_bound + others > best[c]) {
        best[c] = fluid.lower_bound + others;
        ++out.raised_by_deadlines;
      }
    }
    for (int j : members[c]) skip[j] = 1;
  }
  evaluate_lagrangian();
  // Then all jobs of each component, smallest first: the delay the fluid adds grows about
  // linearly with a component's jobs, its network simplex faster, so on a loaded machine the
  // small ones gain more per second (and the one running at the stop ends sooner).
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const int c = *it;
    if (stopped()) break;
    for (int j : members[c]) skip[j] = 0;
    const FluidBound fluid = ComputeFluidBound(p, &until, &skip, slice, kInitialArcs);
    for (int j : members[c]) skip[j] = 1;
    take_prices(fluid, c, /*due_only=*/false);
    ++out.refined;
    if (fluid.valid && fluid.lower_bound > best[c]) {
      best[c] = fluid.lower_bound;
      ++out.raised;
    }
  }
  evaluate_lagrangian();
  // The forced jobs' unassigned cost: the capacity bound's total without its components' terms.
  double forced = 0;
  for (int j = 0; j < static_cast<int>(capacity.component.size()); ++j) {
    if (capacity.component[j] < 0) forced += p.jobs[j].unassigned_cost;
  }
  out.lower_bound = forced + std::accumulate(best.begin(), best.end(), 0.0);
  // Sums of many terms: a margin far below any objective unit.
  out.lower_bound = std::max(0.0, out.lower_bound - 1e-9 * out.lower_bound);
  if (lagrangian_value > out.lower_bound) {
    out.lower_bound = lagrangian_value;
    out.lagrangian = true;
  }
  return out;
}

ConcurrentComponentBound::ConcurrentComponentBound(const Problem& problem, CapacityBound capacity,
                                                   const TimeBudget* budget,
                                                   double lagrangian_max_work)
    : capacity_(std::move(capacity)) {
  thread_ = std::thread([this, &problem, budget, lagrangian_max_work] {
    result_ = ComputeComponentBound(problem, capacity_, &stop_, budget, lagrangian_max_work);
  });
}

ConcurrentComponentBound::~ConcurrentComponentBound() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

ComponentBound ConcurrentComponentBound::Finish(bool stop) {
  if (stop) stop_ = true;
  if (thread_.joinable()) thread_.join();
  return result_;
}

}  // namespace rebook::solver::internal
