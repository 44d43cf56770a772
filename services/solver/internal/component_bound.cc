#include "services/solver/internal/component_bound.h"

#include <algorithm>
#include <numeric>
#include <utility>
#include <vector>

#include "services/solver/internal/fluid_bound.h"
#include "services/solver/time_budget.h"

namespace rebook::solver::internal {
namespace {

// Bucket slice of the per-component fluids above kFineJobs appointments. On region, 120 minutes
// instead of 30 cost 18.5 instead of 34.4 CPU s for 942.38 M instead of 942.46 M (the delays
// are days; deadlines fall on closed hours).
constexpr int kSlice = 120;
constexpr int kFineJobs = 1000;
// Fractions of the solver's budget: no fluid starts after kLastStart, and a running one prices
// no more after kLastRound. One network simplex of region's largest component takes seconds, and
// the search ends at 0.75 (its closing passes at 0.92), when the solver waits for this thread.
constexpr double kLastStart = 0.6;
constexpr double kLastRound = 0.65;

// The fluid's only view of the stop flag: "a quarter of the budget is used" once it is set, which
// makes the running pricing round its last.
class StopBudget final : public TimeBudget {
 public:
  StopBudget(const std::atomic<bool>* stop, const TimeBudget* budget)
      : stop_(stop), budget_(budget) {}
  double ElapsedSeconds() const override { return Stopped(kLastRound) ? 1.0 : 0.0; }
  double LimitSeconds() const override { return 1.0; }
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
                                     const std::atomic<bool>* stop, const TimeBudget* budget) {
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
      const FluidBound fluid = ComputeFluidBound(p, &until, &skip, slice);
      if (fluid.valid && fluid.lower_bound + others > best[c]) {
        best[c] = fluid.lower_bound + others;
        ++out.raised_by_deadlines;
      }
    }
    for (int j : members[c]) skip[j] = 1;
  }
  // Then all jobs of each component, smallest first: the delay the fluid adds grows about
  // linearly with a component's jobs, its network simplex faster, so on a loaded machine the
  // small ones gain more per second (and the one running at the stop ends sooner).
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const int c = *it;
    if (stopped()) break;
    for (int j : members[c]) skip[j] = 0;
    const FluidBound fluid = ComputeFluidBound(p, &until, &skip, slice);
    for (int j : members[c]) skip[j] = 1;
    ++out.refined;
    if (fluid.valid && fluid.lower_bound > best[c]) {
      best[c] = fluid.lower_bound;
      ++out.raised;
    }
  }
  // The forced jobs' unassigned cost: the capacity bound's total without its components' terms.
  double forced = 0;
  for (int j = 0; j < static_cast<int>(capacity.component.size()); ++j) {
    if (capacity.component[j] < 0) forced += p.jobs[j].unassigned_cost;
  }
  out.lower_bound = forced + std::accumulate(best.begin(), best.end(), 0.0);
  // Sums of many terms: a margin far below any objective unit.
  out.lower_bound = std::max(0.0, out.lower_bound - 1e-9 * out.lower_bound);
  return out;
}

ConcurrentComponentBound::ConcurrentComponentBound(const Problem& problem, CapacityBound capacity,
                                                   const TimeBudget* budget)
    : capacity_(std::move(capacity)) {
  thread_ = std::thread([this, &problem, budget] {
    result_ = ComputeComponentBound(problem, capacity_, &stop_, budget);
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
