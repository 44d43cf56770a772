#include "services/rebooking/plan_use_case.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/rebooking/commit.h"
#include "services/rebooking/planning.h"
#include "services/rebooking/time_checks.h"

namespace rebook::rebooking {
namespace {

// The solver's options for one solve; `budget` must outlive the solve.
solver::SolveOptions SolverOptions(std::uint64_t seed, const solver::TimeBudget& budget,
                                   const PlanSolveOptions& solve) {
  solver::SolveOptions options;
  options.seed = seed;
  options.budget = &budget;
  options.improve_effort = solve.improve_effort;
  if (solve.progress) {
    options.progress = [&solve, &budget](const solver::SolveProgress& p) {
      solve.progress(p, budget.ElapsedSeconds());
    };
  }
  return options;
}

// The zone of the outage's first office, to show times in messages.
std::string OutageTimeZone(storage::Transaction& tx, const domain::Outage& outage) {
  if (outage.office_ids.empty()) return "UTC";
  absl::StatusOr<domain::Office> office = tx.GetOffice(outage.office_ids.front());
  return office.ok() ? office->time_zone : "UTC";
}

}  // namespace

absl::Status CreatePlan(const CreatePlanCommand& command, const PlanContext& ctx,
                        const PlanSolveOptions& solve, PlanCall& call) {
  bool replayed = false;
  PlanningInput input;
  domain::PlanParams params = command.params;
  REBOOK_RETURN_IF_ERROR(
      ctx.store->Read(ctx.tx_options, [&](storage::Transaction& tx) -> absl::Status {
        REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, call.PlannableOutage(tx, command.outage_id));
        // A retry of a finished request gets the stored plan without solving again.
        REBOOK_ASSIGN_OR_RETURN(replayed, call.Replayed(tx));
        if (replayed) return absl::OkStatus();
        if (outage.state != domain::OutageState::kActive) {
          return absl::FailedPreconditionError("the outage is closed");
        }
        // A what-if plan asks about capacity from now on: a base plan's horizon start that has
        // passed since moves up to now.
        if (command.what_if.has_value()) {
          params.horizon_start = std::max(params.horizon_start, ctx.clock->Now());
        }
        // No slot before now + minimum notice; a horizon that starts in the past is a mistake.
        REBOOK_ASSIGN_OR_RETURN(
            params.horizon_start,
            EarliestHorizonStart(params, OutageTimeZone(tx, outage), ctx.clock->Now(),
                                 ctx.min_notice, "parameters"));
        // A what-if plans everyone the plan in force planned, to compare with it.
        const PlanScope scope =
            command.what_if.has_value() ? PlanScope::kOpenAndHeld : PlanScope::kOpen;
        REBOOK_ASSIGN_OR_RETURN(input, LoadPlanningInput(tx, outage, params, scope));
        if (command.what_if.has_value()) {
          REBOOK_RETURN_IF_ERROR(ApplyCapacityChanges(*command.what_if, input.scenario));
          params = input.scenario.params;
        }
        return absl::OkStatus();
      }));
  if (replayed) return absl::OkStatus();

  const solver::TimeBudget& budget = call.StartSolve(command.time_limit_seconds);
  // A base plan gives the scenario to the solver: nothing below reads it again, and a large
  // outage solved by parts then frees each part's appointments as it is done (docs/solver.md).
  absl::StatusOr<domain::Plan> plan =
      command.what_if.has_value()
          ? SolveWhatIf(input, SolverOptions(command.seed, budget, solve))
          : solver::Solve(std::move(input.scenario), SolverOptions(command.seed, budget, solve));
  if (call.Cancelled()) return absl::CancelledError("the client cancelled the solve");
  REBOOK_RETURN_IF_ERROR(plan.status());

  domain::PlanRecord record;
  record.outage_id = command.outage_id;
  record.id = command.plan_id.empty() ? ctx.ids->NewId("plan") : command.plan_id;
  record.state =
      command.what_if.has_value() ? domain::PlanState::kWhatIf : domain::PlanState::kReady;
  record.params = params;
  record.seed = command.seed;
  record.time_limit_seconds = command.time_limit_seconds;
  record.summary = plan->summary;
  record.create_time = ctx.clock->Now();
  return call.WriteOnce([&](storage::Transaction& tx) -> absl::StatusOr<domain::PlanRecord> {
    if (tx.GetPlan(record.outage_id, record.id).ok()) {
      return absl::AlreadyExistsError(absl::StrCat("plan \"", record.id, "\" exists"));
    }
    REBOOK_RETURN_IF_ERROR(StorePlan(tx, record, *plan));
    return record;
  });
}

absl::Status ReplanOutage(const ReplanCommand& command, const PlanContext& ctx,
                          const PlanSolveOptions& solve, const ReplanOptions& options,
                          PlanCall& call) {
  absl::Status status;
  for (int attempt = 1; attempt <= std::max(1, options.attempts); ++attempt) {
    // Read (or replay), solve outside any transaction, then commit if nothing changed.
    bool replayed = false;
    ReplanInput input;
    REBOOK_RETURN_IF_ERROR(
        ctx.store->Read(ctx.tx_options, [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_RETURN_IF_ERROR(call.PlannableOutage(tx, command.outage_id).status());
          REBOOK_ASSIGN_OR_RETURN(replayed, call.Replayed(tx));
          if (replayed) return absl::OkStatus();
          REBOOK_ASSIGN_OR_RETURN(input, PrepareReplan(tx, command.outage_id, command.overrides,
                                                       ctx.clock->Now(), options));
          return absl::OkStatus();
        }));
    if (replayed) return absl::OkStatus();

    const solver::TimeBudget& budget = call.StartSolve(input.params.time_limit_seconds);
    absl::StatusOr<domain::Plan> plan =
        SolveReplan(input, SolverOptions(input.params.seed, budget, solve));
    if (call.Cancelled()) return absl::CancelledError("the client cancelled the re-plan");
    REBOOK_RETURN_IF_ERROR(plan.status());

    const std::string plan_id = ctx.ids->NewId("replan");
    status = call.WriteOnce([&](storage::Transaction& tx) -> absl::StatusOr<domain::PlanRecord> {
      CommitContext commit{ctx.clock->Now(), ctx.ids, ctx.outbox};
      commit.progress = ctx.progress;
      REBOOK_ASSIGN_OR_RETURN(ReplanResult r,
                              CommitReplan(tx, input, *plan, plan_id, commit, options));
      return r.plan;
    });
    if (status.code() != absl::StatusCode::kAborted) return status;
  }
  return status;
}

}  // namespace rebook::rebooking
