#include "services/rebooking/slot_explain_input.h"

#include <algorithm>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/rebooking/fetch_all.h"
#include "services/rebooking/planning.h"

namespace rebook::rebooking {
namespace {

// The held or rebooked slot of every other appointment with one of `clerks` that touches the
// horizon, as a booking; those at an allowed office also as an occupant.
absl::Status AddHeldSlots(storage::Transaction& tx, const domain::Appointment& asked,
                          const std::set<std::string>& clerks, const std::set<std::string>& allowed,
                          SlotExplanationInput& in) {
  domain::Scenario& s = in.scenario;
  const domain::TimeInterval horizon{s.params.horizon_start, s.params.horizon_end};
  for (const std::string& clerk : clerks) {
    storage::AppointmentFilter with_slot;
    with_slot.slot_clerk_id = clerk;
    REBOOK_RETURN_IF_ERROR(tx.ScanAppointments(with_slot, [&](const domain::Appointment& a) {
      if (a.Key() == asked.Key()) return;  // the citizen's own place is not in the way
      const domain::ScheduledSlot* slot = a.rebooked_slot.has_value() ? &a.rebooked_slot->slot
                                          : a.held_slot.has_value()   ? &*a.held_slot
                                                                      : nullptr;
      if (slot == nullptr || slot->clerk_id != clerk || !slot->time.Overlaps(horizon)) return;
      std::string id = absl::StrCat("held.", a.office_id, ".", a.id);
      if (allowed.count(slot->office_id) > 0) {
        in.occupants.emplace(id, Occupant{a.deadline, a.priority});
      }
      s.bookings.push_back({std::move(id), slot->clerk_id, slot->office_id, slot->time});
    }));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SlotExplanationInput> LoadSlotExplanationInput(
    storage::Transaction& tx, const domain::Appointment& appointment,
    const std::optional<domain::ScheduledSlot>& slot, const domain::PlanParams& params) {
  SlotExplanationInput in;
  domain::Scenario& s = in.scenario;
  s.params = params;
  const domain::TimeInterval horizon{params.horizon_start, params.horizon_end};
  const std::vector<std::string> allowed_list = appointment.EffectiveAllowedOffices();
  const std::set<std::string> allowed(allowed_list.begin(), allowed_list.end());
  const std::vector<std::string> offices(allowed.begin(), allowed.end());

  std::set<std::string> office_ids = allowed;
  if (slot.has_value()) office_ids.insert(slot->office_id);
  for (const std::string& id : office_ids) {
    REBOOK_ASSIGN_OR_RETURN(domain::Office office, tx.GetOffice(id));
    s.offices.push_back(std::move(office));
  }
  absl::StatusOr<domain::Service> service = tx.GetService(appointment.service_id);
  if (service.ok()) {
    s.services.push_back(*std::move(service));
  } else if (service.status().code() != absl::StatusCode::kNotFound) {
    return service.status();
  }  // an unknown service: ExplainSlot says so

  storage::ShiftFilter at_offices;
  at_offices.office_ids = offices;
  at_offices.overlapping = horizon;
  REBOOK_RETURN_IF_ERROR(FetchAll<domain::Shift>(
      [&](const storage::PageRequest& p) { return tx.ListShifts(at_offices, p); }, s.shifts));
  REBOOK_ASSIGN_OR_RETURN(s.closures, tx.ListClosures(offices));
  std::set<std::string> clerks;
  for (const domain::Shift& sh : s.shifts) clerks.insert(sh.clerk_id);
  REBOOK_ASSIGN_OR_RETURN(s.clerks, ClerksOf(tx, clerks, offices));
  if (clerks.empty()) return in;  // nobody works there: nothing is busy

  // A clerk is busy wherever they are booked, at an allowed office or elsewhere.
  storage::ShiftFilter of_clerks;
  of_clerks.clerk_ids = std::vector<std::string>(clerks.begin(), clerks.end());
  of_clerks.overlapping = horizon;
  REBOOK_RETURN_IF_ERROR(FetchAll<domain::StandingBooking>(
      [&](const storage::PageRequest& p) { return tx.ListStandingBookings(of_clerks, p); },
      s.bookings));
  REBOOK_RETURN_IF_ERROR(AddHeldSlots(tx, appointment, clerks, allowed, in));
  return in;
}

}  // namespace rebook::rebooking
