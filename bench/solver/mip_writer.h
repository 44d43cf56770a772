// The spec's time-indexed MIP in CPLEX LP format, for an exact reference optimum from CBC.
//
// x(j,w,s) = 1 if job j starts at minute s in free window w (one clerk's free time in one usable
// shift); u(j) = 1 if j stays unassigned. Starts lie on the grid of the gcd of all times and
// durations, which loses nothing: a left-shifted optimal plan starts every job at a release,
// a window start or the end of another job or blocked time. Constraints: one choice per job,
// at most one job per clerk per grid cell, and rule 6 per office-day. Built from the domain
// calendar, not from the solver's internals. Benchmark only: never a runtime dependency.
#ifndef REBOOK_BENCH_SOLVER_MIP_WRITER_H_
#define REBOOK_BENCH_SOLVER_MIP_WRITER_H_

#include <cstdint>
#include <filesystem>

#include "absl/status/statusor.h"
#include "services/domain/model.h"

namespace rebook::bench {

struct MipStats {
  std::int64_t variables = 0;
  std::int64_t constraints = 0;
  int grid_minutes = 0;
};

// FailedPrecondition if the model would have more than `max_variables` variables.
absl::StatusOr<MipStats> WriteTimeIndexedMip(const domain::Scenario& scenario,
                                             const std::filesystem::path& lp_file,
                                             std::int64_t max_variables);

}  // namespace rebook::bench

#endif  // REBOOK_BENCH_SOLVER_MIP_WRITER_H_
