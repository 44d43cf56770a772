// Turning a schedule into a domain::Plan: assignments with costs and reasons, the summary,
// FCFS inversions, the shortfall and the extra shifts that would pay off.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_REPORT_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "services/domain/calendar.h"
#include "services/domain/plan.h"
#include "services/solver/internal/schedule.h"

namespace rebook::solver::internal {

domain::Plan BuildPlan(const Schedule& schedule, const domain::ShiftCalendar& calendar);

// A plan suggests at most this many extra shifts.
constexpr std::size_t kMaxSuggestedShifts = 50;

// Orders suggested shifts by estimated saving, highest first (ties: by office id, service id,
// day, minutes), and keeps the first kMaxSuggestedShifts.
void RankSuggestedShifts(std::vector<domain::ShiftSuggestion>& shifts);

// Pairs (a, b) of one FCFS group (service, original office, priority) where a was booked
// earlier but is planned later (an unassigned appointment counts as planned last).
std::int64_t CountFcfsInversions(const Schedule& schedule);

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_REPORT_H_
