// The capacity bound: a cheap lower bound that always counts the unassigned cost a plan cannot
// avoid, at any size.
//
// Every job j costs at least a_j = min(its unassigned cost, its cheapest start in any window of a
// qualified clerk at an allowed office, ignoring other jobs, unavailable times and rule 6). If
// it stays unassigned it pays u_j - a_j more. Clerks and jobs that can share time form
// components (union of (office, service) pairs). In a component, the jobs due by D need their
// minutes inside its windows' minutes before D (each office-day's regular minutes capped by
// rule 6), so at least `demand - capacity` of those minutes stay unassigned, and the cheapest
// way to leave them out (fractional knapsack by (u_j - a_j) / d_j) bounds the extra:
//   LB = sum_j a_j + sum_components max(max_D knapsack(demand_D - capacity_D), count term).
// The count term sees whole jobs: for a service (or all services) and a length L, a window of
// usable length len holds at most floor(len / L) of the service's jobs that last L or longer, so
// the rest of them stay unassigned, at least the cheapest (by u_j - a_j) of them. A job with one
// allowed office only uses that office's windows: the sum over offices of the terms of their own
// jobs (disjoint jobs and windows) bounds the component too; the larger counts.
// The queueing bound (queueing_bound.h) of a component's jobs in its windows, of its
// single-office jobs in their office's windows, and of its jobs with a deadline plus the others
// (bounds on disjoint sets of jobs add up) replaces the component's term where it is larger: a_j
// sees each job alone, not the wait for the same minutes (region: 31 M more over the components).
// It is weaker than
// the fluid or LP bounds where they converge, but it needs no column generation (linear in jobs and
// windows times a few deadline levels), so it stays valid and includes the unavoidable unassigned
// cost when they are cut short by the time budget or skipped by size.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_CAPACITY_BOUND_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_CAPACITY_BOUND_H_

#include <vector>

#include "services/solver/internal/problem.h"

namespace rebook::solver::internal {

struct CapacityBound {
  double lower_bound = 0;
  double placement = 0;       // sum_j a_j
  double shortfall_cost = 0;  // the knapsack or count part, whichever is larger per component
  double count_cost = 0;      // how much the count term added over the knapsack
  double office_cost = 0;     // how much the single-office terms added over both
  // How much the queueing bound (queueing_bound.h) of the components' jobs in their windows
  // added over all three: a_j counts each job's cheapest start alone, not that they wait for
  // the same minutes.
  double queue_cost = 0;
  // Where the count term won: per job (empty if nowhere), 1 if in a counted set, and a bound on
  // those jobs' cost alone (their a_j plus the count terms). Any bound on the other jobs alone
  // plus separate_bound is a bound on the whole: a plan's cost is a sum over jobs, and dropping
  // jobs from a plan keeps it feasible.
  std::vector<char> separate;
  double separate_bound = 0;
  int forced_unassigned = 0;  // jobs with no window they can fit in at all
  // Per job, its component (an index into component_bound), or -1 for a job that fits nowhere
  // (its a_j, counted in placement, is then its unassigned cost). Per component, a bound on the
  // cost of its jobs alone (their a_j plus its term): lower_bound is the forced jobs' cost plus
  // their sum, so a stronger bound on one component's jobs may replace that component's entry.
  std::vector<int> component;
  std::vector<double> component_bound;
  std::vector<double> job_placement;  // per job, its a_j
};

CapacityBound ComputeCapacityBound(const Problem& problem);

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_CAPACITY_BOUND_H_
