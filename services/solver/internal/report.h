// Turning a schedule into a domain::Plan: assignments with costs and reasons, the summary,
// FCFS inversions, the shortfall and the extra shifts that would pay off.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_REPORT_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_REPORT_H_

#include <vector>

#include "services/domain/calendar.h"
#include "services/domain/plan.h"
#include "services/solver/internal/schedule.h"

namespace rebook::solver::internal {

domain::Plan BuildPlan(const Schedule& schedule, const domain::ShiftCalendar& calendar);

// Pairs (a, b) of one FCFS group (service, original office, priority) where a was booked
// earlier but is planned later (an unassigned appointment counts as planned last).
std::int64_t CountFcfsInversions(const Schedule& schedule);

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_REPORT_H_
