#include "bench/solver/fcfs_baseline.h"

#include <algorithm>
#include <numeric>

#include "services/common/status_macros.h"
#include "services/domain/calendar.h"
#include "services/solver/internal/problem.h"
#include "services/solver/internal/report.h"
#include "services/solver/internal/schedule.h"

namespace rebook::bench {

absl::StatusOr<std::vector<domain::Assignment>> FcfsPlan(const domain::Scenario& scenario) {
  // With office changes and overtime free, the cheapest slot is the earliest one.
  domain::Scenario earliest = scenario;
  earliest.params.w_office_change = 0;
  earliest.params.w_overtime_min = 0;
  REBOOK_ASSIGN_OR_RETURN(domain::ShiftCalendar cal, domain::ShiftCalendar::Build(earliest));
  REBOOK_ASSIGN_OR_RETURN(solver::internal::Problem p,
                          solver::internal::BuildProblem(earliest, cal, {}));
  solver::internal::Schedule s(p);
  std::vector<int> order(p.jobs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return p.jobs[a].original_start < p.jobs[b].original_start;
  });
  for (int j : order) {
    solver::internal::Slot slot = s.FindBestSlot(j);
    if (slot.window >= 0) s.Place(j, slot.window, slot.start);
  }
  // Costs in this plan use the zeroed weights; callers recompute them with the plan checker.
  return solver::internal::BuildPlan(s, cal).assignments;
}

}  // namespace rebook::bench
