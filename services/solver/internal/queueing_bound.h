// The queueing bound: a cheap lower bound on the cost of a set of jobs that can only use a given
// set of windows, which, unlike the capacity bound's cheapest start of each job alone, counts
// that they queue for the same minutes.
//
// A placed job j starting at t costs at least w_j (t - r_j) and takes d_j window minutes from t
// on; unassigned it costs U_j. Dropping skills, offices, rule 6, office changes and overtime
// leaves: each minute u holds at most cap(u) jobs (the windows' minutes at u). Relaxing that
// with prices phi_b >= 0 per time bucket b gives, for ANY phi >= 0, the valid bound (weak
// duality)
//   LB(phi) = sum_j min(U_j, min_t w_j (t - r_j) + sum_{u in [t, t + d_j)} phi(u))
//             - sum_b cap_b * phi_b,
// t ranging over r_j <= t, t + d_j <= due_j; per bucket the inner term is bounded below by the
// delay at the bucket's earliest usable minute plus d_j times the least price the job's minutes
// can meet. The prices start from the greedy by Smith's rule (steepest w_j / d_j first into the
// earliest free minutes; the dual of its fluid schedule, which the bound then equals when all
// jobs share release and deadline) and are improved by a few subgradient steps; the best
// LB(phi) seen is returned, so a poor price choice only weakens the bound.
//
// Cost: (job classes) x (buckets) per step, for a bounded number of steps (see QueueingOptions).
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_QUEUEING_BOUND_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_QUEUEING_BOUND_H_

#include <vector>

#include "services/solver/internal/problem.h"

namespace rebook::solver::internal {

struct QueueingOptions {
  // Bucket length in minutes (coarser: cheaper, weaker, still valid). Default 60.
  int bucket_minutes = 60;
  // Subgradient steps after the greedy prices. Default 5: on region's components 0, 5, 30 and
  // 100 steps all gave 919.3 M (the greedy's dual is nearly optimal there); they help where
  // releases and deadlines differ.
  int max_steps = 5;
  // Fewer steps where (class x bucket) evaluations would exceed this in total. Default 5e6.
  double max_work = 5e6;
};

// A lower bound on the total cost of `jobs` (indices into problem.jobs) when they may only use
// the minutes of `windows` (indices into problem.windows); every other cost (office changes,
// overtime) is >= 0 and left out. 0 if there are no jobs.
double ComputeQueueingBound(const Problem& problem, const std::vector<int>& jobs,
                            const std::vector<int>& windows, const QueueingOptions& options = {});

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_QUEUEING_BOUND_H_
