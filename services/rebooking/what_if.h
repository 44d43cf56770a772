// What-if capacity: changes to the stored capacity that a plan is solved with but that are never
// stored (extra shifts, a clerk's absence, another reserve share), and the figures staff compare
// plans by.
//
//   CapacityChanges c;
//   c.extra_shifts.push_back({"mitte", day, "pass", 240});
//   REBOOK_RETURN_IF_ERROR(CheckCapacityChanges(c, "what_if"));
//   REBOOK_RETURN_IF_ERROR(ApplyCapacityChanges(c, scenario));  // scenario only; storage untouched
//
// A plan solved with changes is stored as PlanState::kWhatIf, which CommitPlan refuses.
#ifndef REBOOK_SERVICES_REBOOKING_WHAT_IF_H_
#define REBOOK_SERVICES_REBOOKING_WHAT_IF_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/domain/outreach.h"
#include "services/rebooking/planning.h"
#include "services/solver/solver.h"
#include "storage/store.h"

namespace rebook::rebooking {

// An overtime shift of a stand-in clerk who handles one service type.
struct ExtraShift {
  std::string office_id;
  domain::LocalDate day;
  std::string service_id;
  std::int64_t minutes = 0;
  // Local minutes after midnight; nullopt: the earliest start of the office's shifts that day,
  // else 08:00.
  std::optional<int> start_minute;
};

// A clerk who does not work from `first` to `last` (local days, inclusive).
struct ClerkAbsence {
  std::string clerk_id;
  domain::LocalDate first;
  domain::LocalDate last;
};

struct CapacityChanges {
  std::vector<ExtraShift> extra_shifts;
  std::vector<ClerkAbsence> absences;
  std::optional<double> reserve_share;
  bool empty() const {
    return extra_shifts.empty() && absences.empty() && !reserve_share.has_value();
  }
};

// INVALID_ARGUMENT with field violations under `prefix` ("what_if.extra_shifts[0].minutes"):
// 15 to 720 minutes, a start within the day, absences with last >= first, at most 31 days long,
// a reserve share in [0, 1), at most 50 changes of each kind.
absl::Status CheckCapacityChanges(const CapacityChanges& changes, const std::string& prefix);

// Applies the changes to a scenario read from storage: extra shifts get a stand-in clerk each
// ("what-if-1", ...), absent clerks lose their shifts starting on those days, and the reserve
// share replaces the parameters'. FAILED_PRECONDITION for an extra shift at an office the
// outage's citizens cannot go to, an unknown service type, or an absence that removes no shift
// (an unknown clerk, or one who does not work on those days there).
absl::Status ApplyCapacityChanges(const CapacityChanges& changes, domain::Scenario& scenario);

// Solves a what-if scenario read with PlanScope::kOpenAndHeld: everyone the outage still plans
// for, held slots free again, so that the plan compares with the plan in force. Confirmed
// citizens keep their slots where these still exist (a clerk's absence may move them).
absl::StatusOr<domain::Plan> SolveWhatIf(const PlanningInput& input,
                                         const solver::SolveOptions& options);

// A plan in staff language (see PlanComparison.StaffFigures in plans.proto).
struct StaffFigures {
  std::int64_t citizens = 0;
  std::int64_t placed = 0;
  std::int64_t within_5_working_days = 0;
  double mean_delay_days = 0.0;
  double mean_delay_working_days = 0.0;
  double overtime_hours = 0.0;
};

// The figures of a stored plan, over the appointments of `office_ids` (their original office)
// or, when nullopt, all of them.
absl::StatusOr<StaffFigures> PlanStaffFigures(
    storage::Transaction& tx, const domain::PlanRecord& plan,
    const std::optional<std::vector<std::string>>& office_ids);

// "Placed: 40 of 50 -> 46 of 50 (+6)" and the like, one line per figure, in "de" (default) or
// "en".
std::vector<std::string> CompareText(const StaffFigures& a, const StaffFigures& b,
                                     std::string_view language);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_WHAT_IF_H_
