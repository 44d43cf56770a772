// Committing a plan: its assignments become offers with held slots, and each offer's message is
// queued in the outbox, all in the caller's write transaction.
#ifndef REBOOK_SERVICES_REBOOKING_COMMIT_H_
#define REBOOK_SERVICES_REBOOKING_COMMIT_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/ids.h"
#include "services/domain/outreach.h"
#include "services/domain/progress.h"
#include "services/rebooking/outbox.h"
#include "storage/store.h"

namespace rebook::rebooking {

struct CommitContext {
  Instant now{};
  IdGenerator* ids = nullptr;
  const OutboxPolicy* outbox = nullptr;
  // Alternatives attached to each new offer (see offer_alternatives.h); 0 for none.
  int alternatives = 0;
  // The plan's state when the request began, read before its write transaction
  // (PlanStateAtStart); nullopt if unknown. It tells a lost race from a stale request: see
  // CommitPlan.
  std::optional<domain::PlanState> plan_state_at_start;
  // Told how many rows of each bulk write are written, once per chunk ("writing offers",
  // "updating appointments", "queueing messages"). Not owned; nullptr: no one is watching.
  domain::ProgressSink* progress = nullptr;
  // Set: a READY plan with an assigned slot that starts before now + min_notice commits
  // nothing (CheckSlotsAhead, time_checks.h; checked on the assignments the commit reads).
  std::optional<std::chrono::seconds> min_notice;
};

struct CommitResult {
  domain::PlanRecord plan;
  std::int64_t offers_created = 0;
  // Assigned in the plan, but the citizen no longer waits (e.g. rebooked themselves since).
  std::int64_t skipped = 0;
};

// Commits plan `plan_id` of `outage_id`:
// - each assigned appointment that still waits for a slot gets a new OPEN offer (next version,
//   fresh token, expiry after its office's offer TTL, up to `ctx.alternatives` alternatives)
//   holding the assigned slot, its status becomes OFFERED, and an offer message is queued;
// - unassigned ones keep waiting, with the solver's reason as their status reason;
// - the plan becomes COMMITTED, the outage's other READY plans SUPERSEDED.
// Idempotent: committing a committed plan returns it unchanged. FAILED_PRECONDITION for
// superseded or failed plans, closed outages, and stale plans (a slot now held by someone else
// or no longer inside a shift of its clerk); the caller's transaction then changes nothing.
// ABORTED instead when the plan was READY at `ctx.plan_state_at_start` and is SUPERSEDED now:
// another commit (or re-plan) of the same outage won a race that began while this request ran,
// on this server or another replica; the message names the winner and says to re-read the
// plans. A plan already superseded when the request began stays FAILED_PRECONDITION.
// Cost: a fixed number of reads (offers, shifts, the plan's appointments), then one bulk write
// each of messages (and their events), offers and appointments; no query per appointment.
absl::StatusOr<CommitResult> CommitPlan(storage::Transaction& tx, const std::string& outage_id,
                                        const std::string& plan_id, const CommitContext& ctx);

// The state of plan `plan_id` of `outage_id` in a read transaction of `store`, for
// CommitContext::plan_state_at_start; nullopt if it cannot be read (the commit then reports why).
std::optional<domain::PlanState> PlanStateAtStart(storage::Store& store,
                                                  const storage::TransactionOptions& options,
                                                  const std::string& outage_id,
                                                  const std::string& plan_id);

// The next offer version for an appointment (1 for the first offer).
absl::StatusOr<int> NextOfferVersion(storage::Transaction& tx,
                                     const domain::AppointmentKey& appointment);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_COMMIT_H_
