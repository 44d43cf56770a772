// Incremental re-planning of an outage after citizens answered and capacity changed.
//
// Freed slots and waiting citizens are planned again with solver::Resolve:
// - confirmed appointments never move (pinned), unless their slot broke (a closure, a clerk
//   reported absent, less capacity that day): then the accepted offer is WITHDRAWN and the
//   citizen gets a new offer that explains why, or a cancellation if nothing fits;
// - open offers keep their slot unless a rule requires a move (old offer WITHDRAWN, new offer
//   with an explanation);
// - slots a citizen declined are times they cannot come (LoadPlanningInput), so never offered
//   again; new slots start at least `min_notice` after now, from the next local midnight on.
//
// Solving takes seconds and runs outside any transaction, in three steps:
//
//   ReplanInput in;  // store.Read:  in = PrepareReplan(tx, outage_id, overrides, now, options)
//   auto plan = SolveReplan(in, solve_options);            // no storage, no clock
//   // store.Write: CommitReplan(tx, in, *plan, ctx, ...)  // ABORTED if anything changed since
//
// CommitReplan stores the result as a plan (base plan: the last committed one) and commits it
// in the same transaction. It refuses with ABORTED when the outage's offers, appointments,
// closures or committed plans changed after PrepareReplan read them (e.g. a concurrent re-plan
// committed, or a citizen answered); ReplanOutage (plan_use_case.h) reads, solves and tries
// again. So two re-plans at once never both commit on the same state.
#ifndef REBOOK_SERVICES_REBOOKING_REPLAN_H_
#define REBOOK_SERVICES_REBOOKING_REPLAN_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "services/domain/outreach.h"
#include "services/rebooking/commit.h"
#include "services/rebooking/time_checks.h"
#include "services/solver/solver.h"
#include "storage/store.h"

namespace rebook::rebooking {

struct ReplanOptions {
  // New slots start at least this long after now, so that citizens can answer and come.
  // Default 12 h (kDefaultMinNotice).
  std::chrono::seconds min_notice{kDefaultMinNotice};
  // Alternatives per new offer (OfferPolicy::alternatives). Default 3.
  int alternatives = 3;
  // How often ReplanOutage (plan_use_case.h) reads, solves and tries to commit when the outage
  // changed in between (a citizen answered, another re-plan committed); at least once.
  // Default 3.
  int attempts = 3;
};

// What to solve with; by default those of the last committed plan.
struct ReplanParams {
  domain::PlanParams params;
  std::uint64_t seed = 1;
  double time_limit_seconds = 10.0;
};

// Why a held slot has to move.
struct BrokenSlot {
  int rule = 0;             // the spec's rule it breaks now (1..6)
  std::string explanation;  // for the citizen, in their language
};

struct ReplanInput {
  domain::Outage outage;
  std::optional<domain::PlanRecord> base;  // the last committed plan
  ReplanParams params;                     // horizon start moved to now + min_notice if later
  domain::Scenario scenario;
  solver::ResolveRequest request;
  std::map<std::string, domain::Assignment> held;  // the outage's held slots in the horizon
  std::set<std::string> confirmed;                 // of those, the accepted ones
  std::map<std::string, BrokenSlot> broken;        // held slots that no longer fit
  std::string state_digest;                        // what CommitReplan re-checks
};

// Reads what to re-plan. FAILED_PRECONDITION for closed outages, when there is no committed
// plan and no `overrides`, when `overrides` start before `now`, or when the horizon ends before
// the first slot the minimum notice allows (the message names the field).
absl::StatusOr<ReplanInput> PrepareReplan(storage::Transaction& tx, const std::string& outage_id,
                                          const std::optional<ReplanParams>& overrides, Instant now,
                                          const ReplanOptions& options);

// Resolves `in` (confirmed citizens pinned, unaffected open offers kept). Pinned slots the
// checker accepted but the solver finds unusable (solver::ResolveResult::unfit_pinned; they
// round seconds differently) become broken (rule 2, in `in.broken`), leave `in.request`, and the
// solve is repeated without them.
absl::StatusOr<domain::Plan> SolveReplan(ReplanInput& in, const solver::SolveOptions& options);

struct ReplanResult {
  domain::PlanRecord plan;  // the new committed plan, or the base plan if nothing changed
  bool changed = false;
  std::int64_t new_offers = 0;  // offers created, including moved ones
  std::int64_t moved = 0;       // held slots withdrawn and offered anew
  std::int64_t withdrawn = 0;   // held slots withdrawn without a new slot
};

// Applies a solved re-plan (see the file comment). A re-plan that would change no offer stores
// nothing and returns the base plan with `changed` false, so re-running it is harmless.
absl::StatusOr<ReplanResult> CommitReplan(storage::Transaction& tx, const ReplanInput& in,
                                          const domain::Plan& plan, const std::string& plan_id,
                                          const CommitContext& ctx, const ReplanOptions& options);

// The last committed plan of an outage (the head of the chain of base plans), if any.
absl::StatusOr<std::optional<domain::PlanRecord>> LastCommittedPlan(storage::Transaction& tx,
                                                                    const std::string& outage_id);

// Held slots of `held` that no longer satisfy the rules in `scenario`, with explanations.
// Confirmed ones are also dropped, latest first, while their office-day is over its reserve
// limit (rule 6), so that the rest can stay pinned. Exposed for tests.
absl::StatusOr<std::map<std::string, BrokenSlot>> FindBrokenHeld(
    const domain::Scenario& scenario, const std::map<std::string, domain::Assignment>& held,
    const std::set<std::string>& confirmed);

// The citizen-facing reason why `held` has to move because it breaks `rule` now.
std::string ExplainBrokenSlot(const domain::Scenario& scenario, const domain::Assignment& held,
                              int rule, const std::string& language);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_REPLAN_H_
