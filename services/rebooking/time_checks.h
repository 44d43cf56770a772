// Checks of requested times against the server's clock: what lies in the past is refused, and no
// slot closer than the minimum notice is offered.
//
// Every function takes `now` from the caller's Clock (services/common/clock.h), so a simulated
// clock (rebookd --simulated_time) and the tests' FakeClock work like the system clock. Refusals
// are FAILED_PRECONDITION (the request was well-formed; the time has passed) whose message names
// the field and shows it in the office's zone next to the server time, e.g.
//   outage.window.end_time 2026-02-03T10:00+01:00 lies in the past (server time
//   2026-12-05T03:00:00Z)
//
//   REBOOK_RETURN_IF_ERROR(CheckOutageWindow(window, {"Europe/Berlin"}, now));
//   REBOOK_ASSIGN_OR_RETURN(params.horizon_start,
//                           EarliestHorizonStart(params, "Europe/Berlin", now, notice,
//                           "parameters"));
#ifndef REBOOK_SERVICES_REBOOKING_TIME_CHECKS_H_
#define REBOOK_SERVICES_REBOOKING_TIME_CHECKS_H_

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/domain/model.h"
#include "services/rebooking/commit.h"
#include "storage/store.h"

namespace rebook::rebooking {

// Default minimum notice: no slot starts less than this after now (rebookd --min_notice_h).
inline constexpr std::chrono::hours kDefaultMinNotice{12};

// `t` in `tz` with its UTC offset, e.g. "2026-02-03T10:00+01:00".
std::string FormatWithOffset(const std::string& tz, Instant t);

// How long after its end an outage may still be declared: staff declare it while it lasts or
// after it (the morning after, or a Friday outage on Monday). Its start is free: outages of
// several days or weeks (Südwestfalen-IT, 2023) are declared while they go on.
inline constexpr std::chrono::hours kOutageDeclareGrace{96};

// OK unless the window ended more than kOutageDeclareGrace before `now`: FAILED_PRECONDITION
// naming "outage.window.end_time", shown in the first of `time_zones` (its offices' zones).
absl::Status CheckOutageWindow(const domain::TimeInterval& window,
                               const std::vector<std::string>& time_zones, Instant now);

// The first instant a new slot may start: `now + min_notice`, rounded up to a quarter hour so
// that slots keep the grid of the shifts.
Instant EarliestSlotStart(Instant now, std::chrono::seconds min_notice);

// The horizon start a new plan solves with: max(requested start, EarliestSlotStart).
// FAILED_PRECONDITION naming "<prefix>.horizon.start_time" when the requested start lies before
// `now`, or "<prefix>.horizon.end_time" when no slot fits between the earliest start and the
// end. `tz` (the outage's first office) is only for the message.
absl::StatusOr<Instant> EarliestHorizonStart(const domain::PlanParams& params,
                                             const std::string& tz, Instant now,
                                             std::chrono::seconds min_notice,
                                             const std::string& prefix);

// OK unless some of `assignments` (plan `plan_id`'s, as read) have an assigned slot that starts
// before EarliestSlotStart(now, min_notice) (e.g. solved yesterday, committed today):
// FAILED_PRECONDITION giving how many, and the first, and asking for a new plan.
absl::Status CheckSlotsAhead(storage::Transaction& tx, const std::string& plan_id,
                             std::span<const domain::Assignment> assignments, Instant now,
                             std::chrono::seconds min_notice);

// CommitPlan (commit.h) at `ctx.now` with `min_notice` set in its context: a READY plan whose
// slots start too early (CheckSlotsAhead) commits nothing. In the caller's transaction.
absl::StatusOr<CommitResult> CommitPlanOnTime(storage::Transaction& tx,
                                              const std::string& outage_id,
                                              const std::string& plan_id, const CommitContext& ctx,
                                              std::chrono::seconds min_notice);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_TIME_CHECKS_H_
