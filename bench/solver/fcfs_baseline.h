// The hand-made baseline: appointments in order of their original start, each into its earliest
// feasible slot (any allowed office, any qualified clerk). What staff do with a printed list.
#ifndef REBOOK_BENCH_SOLVER_FCFS_BASELINE_H_
#define REBOOK_BENCH_SOLVER_FCFS_BASELINE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/domain/plan.h"

namespace rebook::bench {

absl::StatusOr<std::vector<domain::Assignment>> FcfsPlan(const domain::Scenario& scenario);

}  // namespace rebook::bench

#endif  // REBOOK_BENCH_SOLVER_FCFS_BASELINE_H_
