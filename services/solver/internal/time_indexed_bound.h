// The time-indexed lower bound: the LP relaxation of the spec's time-indexed MIP, by column
// generation.
//
// The master LP (CLP) chooses, for every window, a convex combination of schedules (sequences of
// non-overlapping (job class, start) pairs), so that each class is placed n_k times or left
// unassigned at its unassigned cost, within rule 6's reserve caps. Its duals price the windows'
// shortest-path problems (TimeIndexedModel::Price), which add the schedules of negative reduced
// cost. Every round's Lagrangian value at the master's duals is a valid lower bound, so the search
// can stop at any time, and stops once the bound is within `target_gap` of the plan it is
// compared with. The LP sees what the fluid bound cannot: a job is contiguous and a window holds
// whole jobs only.
//
// The master starts from the fluid bound's duals (their schedules) and the plan's own schedules,
// so the first bound is already at least as good as the fluid's in practice.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_TIME_INDEXED_BOUND_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_TIME_INDEXED_BOUND_H_

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "services/solver/internal/problem.h"
#include "services/solver/internal/time_indexed_model.h"
#include "services/solver/time_budget.h"

namespace rebook::solver::internal {

struct TimeIndexedBoundOptions {
  // Objective of a feasible plan; the search stops when (upper_bound - bound) / upper_bound <=
  // target_gap. 0: no plan.
  double upper_bound = 0;
  double target_gap = 0;
  // Called once, only if the LP will be solved: a plan, per job (window, start minute), window -1
  // if unassigned, whose schedules seed the master LP. It may set upper_bound. May be empty.
  std::function<std::vector<std::pair<int, int>>()> seed_plan;
  // Another relaxation's duals (FluidBound::job_price and office_day_price): the first pricing
  // round's multipliers. May be empty.
  std::vector<double> job_prices;
  std::vector<double> office_day_prices;
  // At most this many rounds of column generation. 0: no LP, only the Lagrangian value at
  // job_prices and office_day_prices. Default 200.
  int max_rounds = 200;
  // Stop once the budget (may be null) has used this fraction of its limit. Default 0.9.
  const TimeBudget* budget = nullptr;
  double budget_fraction = 0.9;
  // Raise the Lagrangian value by RoundedReserveGain: with max_rounds 0 at the given prices,
  // else at the best multipliers the rounds found (one more pricing pass).
  bool round_reserve = false;
};

// A window's schedule in the LP solution, with its weight (0..1].
struct LpSchedule {
  int window = 0;  // index into Problem::windows
  double weight = 0;
  std::vector<std::pair<int, int>> placements;  // (job class, start minute), in time order
};

struct TimeIndexedBound {
  bool valid = false;
  double lower_bound = 0;
  double master_objective = 0;  // the LP's value over the columns generated (>= its optimum)
  int rounds = 0;
  int columns = 0;
  int grid_minutes = 0;
  double reserve_gain = 0;          // what RoundedReserveGain added (round_reserve only)
  std::int64_t work_per_round = 0;  // window points x eligible classes
  // The master LP's last solution: the schedules it uses, heaviest first, and each job's class.
  std::vector<LpSchedule> schedules;
  std::vector<int> job_class;
};

// Rule 6's reserve row of an office-day od, sum over the jobs placed in its regular windows of
// d_j <= cap_od, holds for whole jobs. Divided by a unit D > 0 and rounded down on both sides it
// stays valid (Chvátal–Gomory): sum_j floor(d_j / D) <= sum_j d_j / D <= cap_od / D, and the left
// side is an integer, so it is at most floor(cap_od / D). The LP and the Lagrangian fill a reserve
// remainder shorter than D with a fraction of a D-minute job (region: 30-minute births due in
// days, 8-30 minutes left in most office-days); the rounded row does not. Dualised with a price
// nu_od >= 0 beside mu_od, it adds nu_od * floor(d_k / D) to a class's cost in od's regular
// windows and subtracts nu_od * floor(cap_od / D): still a Lagrangian lower bound for any lambda
// <= the unassigned costs, mu >= 0, nu >= 0. With lambda fixed, the bound is a sum of one concave
// term per office-day in (mu_od, nu_od) (its regular windows' paths only), so each office-day's
// pair is searched alone (line searches from (mu_od, 0) by the subgradient's sign), and every
// point evaluated is a valid value: the gain is max over the points tried minus the term at
// (mu_od, 0), never negative. D per office-day is the duration of the class that offers the
// most per reserve minute (lambda_k / d_k) in its regular windows. Returns the gain to add to
// the value of Price(lambda, mu) whose window values `pricing` holds.
double RoundedReserveGain(const TimeIndexedModel& model, const std::vector<double>& lambda,
                          const std::vector<double>& mu, const TimeIndexedModel::Pricing& pricing);

// `model` must be complete().
TimeIndexedBound ComputeTimeIndexedBound(const TimeIndexedModel& model,
                                         const TimeIndexedBoundOptions& options);

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_TIME_INDEXED_BOUND_H_
