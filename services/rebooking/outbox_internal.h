// Helpers shared by the outbox's translation units (outbox.cc, outbox_lease.cc,
// outbox_stats.cc). Not part of the outbox's interface.
#ifndef REBOOK_SERVICES_REBOOKING_OUTBOX_INTERNAL_H_
#define REBOOK_SERVICES_REBOOKING_OUTBOX_INTERNAL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "services/domain/outreach.h"
#include "services/rebooking/outbox.h"
#include "storage/store.h"

namespace rebook::rebooking::outbox_internal {

domain::MessageEvent Event(const domain::OutboxMessage& m, domain::MessageState from,
                           domain::MessageState to, Instant now, std::string reason,
                           std::string worker);

// The idempotency key of `m` without its channel: what all messages about the same offer
// version and kind share, whichever channel they use.
std::string OfferKindPrefix(const std::string& outage_id, const domain::AppointmentKey& appointment,
                            int offer_version, domain::MessageKind kind);

// The messages of the appointment whose key starts with `prefix` (see OfferKindPrefix).
absl::StatusOr<std::vector<domain::OutboxMessage>> MessagesWithPrefix(
    storage::Transaction& tx, const domain::AppointmentKey& appointment, const std::string& prefix);

// Makes `m` DEAD with `reason` and appends the event; does not write `m`.
void MarkDead(domain::OutboxMessage& m, const std::string& reason, Instant now,
              const std::string& worker, std::vector<domain::MessageEvent>& events);

// After `dead` died from delivery failures: queues a PENDING message on the next channel of
// the chain that can reach the citizen and that no message of the same offer version and kind
// used yet. Returns the new message's id, or "" when no channel is left. Writes the new
// message; appends its event to `events`.
absl::StatusOr<std::string> QueueFallback(storage::Transaction& tx, const OutboxPolicy& policy,
                                          const domain::OutboxMessage& dead, Instant now,
                                          IdGenerator& ids,
                                          std::vector<domain::MessageEvent>& events);

}  // namespace rebook::rebooking::outbox_internal

#endif  // REBOOK_SERVICES_REBOOKING_OUTBOX_INTERNAL_H_
