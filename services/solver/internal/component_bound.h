// The component bound: the fluid bound solved per component of the capacity bound, for instances
// too large for one fluid over everything (above SolveOptions::bound_max_appointments).
//
// A plan's cost is a sum over jobs, and dropping jobs from a plan keeps it feasible, so a bound on
// the cost of any set of jobs alone plus bounds on the other sets is a bound on the whole. The
// capacity bound's components (jobs and clerks that can share time) partition the jobs that fit
// somewhere; for each, the fluid bound over its jobs only (ComputeFluidBound with the others
// skipped) is such a bound, and the larger of it and the capacity bound's own term counts:
//   LB = sum of forced jobs' unassigned cost + sum_components max(capacity term, fluid).
// Rule 6's caps may be shared by components (an office with two unconnected services): each
// component's fluid sees the whole cap, which only relaxes it. The fluid sees queueing delay and
// deadlines per skill group, where the capacity bound counts each job's cheapest start alone and
// whole components' minutes (region: 887.9 M -> about 980 M, see docs/solver.md).
//
// ConcurrentComponentBound runs it on a second thread while the plan is built and searched: the
// plan never reads it, so plans stay deterministic; only the bound depends on how many components
// were done when Finish() is called (those left keep their capacity term).
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_COMPONENT_BOUND_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_COMPONENT_BOUND_H_

#include <atomic>
#include <thread>

#include "services/solver/internal/capacity_bound.h"
#include "services/solver/internal/problem.h"
#include "services/solver/time_budget.h"

namespace rebook::solver::internal {

struct ComponentBound {
  double lower_bound = 0;
  int components = 0;
  int refined = 0;  // components whose fluid was solved (the rest kept their capacity term)
  int raised = 0;   // ... and beat the bound so far
  int raised_by_deadlines = 0;  // components whose jobs with a deadline alone beat it
  bool lagrangian = false;      // the time-indexed Lagrangian at the fluids' prices beat the sum
};

// Components are solved first with their jobs with a deadline alone (the others at their a_j),
// largest first, then with all their jobs, smallest first. Once `*stop` is true, or 60 % of
// `budget` is used, no new fluid starts; a running one ends after its current pricing round (still
// a valid bound; at 65 % of the budget too). `stop` and `budget` may be null. Then, if the
// time-indexed model of the whole problem costs at most `lagrangian_max_work` per pricing pass (0:
// never), its Lagrangian at the fluids' prices (each job's a_j where no fluid priced it) is
// evaluated after the deadline passes and again after the full fluids (one pricing pass each,
// also after the stop), each raised by rule 6's reserve rows rounded to whole jobs
// (RoundedReserveGain, time_indexed_bound.h), and the bound is the largest of those and the
// components' sum.
ComponentBound ComputeComponentBound(const Problem& problem, const CapacityBound& capacity,
                                     const std::atomic<bool>* stop, const TimeBudget* budget,
                                     double lagrangian_max_work = 0);

// Starts ComputeComponentBound on its own thread. `problem` must outlive it and stay unchanged.
class ConcurrentComponentBound {
 public:
  // `budget` (may be null) must outlive it. `lagrangian_max_work` as in ComputeComponentBound.
  ConcurrentComponentBound(const Problem& problem, CapacityBound capacity, const TimeBudget* budget,
                           double lagrangian_max_work = 0);
  ~ConcurrentComponentBound();  // stops and joins
  ConcurrentComponentBound(const ConcurrentComponentBound&) = delete;
  ConcurrentComponentBound& operator=(const ConcurrentComponentBound&) = delete;

  // Waits for the thread and returns its bound; with `stop`, asks it to stop first (the bound
  // then depends on timing), else waits until every component is done. Call at most once.
  ComponentBound Finish(bool stop);

 private:
  CapacityBound capacity_;
  std::atomic<bool> stop_{false};
  ComponentBound result_;
  std::thread thread_;
};

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_COMPONENT_BOUND_H_
