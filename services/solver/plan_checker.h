// PlanChecker: an independent check of a plan against the six feasibility rules of the scenario
// bundle spec, and an independent computation of its objective.
//
// It shares nothing with the solver but the domain calendar (holidays, shift days, free regular
// minutes), so a solver bug cannot hide itself.
//
//   absl::StatusOr<CheckReport> r = CheckPlan(scenario, plan.assignments);
//   if (r.ok() && !r->ok()) for (const Violation& v : r->violations) std::cerr << v.message;
#ifndef REBOOK_SERVICES_SOLVER_PLAN_CHECKER_H_
#define REBOOK_SERVICES_SOLVER_PLAN_CHECKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/domain/plan.h"

namespace rebook::solver {

struct Violation {
  int rule = 0;  // 1..6 as in the spec; 0: the plan itself (missing or duplicate rows)
  std::string appointment_id;
  std::string message;
};

struct CheckReport {
  std::vector<Violation> violations;
  domain::ObjectiveParts parts;  // recomputed from the scenario, not read from the plan
  double objective = 0;
  std::int64_t assigned = 0;
  std::int64_t unassigned = 0;
  bool ok() const { return violations.empty(); }
};

// InvalidArgument only if the scenario itself is broken (e.g. an unknown time zone).
absl::StatusOr<CheckReport> CheckPlan(const domain::Scenario& scenario,
                                      const std::vector<domain::Assignment>& assignments);

}  // namespace rebook::solver

#endif  // REBOOK_SERVICES_SOLVER_PLAN_CHECKER_H_
