#include "services/rebooking/slots.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/field_violations.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"

namespace rebook::rebooking {

using domain::AppointmentStatus;

domain::ScheduledSlot ScheduledSlotOf(const domain::OfferSlot& slot) {
  return {slot.office_id, slot.clerk_id, slot.time};
}

void HoldSlot(domain::Appointment& a, const domain::Offer& offer) {
  a.held_slot = ScheduledSlotOf(offer.HeldSlot());
  a.rebooked_slot.reset();
}

void ConfirmSlot(domain::Appointment& a, const domain::Offer& offer, Instant now) {
  domain::RebookedSlot r;
  r.slot = ScheduledSlotOf(offer.HeldSlot());
  r.confirmed_via = domain::ParseConfirmationChannel(offer.response_channel)
                        .value_or(domain::ConfirmationChannel::kStaff);
  r.confirm_time = now;
  a.rebooked_slot = std::move(r);
  a.held_slot.reset();
}

void ReleaseSlots(domain::Appointment& a) {
  a.held_slot.reset();
  a.rebooked_slot.reset();
}

absl::StatusOr<domain::TimeInterval> SlotDayRange(
    storage::Transaction& tx, const std::optional<std::string>& office_id,
    const std::optional<std::vector<std::string>>& scope, domain::LocalDate day,
    const std::string& day_field) {
  std::string zone;
  if (office_id) {
    REBOOK_ASSIGN_OR_RETURN(domain::Office office, tx.GetOffice(*office_id));
    zone = office.time_zone;
  } else {
    std::set<std::string> zones;
    storage::PageRequest page{.page_size = 1000};
    do {
      REBOOK_ASSIGN_OR_RETURN(storage::Page<domain::Office> offices, tx.ListOffices(page));
      for (const domain::Office& o : offices.items) {
        if (!scope || std::find(scope->begin(), scope->end(), o.id) != scope->end()) {
          zones.insert(o.time_zone);
        }
      }
      page.page_token = offices.next_page_token;
    } while (!page.page_token.empty());
    if (zones.size() > 1) {
      FieldViolations v;
      v.Add(day_field, "the offices lie in more than one time zone: name the slot's office as well",
            "AMBIGUOUS_ZONE");
      return v.ToStatus("invalid slot filter");
    }
    zone = zones.empty() ? std::string("Europe/Berlin") : *zones.begin();
  }
  const date::local_days midnight = date::local_days(day);
  return domain::TimeInterval{
      domain::StartOfLocalDay(zone, day),
      domain::StartOfLocalDay(zone, date::year_month_day(midnight + date::days(1)))};
}

absl::Status CheckSlotsMatchStatus(const domain::Appointment& a) {
  const bool confirmed = a.status == AppointmentStatus::kConfirmed;
  const bool offered = a.status == AppointmentStatus::kOffered;
  if (confirmed != a.rebooked_slot.has_value() || offered != a.held_slot.has_value()) {
    return absl::InternalError(absl::StrCat(
        "appointment ", a.id, " of office ", a.office_id, " is ",
        std::string(domain::ToString(a.status)), " with ", a.rebooked_slot ? "a" : "no",
        " rebooked slot and ", a.held_slot ? "a" : "no", " held slot"));
  }
  return absl::OkStatus();
}

}  // namespace rebook::rebooking
