// Erasing one appointment's personal data (GDPR Art. 17, and the retention of Art. 5(1)(e)).
//
// Erased means: the citizen's name, phone, e-mail, postal address and unavailable times are
// blanked in the appointment; its status reason becomes "personal data erased"; the free text
// of its offers (explanations) and outbox (last errors, explanations, provider ids, event
// reasons) is blanked and its offer tokens are replaced, so old links lead nowhere; stored
// responses of idempotent requests that repeat any of the erased values are deleted; and an
// erasure record says when and why. What statistics need survives: ids, office, service,
// times, deadline, priority, cases, kind, status, language and channel, the offers' slots and
// states, the messages' states, attempts and times.
//
// Runs inside the caller's write transaction and has no effect outside it; it does not read
// the clock. Erased data is gone from the database file only after the store's
// FlushErasures (see privacy_purge.h, which calls it).
#ifndef REBOOK_SERVICES_REBOOKING_PRIVACY_ERASURE_H_
#define REBOOK_SERVICES_REBOOKING_PRIVACY_ERASURE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "services/domain/model.h"
#include "services/rebooking/outbox.h"
#include "storage/store.h"

namespace rebook::rebooking {

// What erased data is replaced with where a field must say something (status reasons, last
// errors of messages).
inline constexpr char kErasedText[] = "personal data erased";
// Erasure reasons, as recorded and exported.
inline constexpr char kErasedByRetention[] = "retention";
inline constexpr char kErasedOnRequest[] = "request";

struct ErasureContext {
  Instant now{};
  IdGenerator* ids = nullptr;
  const OutboxPolicy* outbox = nullptr;
};

// Totals over one or more erasures.
struct ErasureCounts {
  std::int64_t appointments = 0;      // appointments whose data was erased now
  std::int64_t offers = 0;            // offers scrubbed
  std::int64_t messages = 0;          // outbox messages scrubbed (or stopped)
  std::int64_t stored_responses = 0;  // stored idempotent responses deleted
  ErasureCounts& operator+=(const ErasureCounts& o);
};

// Erases the personal data of the appointment `key` for `reason` (kErasedByRetention or
// kErasedOnRequest) and records the erasure. An appointment still waiting for a slot
// (cancelled, offered, declined) is closed first and its held offer withdrawn, without a
// message: nobody can be told any more. Messages not yet sent (pending, failed, leased) become
// DEAD. Idempotent: a second erasure of the same appointment changes nothing and counts
// nothing. NOT_FOUND if the appointment does not exist.
absl::StatusOr<ErasureCounts> EraseAppointmentData(storage::Transaction& tx,
                                                   const domain::AppointmentKey& key,
                                                   const std::string& reason,
                                                   const ErasureContext& ctx);

// True when `office_ids` (nullopt: every office) includes `office_id`: the offices a privacy
// request may see or change.
bool OfficeInScope(const std::optional<std::vector<std::string>>& office_ids,
                   const std::string& office_id);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_PRIVACY_ERASURE_H_
