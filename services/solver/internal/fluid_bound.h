// The fluid lower bound: a min-cost-flow relaxation of the rebooking problem.
//
// Each job is a fluid of `duration` minutes. A feasible plan costs exactly
//   sum over jobs j and their minutes u of  w_j / d_j * (u + 1/2 - d_j/2 - r_j)  (+ office change
//   and overtime per minute), or its unassigned cost,
// because a contiguous job's mean busy minute is start + d/2 - 1/2 ("mean busy time"). Dropping
// contiguity and one-clerk-at-a-time leaves a transportation problem: job classes (same service,
// duration, priority, release, offices, deadline slice, unavailable times) send minutes to capacity
// buckets (office, clerk skill group, office-day, regular/overtime, 5- or 30-minute slice, shortest
// usable window) whose regular buckets also pass an office-day node capped by rule 6. Costs use
// each bucket's earliest minute and are rounded down, so the optimum is a valid lower bound on the
// objective. Arcs are priced in rounds (column generation); stopping early still gives a valid
// bound via the Lagrangian correction  LB = LP - sum_k supply_k * max(0, -min reduced cost of class
// k). The fluid solution's placement of each job is returned as a construction hint.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_FLUID_BOUND_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_FLUID_BOUND_H_

#include <vector>

#include "services/solver/internal/problem.h"
#include "services/solver/time_budget.h"

namespace rebook::solver::internal {

struct FluidBound {
  bool valid = false;
  double lower_bound = 0;
  std::vector<int> target;  // per job: minute of its fluid placement (kInfinity: unassigned)
  // The fluid's dual prices, in objective units: per job, what placing it is worth (its class's
  // price per minute times its duration), and per office-day, a regular minute's reserve price.
  // A warm start for the time-indexed bound's multipliers.
  std::vector<double> job_price;
  std::vector<double> office_day_price;
  int pricing_rounds = 0;
  std::size_t arcs = 0;
};

// `budget` may be null. Gives up (valid = false) if the budget expires first. Jobs marked in
// `skip` (may be null; else one entry per job) are left out: the bound is then one on the other
// jobs' cost alone, their price is 0 and their hint their release. `slice_minutes` > 0 sets the
// buckets' slice (coarser is cheaper and weaker, still valid); 0: 5 minutes up to 1,000 jobs,
// else 30. The first round prices, per class and (office, skill group) list, its first
// max(24, `initial_arcs`) buckets (24 if the larger start would take half the arc limit):
// where rounds are cut by the budget, a larger start can reach the optimum in one round.
FluidBound ComputeFluidBound(const Problem& problem, const TimeBudget* budget,
                             const std::vector<char>* skip = nullptr, int slice_minutes = 0,
                             int initial_arcs = 0);

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_FLUID_BOUND_H_
