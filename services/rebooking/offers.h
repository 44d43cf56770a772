// Offers after commit: citizens' responses, expiry and reminders, and withdrawal.
//
// Every function runs inside the caller's write transaction (reads: any transaction) and has
// no effect outside it. None reads the clock; `now` comes in through the context.
//
//   store.Write(opts, [&](storage::Transaction& tx) -> absl::Status {
//     REBOOK_ASSIGN_OR_RETURN(domain::Offer offer, FindOfferForToken(tx, token));
//     REBOOK_ASSIGN_OR_RETURN(ResponseResult r, RespondToOffer(tx, offer, response, ctx));
//     ...
//   });
//
// State changes (offer / appointment):
//   accept      OPEN -> ACCEPTED / OFFERED -> CONFIRMED; a CONFIRMATION message is queued
//   decline     OPEN -> DECLINED / -> DECLINED (waits for the next offer; slot freed)
//   other time  OPEN -> OTHER_TIME_REQUESTED / -> DECLINED, the citizen's new unavailable
//               times are added to the appointment; with an alternative index it is an accept
//               of that alternative (after it is re-checked against the rules)
//   expiry      OPEN -> EXPIRED / -> CANCELLED (waits again), or UNREACHABLE (see OfferPolicy)
//   withdrawal  OPEN|ACCEPTED -> WITHDRAWN (self-rebooked, or a re-plan had to move it)
// A freed slot is free the moment the transaction commits: free slots are computed from the
// holding (OPEN or ACCEPTED) offers, never stored separately.
#ifndef REBOOK_SERVICES_REBOOKING_OFFERS_H_
#define REBOOK_SERVICES_REBOOKING_OFFERS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/domain/outreach.h"
#include "services/rebooking/commit.h"
#include "storage/store.h"

namespace rebook::rebooking {

// How offers live after commit. Immutable once built; share between threads.
struct OfferPolicy {
  // Alternatives attached to each new offer, cheapest first. Default 3; 0: none.
  int alternatives = 3;
  // A REMINDER is queued once, this long before expiry (but not in the first half of the
  // offer's life, so short-lived offers are not reminded at once). Default 24 h; 0: none.
  std::chrono::seconds reminder_lead{std::chrono::hours(24)};
  // After this many offers expired unanswered, the citizen is UNREACHABLE instead of waiting
  // again (staff take over by phone). Default 2.
  int max_expiries = 2;
  // Most unavailable intervals one "other time" answer may add. Default 20.
  int max_unavailable = 20;
};

enum class ResponseKind { kAccept, kDecline, kOtherTime };

struct OfferResponse {
  ResponseKind kind = ResponseKind::kAccept;
  // Accept (or other time): take alternative i (0-based) instead of the main slot.
  std::optional<int> alternative_index;
  // Other time: times the citizen cannot come.
  std::vector<domain::TimeInterval> unavailable;
  std::string channel = "link";  // "link", "phone" or "staff"
};

struct OfferContext {
  Instant now{};
  IdGenerator* ids = nullptr;
  const OutboxPolicy* outbox = nullptr;
  const OfferPolicy* policy = nullptr;
  // Told how many due offers the expiry batch has checked. Not owned; may be null.
  domain::ProgressSink* progress = nullptr;
};

struct ResponseResult {
  domain::Offer offer;  // as stored afterwards
  domain::Appointment appointment;
  bool repeated = false;  // the same answer was given before; nothing changed now
};

// The offer a response token belongs to. NOT_FOUND ("unknown or mistyped link") otherwise; the
// message never reveals whether a similar token exists.
absl::StatusOr<domain::Offer> FindOfferForToken(storage::Transaction& tx, const std::string& token);

// Applies a citizen's (or staff's) answer to `offer`. Idempotent: the same answer again returns
// the stored result with `repeated` set and changes nothing. FAILED_PRECONDITION (changing
// nothing) when the offer expired (even if ProcessExpiries has not run yet), was withdrawn, was
// already answered differently, or the chosen alternative is gone; INVALID_ARGUMENT for a bad
// alternative index or unavailable interval.
absl::StatusOr<ResponseResult> RespondToOffer(storage::Transaction& tx, const domain::Offer& offer,
                                              const OfferResponse& response,
                                              const OfferContext& ctx);

struct ExpiryResult {
  std::int64_t expired = 0;
  std::int64_t reminders_queued = 0;
  std::int64_t unreachable = 0;  // of the expired, how many became UNREACHABLE
};

// Expires OPEN offers whose expiry (or slot start) has passed: offer EXPIRED, the slot free,
// the appointment CANCELLED (waiting again) or UNREACHABLE when it has had
// `policy.max_expiries` expired offers or every message to the citizen is DEAD. Queues due
// reminders (once per offer). Only offers of `office_ids` (nullopt: all). Idempotent: a second
// run in the same instant changes nothing; two runs at once serialise in the store.
absl::StatusOr<ExpiryResult> ProcessExpiries(
    storage::Transaction& tx, const std::optional<std::vector<std::string>>& office_ids,
    const OfferContext& ctx);

// Withdraws the holding (OPEN or ACCEPTED) offer of an appointment, if any, with `explanation`.
// A CANCELLATION message is queued when the citizen may know the offer: it was accepted, or a
// message about it is SENT, DELIVERED or LEASED (a worker may be sending it right now; a needless
// cancellation is better than a citizen arriving for a slot given away), unless `tell_citizen`
// is false (a re-plan that sends a new offer instead). Returns the withdrawn offer, or nullopt.
absl::StatusOr<std::optional<domain::Offer>> WithdrawHeldOffer(
    storage::Transaction& tx, const domain::Appointment& appointment,
    const std::string& explanation, const CommitContext& ctx, bool tell_citizen = true);

// `de` for German-speaking citizens (language tag "de..."), `en` for everyone else: the two
// languages of the message templates.
std::string InLanguage(const std::string& language, const std::string& de, const std::string& en);

// True if a message about `offer` may have reached the citizen (see WithdrawHeldOffer).
absl::StatusOr<bool> OfferMessageMayHaveReached(storage::Transaction& tx,
                                                const domain::Offer& offer);

// The holding offer of an appointment, if any.
absl::StatusOr<std::optional<domain::Offer>> HeldOfferOf(storage::Transaction& tx,
                                                         const domain::AppointmentKey& appointment);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_OFFERS_H_
