// Splitting a scenario into independent parts and solving them one after another.
//
// Two appointments, clerks or offices are in one part when they are linked by a chain of
// "clerk works (a shift or a standing booking) at office" and "appointment may go to office"
// (its original office included). Parts share no clerk, no office (so no office-day cap of
// rule 6) and no appointment, so a plan of the whole is the union of plans of the parts, its
// objective their sum, and the sum of the parts' lower bounds bounds the whole.
//
// A part is a list of indices into the whole scenario; its own scenario is built only while it
// is solved (PartScenario), so that solving by parts never holds a second copy of the whole
// scenario, nor the whole scenario's solver structures.
//
//   std::vector<ScenarioPart> parts = SplitScenario(scenario);
//   absl::StatusOr<domain::Plan> plan = SolveParts(scenario, parts, options, 0.97, 0, 1, solve);
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_DECOMPOSE_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_DECOMPOSE_H_

#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/domain/plan.h"
#include "services/solver/solver.h"

namespace rebook::solver::internal {

struct ScenarioPart {
  // Indices into the whole scenario's lists, each ascending: the part's offices, clerks, their
  // shifts, standing bookings and closures, and its appointments.
  std::vector<int> offices, clerks, shifts, bookings, closures, appointments;
};

// The parts that hold appointments, fewest appointments first (ties: in order of their first
// appointment). Empty if an office or clerk reference of a shift, booking, closure or
// appointment does not resolve: the whole scenario's solve then reports it.
std::vector<ScenarioPart> SplitScenario(const domain::Scenario& scenario);

// The part as a scenario of its own; params and services are the whole scenario's, every list
// keeps the whole scenario's order.
domain::Scenario PartScenario(const domain::Scenario& whole, const ScenarioPart& part);

using PartSolver =
    std::function<absl::StatusOr<domain::Plan>(const domain::Scenario&, const SolveOptions&)>;

// Solves the parts in order with `solve` and joins their plans into the plan of `whole`: the
// assignments in the whole scenario's order, the summary summed (lower_bound and gap only if
// every part has a bound; shortfall in the whole scenario's office order, suggested shifts
// ranked again and cut to the report's 50; solve_seconds left to the caller). Each part's
// scenario and plan are freed once it is joined. The parts are taken in order by
// `o.part_threads` workers, the caller's thread one of them (a worker waits while the parts in
// flight and the next would hold more than `o.part_in_flight_max_appointments`, unless none is in
// flight; such a part's time share is that of one worker); `solve` must be re-entrant, and
// `o.progress` is called from the caller's thread only. With a budget, a part may use the time
// left (until `end_fraction` of the budget's limit) times the workers times its share of the
// appointments of the parts not yet started (at most the time left), so time a small part does
// not use goes to the larger ones after it; the time left is first reduced by the most a
// side-thread part finished ran over its share per appointment times the largest part not yet
// started (at most a tenth of the parts' time and half the time left). Each part's options have
// auto_time_limit off, and with a budget parts above 1,000 appointments have bound_max_appointments
// 0 (their bound on the side thread). Progress runs from `from` to `to` by appointments solved. The
// plan does not depend on which worker solved what. With `owned` (the same object as `whole`),
// the parts' scenarios are taken from it instead of copied: its appointments are first cut down
// to the fields the solver reads and their list freed, and each part's appointments, shifts,
// bookings and closures are moved out when it starts and freed when it is solved (the lists of
// `owned` other than offices, services, clerks and params are left unspecified).
absl::StatusOr<domain::Plan> SolveParts(const domain::Scenario& whole,
                                        const std::vector<ScenarioPart>& parts,
                                        const SolveOptions& o, double end_fraction, double from,
                                        double to, const PartSolver& solve,
                                        domain::Scenario* owned = nullptr);

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_DECOMPOSE_H_
