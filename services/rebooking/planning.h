// Planning use cases: turn what storage knows about an outage into the solver's scenario, store
// solved plans, compare them, and commit one.
//
// Solving runs outside any transaction (it may take seconds): read the input in a read
// transaction, solve, then store the result in a write transaction (CreatePlan in
// plan_use_case.h does all three):
//
//   PlanningInput in;  // store.Read: LoadPlanningInput(tx, outage, params, PlanScope::kOpen)
//   auto plan = solver::Solve(in.scenario, options);
//   // store.Write: StorePlan(tx, record, *plan)
#ifndef REBOOK_SERVICES_REBOOKING_PLANNING_H_
#define REBOOK_SERVICES_REBOOKING_PLANNING_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/ids.h"
#include "services/domain/model.h"
#include "services/domain/outreach.h"
#include "services/domain/plan.h"
#include "storage/store.h"

namespace rebook::rebooking {

// Longest planning horizon accepted.
inline constexpr std::chrono::hours kMaxHorizon{24 * 120};

// Checks a plan's parameters (field paths under `prefix`, e.g. "parameters").
absl::Status CheckPlanParams(const domain::PlanParams& params, const std::string& prefix);

enum class PlanScope {
  // The outage's citizens who wait for a slot (cancelled or declined). Every held slot (open or
  // accepted offers, of any outage) is busy.
  kOpen,
  // Those, plus the outage's citizens holding an open or accepted offer, whose slots become the
  // previous assignments of an incremental re-plan.
  kOpenAndHeld,
};

struct PlanningInput {
  domain::Scenario scenario;
  // kOpenAndHeld: the outage's held slots, one per holding appointment.
  std::vector<domain::Assignment> held;
  // kOpenAndHeld: appointments whose offer was accepted (they must not move).
  std::vector<std::string> confirmed;
};

// Reads what the solver needs for `outage`: its appointments (per `scope`), the offices they may
// go to, every service type, and the clerks, shifts, closures and standing bookings of those
// offices that touch the horizon. Slots held by citizens outside the plan become standing
// bookings, so no plan gives away a held slot. Slots a citizen declined become times they
// cannot come, so they are not offered again.
absl::StatusOr<PlanningInput> LoadPlanningInput(storage::Transaction& tx,
                                                const domain::Outage& outage,
                                                const domain::PlanParams& params, PlanScope scope);

// The store's filter of the appointments LoadPlanningInput reads for `outage_id` and `scope`.
storage::AppointmentFilter PlanningAppointmentFilter(const std::string& outage_id, PlanScope scope);

// LoadPlanningInput for a caller that has already read the appointments in this transaction:
// `appointments` must be what tx.ScanAppointments(PlanningAppointmentFilter(outage.id, scope))
// gave, in its order; they are not read again. CommitPlan reads them once for both.
absl::StatusOr<PlanningInput> LoadPlanningInput(storage::Transaction& tx,
                                                const domain::Outage& outage,
                                                const domain::PlanParams& params, PlanScope scope,
                                                std::vector<domain::Appointment> appointments);

// Stores a solved plan as READY together with its assignments.
absl::Status StorePlan(storage::Transaction& tx, const domain::PlanRecord& record,
                       const domain::Plan& plan);

struct PlanDifference {
  domain::PlanRecord a;
  domain::PlanRecord b;
  std::int64_t changed = 0;  // placed differently (office, clerk, time) or assigned in one only
  std::int64_t assigned_only_in_a = 0;
  std::int64_t assigned_only_in_b = 0;
};

// Adds to `d` how assignments `b` differ from `a` (matched by appointment id).
void CountDifferences(const std::vector<domain::Assignment>& a,
                      const std::vector<domain::Assignment>& b, PlanDifference& d);

// Compares two plans of the same outage.
absl::StatusOr<PlanDifference> ComparePlans(storage::Transaction& tx, const std::string& outage_id,
                                            const std::string& plan_a, const std::string& plan_b);

// The clerks of `ids`, in id order, from one listing of `offices`' clerks (a superset: also
// those managed there) rather than one read each; NOT_FOUND names a clerk of `ids` that does not
// exist. Empty `ids`: no read.
absl::StatusOr<std::vector<domain::Clerk>> ClerksOf(storage::Transaction& tx,
                                                    const std::set<std::string>& ids,
                                                    const std::vector<std::string>& offices);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_PLANNING_H_
