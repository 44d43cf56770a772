// The change feed's event: one state change of an appointment, of its offer or of the slot held
// or rebooked for it, as the booking system and the counter need to see it.
//
// Contract:
//  - `cursor` is assigned by the store in the transaction that makes the change: events are
//    numbered 1, 2, 3, ... in commit order with no gaps, and a reader that has processed cursor N
//    has seen every event up to N. (A reader scoped to some offices sees a subset, in order.)
//  - `event_id` is unique and stable: a consumer that receives an event twice (the feed is
//    at-least-once end to end) drops the second copy by it.
//  - An event carries the appointment's state *after* the change, so the latest event of an
//    appointment is its current state. It carries no personal data (no contact): a sink that
//    needs more asks the API.
#ifndef REBOOK_SERVICES_DOMAIN_CHANGE_EVENT_H_
#define REBOOK_SERVICES_DOMAIN_CHANGE_EVENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/domain/model.h"
#include "services/domain/outreach.h"

namespace rebook::domain {

enum class ChangeKind {
  kAppointmentCreated,  // imported or created
  kAppointmentUpdated,  // booking data changed (not the lifecycle)
  kStatusChanged,       // cancelled by an outage, closed, self-rebooked, unreachable, ...
  kSlotHeld,            // an offer opened: `held_slot` is held for the citizen
  kSlotReleased,        // an offer ended unaccepted (declined, expired, withdrawn): slot free
  kSlotConfirmed,       // an offer was accepted: `rebooked_slot` is set
  kAppointmentErased,   // the appointment was erased (privacy retention)
};

struct ChangeEvent {
  std::int64_t cursor = 0;
  std::string event_id;
  Instant change_time{};
  AppointmentKey appointment;  // original office + id
  std::string outage_id;       // empty if none
  ChangeKind kind = ChangeKind::kStatusChanged;
  AppointmentStatus status = AppointmentStatus::kBooked;  // after the change
  std::string service_id;
  int cases = 1;
  Instant original_start{};
  std::optional<RebookedSlot> rebooked_slot;
  std::optional<ScheduledSlot> held_slot;  // for kSlotReleased: the slot that was released
  std::string slot_time_zone;              // IANA zone of the slot's office, if there is a slot
  int offer_version = 0;                   // 0: no offer concerned
  std::optional<OfferState> offer_state;

  friend bool operator==(const ChangeEvent&, const ChangeEvent&) = default;
};

std::string_view ToString(ChangeKind k);  // "appointment_created", "slot_held", ...
std::optional<ChangeKind> ParseChangeKind(std::string_view s);

}  // namespace rebook::domain

#endif  // REBOOK_SERVICES_DOMAIN_CHANGE_EVENT_H_
