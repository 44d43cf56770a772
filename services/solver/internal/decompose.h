// Splitting a scenario into independent parts and solving them one after another.
//
// Two appointments, clerks or offices are in one part when they are linked by a chain of
// "clerk works (a shift or a standing booking) at office" and "appointment may go to office"
// (its original office included). Parts share no clerk, no office (so no office-day cap of
// rule 6) and no appointment, so a plan of the whole is the union of plans of the parts, its
// objective their sum, and the sum of the parts' lower bounds bounds the whole.
//
//   std::vector<ScenarioPart> parts = SplitScenario(scenario);
//   absl::StatusOr<PartsSolution> r = SolveParts(parts, options, solve_one);
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_DECOMPOSE_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_DECOMPOSE_H_

#include <functional>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/domain/plan.h"
#include "services/solver/solver.h"

namespace rebook::solver::internal {

struct ScenarioPart {
  // The part's offices, clerks, their shifts, standing bookings and closures, its appointments;
  // params and services are the whole scenario's. Each list keeps the whole scenario's order.
  domain::Scenario scenario;
  // For each of scenario.appointments, its index in the whole scenario.
  std::vector<int> appointments;
};

// The parts that hold appointments, fewest appointments first (ties: in order of their first
// appointment). A scenario whose references do not resolve may give fewer, larger parts; it
// must have passed BuildProblem.
std::vector<ScenarioPart> SplitScenario(const domain::Scenario& scenario);

struct PartsSolution {
  // The parts' assignments, at the index of their appointment in the whole scenario.
  std::vector<domain::Assignment> assignments;
  // The sum of the parts' lower bounds, if every part has one.
  std::optional<double> lower_bound;
};

using PartSolver =
    std::function<absl::StatusOr<domain::Plan>(const domain::Scenario&, const SolveOptions&)>;

// Solves the parts in order with `solve`. With a budget, part i may use the time left (until
// `end_fraction` of the budget's limit) times its share of the appointments not yet solved, so
// time a small part does not use goes to the larger ones after it; each part's options have
// auto_time_limit off. Progress runs from `from` to `to` by appointments solved.
absl::StatusOr<PartsSolution> SolveParts(const std::vector<ScenarioPart>& parts,
                                         std::size_t whole_appointments, const SolveOptions& o,
                                         double end_fraction, double from, double to,
                                         const PartSolver& solve);

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_DECOMPOSE_H_
