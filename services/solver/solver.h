// The rebooking solver: gives every cancelled appointment a new (office, clerk, start).
//
// It takes a domain::Scenario and returns a domain::Plan that satisfies the six feasibility rules
// of the scenario bundle spec and minimises its objective (weighted delay, office changes,
// overtime, unassigned appointments), with first-come-first-served order as the tie-breaker.
// It does no I/O and reads no clock: time limits come in through a TimeBudget, and results are
// deterministic for a seed when the budget is not reached. See docs/solver.md for the method.
//
//   SolveOptions options;
//   options.seed = 7;
//   SteadyTimeBudget budget(30);
//   options.budget = &budget;
//   options.progress = [](const SolveProgress& p) { std::cerr << p.fraction << "\n"; };
//   absl::StatusOr<domain::Plan> plan = Solve(scenario, options);
//
// Re-planning after declines (Resolve) keeps confirmed citizens where they are, never offers a
// declined slot again, and moves only the appointments that need a new slot.
//
// Thread safety: Solve and Resolve are re-entrant; the progress callback runs on the caller's
// thread. Large instances use a second thread (SolveOptions::component_bound_max_appointments,
// part_threads).
#ifndef REBOOK_SERVICES_SOLVER_SOLVER_H_
#define REBOOK_SERVICES_SOLVER_SOLVER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/domain/plan.h"
#include "services/solver/time_budget.h"

namespace rebook::solver {

struct SolveProgress {
  double fraction = 0.0;   // 0..1, monotone
  std::string phase;       // "model", "bound", "construct", "improve", "report"
  double objective = 0.0;  // of the best plan so far (0 before the first plan)
  std::optional<double> lower_bound;
};

struct SolveOptions {
  // Seeds the neighbourhood choice of the improvement phase. Default 1.
  std::uint64_t seed = 1;
  // Optional time limit; nullptr: none. Not owned; must outlive the call.
  const TimeBudget* budget = nullptr;
  // With a budget, also stop by AutoTimeLimitSeconds(appointments) after the budget's start (as
  // its own limit counts: the CLI's includes reading the bundle) if that comes first, so that a
  // generous limit (the CLI's 60 s) does not let large instances search on for little gain.
  // The budget still caps it. Without a budget there is no time limit at all. Default true.
  bool auto_time_limit = true;
  // Compute a lower bound (and use its relaxation to guide construction). Default true.
  bool compute_lower_bound = true;
  // Skip the bound above this many appointments: its column generation grows faster than the
  // rest of the solver. Default 50000.
  int bound_max_appointments = 50000;
  // Above bound_max_appointments and up to this many, the fluid bound is solved per component
  // of the capacity bound on a second thread while the plan is built and searched (the plan
  // never reads it; with a budget, the components not done when the search ends keep the
  // capacity bound; that thread reads `budget` too, which must then be thread-safe, as
  // SteadyTimeBudget is). Default 200,000.
  int component_bound_max_appointments = 200000;
  // Above this many appointments, a scenario whose offices fall into several independent parts
  // (no clerk, office or appointment shared; internal/decompose.h) is solved part by part, each
  // with a share of the budget by its size, smallest first, and the plans joined: the search of
  // the whole spends its steps and time where they gain least. Default 20,000.
  int decompose_min_appointments = 20000;
  // Such parts are solved on this many threads at once (the caller's and part_threads - 1
  // more); each part's plan is the same as with one. With more than one, `budget` is read from
  // those threads and must be thread-safe (as SteadyTimeBudget is); the progress callback still
  // runs on the caller's thread only. Default 2 (the 2-core machine the presets are timed on).
  int part_threads = 2;
  // A worker starts the next part only while the parts in flight and it hold at most this many
  // appointments together (or none is in flight): large parts run one at a time, so that their
  // bound structures are not built at once. Default 20,000.
  int part_in_flight_max_appointments = 20000;
  // Solve the LP relaxation of the time-indexed MIP (and round its solution into the first plan)
  // while one pricing round costs at most this many (window grid point x job class) evaluations;
  // above it, use the fluid bound. Default 2e6 (a city of ~1,000 appointments; halle needs 2.3e5).
  double lp_max_work = 2e6;
  // Above lp_max_work, evaluate the time-indexed Lagrangian once at the fluid bound's duals, up to
  // this much work; the component bound (above bound_max_appointments) evaluates it at its
  // fluids' prices too. Default 5e7.
  double lagrangian_max_work = 5e7;
  // Improvement effort: neighbourhoods tried per appointment (plus 500). Default 3; 0: none.
  double improve_effort = 3.0;
  // Stop improving after this many neighbourhoods without a new best plan, but after at most
  // 3 and at least 1 per movable appointment. Default 500.
  int improve_patience = 500;
  // Stop improving once the gap to the lower bound is at most this. Default 0.0005.
  double target_gap = 0.0005;
  // Stop improving once the last half of the neighbourhoods tried (counted from 4,096 on, checked
  // every 1,024) lowered the objective by at most this fraction. This makes large instances stop
  // when the search stalls instead of at the step limit or the time limit; it counts steps, not
  // seconds, so plans stay deterministic. Default 1e-4; 0: off.
  double min_relative_gain = 1e-4;
  // Up to this many appointments the search accepts small worsenings (threshold accepting) and
  // keeps a copy of the best plan; above it, only improvements. Default 20,000.
  int threshold_accepting_max_jobs = 20000;
  // Called after each phase and periodically while improving. May be empty.
  std::function<void(const SolveProgress&)> progress;
  // Diagnostics: one line per solve, or per part when solved by parts (prefixed with the part's
  // number, size and time share), with the objective, the bound, which method gave it and the
  // seconds used. Called from the part threads, never two at once. May be empty.
  std::function<void(const std::string&)> log;
};

absl::StatusOr<domain::Plan> Solve(const domain::Scenario& scenario, const SolveOptions& options);

// Solve for a caller that has no further use for the scenario's appointments, shifts, standing
// bookings and closures: the same plan, but a scenario solved by parts (above
// decompose_min_appointments) moves each part's share of those lists into the part's own
// scenario instead of copying it, and frees it once the part is solved, so that the memory of
// the input shrinks as the parts are done (state, 1M appointments). Afterwards those lists hold
// unspecified (moved-from) values; params, offices, services and clerks are left as they were
// (enough to write the plan with bundle::WritePlan).
absl::StatusOr<domain::Plan> Solve(domain::Scenario&& scenario, const SolveOptions& options);

// The time a solve of this many appointments needs at most on a 2-core machine, with room for
// a loaded one: 10 s + 0.2 ms per appointment, at most 80 s (city 11 s, region 30 s, state
// 80 s). The search's step, patience and stall limits end it well before that when the machine
// is idle.
double AutoTimeLimitSeconds(std::size_t appointments);

// An option the citizen turned down: `appointment_id` may not be placed at a time overlapping
// `time`; if `office_id` or `clerk_id` is set, only at that office or with that clerk.
struct ForbiddenSlot {
  std::string appointment_id;
  std::string office_id;
  std::string clerk_id;
  domain::TimeInterval time;
};

struct ResolveRequest {
  // The plan in force. Appointments of the scenario without an assigned row here are new.
  std::vector<domain::Assignment> previous;
  // Appointment ids that keep their previous assignment exactly (e.g. confirmed citizens).
  // Those whose slot no longer fits the scenario come back in ResolveResult::unfit_pinned;
  // FailedPrecondition for one without an assigned row in `previous` or not in the scenario.
  std::vector<std::string> pinned;
  std::vector<ForbiddenSlot> forbidden;
  // True (default): every other appointment whose previous assignment is still feasible and not
  // forbidden keeps it too, and only the rest is planned (into the capacity left over).
  // False: previous assignments are only a starting point; all unpinned appointments may move.
  bool keep_unaffected = true;
};

struct ResolveResult {
  // Pinned appointments whose previous slot no longer fits the scenario (a shift or clerk gone,
  // the time now taken), in the order of ResolveRequest::pinned. If there are any, nothing was
  // solved and `plan` is empty: the caller decides what to do with them (e.g. unpins them and
  // resolves again).
  std::vector<std::string> unfit_pinned;
  // The new plan when `unfit_pinned` is empty. It covers every appointment of the scenario.
  domain::Plan plan;
};

// Re-plans `scenario` after a change (dropped appointments, e.g. self-rebooked citizens, are
// simply left out of `scenario` by the caller).
absl::StatusOr<ResolveResult> Resolve(const domain::Scenario& scenario,
                                      const ResolveRequest& request, const SolveOptions& options);

}  // namespace rebook::solver

#endif  // REBOOK_SERVICES_SOLVER_SOLVER_H_
