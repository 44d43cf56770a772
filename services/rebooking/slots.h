// The slot fields of an appointment follow its lifecycle: `held_slot` is the slot its open
// offer holds (set while the status is OFFERED), `rebooked_slot` the slot it is rebooked into
// with how and when that was confirmed (set while CONFIRMED). Every use case that changes a
// status sets them here, and the store writes them with the status in the same transaction.
#ifndef REBOOK_SERVICES_REBOOKING_SLOTS_H_
#define REBOOK_SERVICES_REBOOKING_SLOTS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/domain/model.h"
#include "services/domain/outreach.h"
#include "storage/store.h"

namespace rebook::rebooking {

domain::ScheduledSlot ScheduledSlotOf(const domain::OfferSlot& slot);

// The offer holds its slot (the main one or the accepted alternative) for `a`.
void HoldSlot(domain::Appointment& a, const domain::Offer& offer);

// `a` is rebooked into the slot `offer` holds, confirmed through the offer's response channel
// ("link", "phone", "staff"; anything else counts as staff) at `now`. Clears the held slot.
void ConfirmSlot(domain::Appointment& a, const domain::Offer& offer, Instant now);

// Neither a held nor a rebooked slot: declined, expired, withdrawn, moved, closed, ...
void ReleaseSlots(domain::Appointment& a);

// The instants of the local day `day` at office `office_id`, [its midnight, the next one), for
// a slot filter. Without an office: in the zone every office in `scope` (nullopt: all offices)
// shares; INVALID_ARGUMENT on field `day_field` if they lie in more than one zone.
// NOT_FOUND for an unknown office.
absl::StatusOr<domain::TimeInterval> SlotDayRange(
    storage::Transaction& tx, const std::optional<std::string>& office_id,
    const std::optional<std::vector<std::string>>& scope, domain::LocalDate day,
    const std::string& day_field);

// OK if `a`'s slots match its status: CONFIRMED exactly with a rebooked slot, OFFERED exactly
// with a held slot, never both. INTERNAL naming the appointment otherwise.
absl::Status CheckSlotsMatchStatus(const domain::Appointment& a);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_SLOTS_H_
