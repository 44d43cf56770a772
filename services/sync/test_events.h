// Change events for the sink tests: a realistic mix of kinds, slots and offers.
#ifndef REBOOK_SERVICES_SYNC_TEST_EVENTS_H_
#define REBOOK_SERVICES_SYNC_TEST_EVENTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/domain/change_event.h"

namespace rebook::sync {

// Events with cursors first, first+1, ...: created, held (offer open), confirmed, repeating.
// Slots in Europe/Berlin on 2026-03-02 (UTC+1) from 08:00 UTC.
inline std::vector<domain::ChangeEvent> TestEvents(std::int64_t first, int count) {
  std::vector<domain::ChangeEvent> events;
  for (int i = 0; i < count; ++i) {
    domain::ChangeEvent e;
    e.cursor = first + i;
    e.event_id = absl::StrCat("ev-", first + i);
    e.change_time = Instant(std::chrono::seconds(1772438400 + i));  // 2026-03-02T08:00:00Z
    e.appointment = {"halle-mitte", absl::StrCat("apt-", i / 3)};
    e.outage_id = "halle-2026-03-02";
    e.service_id = "Personalausweis, \"neu\"";  // needs CSV quoting
    e.cases = 1 + i % 2;
    e.original_start = Instant(std::chrono::seconds(1772438400));
    const domain::ScheduledSlot slot{
        "halle-neustadt",
        "müller",  // UTF-8
        {Instant(std::chrono::seconds(1772445600)), Instant(std::chrono::seconds(1772446800))}};
    switch (i % 3) {
      case 0:
        e.kind = domain::ChangeKind::kAppointmentCreated;
        e.status = domain::AppointmentStatus::kBooked;
        break;
      case 1:
        e.kind = domain::ChangeKind::kSlotHeld;
        e.status = domain::AppointmentStatus::kOffered;
        e.held_slot = slot;
        e.slot_time_zone = "Europe/Berlin";
        e.offer_version = 1;
        e.offer_state = domain::OfferState::kOpen;
        break;
      default:
        e.kind = domain::ChangeKind::kSlotConfirmed;
        e.status = domain::AppointmentStatus::kConfirmed;
        e.rebooked_slot = domain::RebookedSlot{slot, domain::ConfirmationChannel::kPhone,
                                               Instant(std::chrono::seconds(1772439000))};
        e.slot_time_zone = "Europe/Berlin";
        e.offer_version = 1;
        e.offer_state = domain::OfferState::kAccepted;
    }
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace rebook::sync

#endif  // REBOOK_SERVICES_SYNC_TEST_EVENTS_H_
