// What Resolve carries over from the plan in force: the declined slots as bans on the problem,
// and the previous assignments placed (pinned ones locked) into a schedule of the new problem.
//
//   ProblemOptions options = BansFrom(scenario, &request).value();
//   Problem problem = BuildProblem(scenario, calendar, options).value();
//   Schedule sched(problem);
//   std::vector<std::string> unfit = ApplyPrevious(request, problem, sched).value();
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_PREVIOUS_PLAN_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_PREVIOUS_PLAN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/solver/internal/problem.h"
#include "services/solver/internal/schedule.h"
#include "services/solver/solver.h"

namespace rebook::solver::internal {

// The request's forbidden slots as bans per appointment index (none for a null request).
// InvalidArgument for a forbidden slot naming an unknown office or clerk; slots of appointments
// no longer in the scenario are ignored.
absl::StatusOr<ProblemOptions> BansFrom(const domain::Scenario& s, const ResolveRequest* request);

// Places and locks the pinned appointments, then places the other previous assignments that
// still fit (locked when keep_unaffected). Returns the pinned ones that no longer fit (then
// nothing else is placed); FailedPrecondition for a pinned id without a previous assignment.
absl::StatusOr<std::vector<std::string>> ApplyPrevious(const ResolveRequest& r, const Problem& p,
                                                       Schedule& sched);

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_PREVIOUS_PLAN_H_
