// Planning use cases from a request to a stored plan: CreatePlan (read, solve, store) and
// ReplanOutage (read, solve, commit; again while the outage changes in between).
//
// Solving runs outside any transaction (it may take seconds): the input is read in a read
// transaction, solved, and the result written in a write transaction. What the caller adds
// around that (who may plan, replay of a request answered before, the solve's time budget and
// cancellation) comes in through a PlanCall, so this library knows no wire format:
//
//   class RpcPlanCall final : public PlanCall { ... };  // see services/api/plan_service.cc
//   RpcPlanCall call(...);
//   PlanContext ctx{&store, tx_options, &clock, &ids, &outbox};
//   absl::Status s = CreatePlan({.outage_id = "o-1", .params = params}, ctx, {}, call);
//   // OK: the answer reached `call` (WriteOnce's plan, or the one Replayed found).
//
// Errors are those of the PlanCall, of the reads (planning.h, replan.h), of the solver, and
// CANCELLED when the caller went away while solving. Thread safety: each call of a use case
// uses its own PlanCall; the objects in PlanContext must be thread-safe (they are shared).
#ifndef REBOOK_SERVICES_REBOOKING_PLAN_USE_CASE_H_
#define REBOOK_SERVICES_REBOOKING_PLAN_USE_CASE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "services/domain/outreach.h"
#include "services/rebooking/outbox.h"
#include "services/rebooking/replan.h"
#include "services/rebooking/time_checks.h"
#include "services/rebooking/what_if.h"
#include "services/solver/solver.h"
#include "services/solver/time_budget.h"
#include "storage/store.h"

namespace rebook::rebooking {

// What the caller of a planning use case adds to it. The use case calls, in this order:
// PlannableOutage and Replayed in its read transaction, StartSolve and Cancelled around the
// solve, and WriteOnce to store the result (ReplanOutage repeats all of it on ABORTED).
class PlanCall {
 public:
  virtual ~PlanCall() = default;

  // The outage `outage_id` if the caller may see it and plan for all its offices; otherwise the
  // error the use case returns (e.g. NOT_FOUND, PERMISSION_DENIED).
  virtual absl::StatusOr<domain::Outage> PlannableOutage(storage::Transaction& tx,
                                                         const std::string& outage_id) = 0;

  // True if this request was answered before; the caller keeps that answer, and the use case
  // returns OK without solving. ALREADY_EXISTS (or any error) ends the use case.
  virtual absl::StatusOr<bool> Replayed(storage::Transaction& tx) = 0;

  // Starts the time budget of one solve that may take at most `limit_seconds` (the request's, or
  // the re-planned plan's). The budget may end earlier (a deadline, a cancelled call) and stays
  // valid until the next StartSolve or the end of the use case.
  virtual const solver::TimeBudget& StartSolve(double limit_seconds) = 0;

  // True once the caller went away: the solve's result is dropped with CANCELLED.
  virtual bool Cancelled() const = 0;

  // Runs `write` in one write transaction and keeps the plan it returns as this request's answer,
  // once per request: if the request was answered meanwhile, `write` does not run and the
  // earlier answer is kept. `write` may run more than once (see storage::Store::Write).
  virtual absl::Status WriteOnce(
      absl::FunctionRef<absl::StatusOr<domain::PlanRecord>(storage::Transaction&)> write) = 0;
};

// The objects a planning use case works with. Not owned; they must outlive the call.
struct PlanContext {
  storage::Store* store = nullptr;
  // For the read transactions (the write ones are the PlanCall's).
  storage::TransactionOptions tx_options;
  Clock* clock = nullptr;
  IdGenerator* ids = nullptr;
  // Queues the offer messages of a committed re-plan. ReplanOutage only.
  const OutboxPolicy* outbox = nullptr;
  // CreatePlan offers no slot that starts earlier than this after the clock's now (ReplanOutage
  // uses ReplanOptions::min_notice). Default 12 h.
  std::chrono::seconds min_notice{kDefaultMinNotice};
  // Told how far the commit of a re-plan got (CommitContext::progress). Not owned; may be null.
  domain::ProgressSink* progress = nullptr;
};

struct PlanSolveOptions {
  // The solver's improvement effort (solver::SolveOptions::improve_effort). Default 3.
  double improve_effort = 3.0;
  // Solver progress, with the seconds the solve's budget has used (infinite once the caller went
  // away). Runs on the calling thread. Default: none.
  std::function<void(const solver::SolveProgress&, double elapsed_seconds)> progress;
};

struct CreatePlanCommand {
  std::string outage_id;
  std::string plan_id;  // optional; a new "plan-…" id when empty
  domain::PlanParams params;
  std::uint64_t seed = 1;
  double time_limit_seconds = 10.0;
  // Set: a what-if plan. It plans everyone the outage still plans for, held slots free again
  // and confirmed citizens kept where they can stay (SolveWhatIf, what_if.h), so it compares
  // with the plan in force. The changes apply to the solver's input only, and the plan is stored
  // as PlanState::kWhatIf (with the reserve share it was solved with), which no commit takes.
  // A horizon start in the past moves up to now (what-ifs are asked of a base plan's horizon).
  std::optional<CapacityChanges> what_if;
};

// Reads the waiting citizens of an active outage (LoadPlanningInput, PlanScope::kOpen), solves
// them outside any transaction, and stores the plan as READY through `call.WriteOnce`. The
// horizon starts no earlier than now + `ctx.min_notice` (EarliestHorizonStart, time_checks.h),
// and the stored plan records the horizon it was solved with.
// FAILED_PRECONDITION if the outage is closed or the horizon starts in the past or leaves no time
// after the minimum notice; ALREADY_EXISTS if `plan_id` is taken.
absl::Status CreatePlan(const CreatePlanCommand& command, const PlanContext& ctx,
                        const PlanSolveOptions& solve, PlanCall& call);

struct ReplanCommand {
  std::string outage_id;
  // What to solve with; nullopt: the parameters of the last committed plan.
  std::optional<ReplanParams> overrides;
};

// Re-plans an outage (replan.h): PrepareReplan, SolveReplan, and CommitReplan through
// `call.WriteOnce`. When CommitReplan finds that the outage changed since it was read
// (ABORTED), reads, solves and tries again, up to `options.attempts` times in all; the last
// ABORTED is returned.
absl::Status ReplanOutage(const ReplanCommand& command, const PlanContext& ctx,
                          const PlanSolveOptions& solve, const ReplanOptions& options,
                          PlanCall& call);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_PLAN_USE_CASE_H_
