#include "services/api/convert_changes.h"

#include "services/api/convert.h"
#include "services/api/convert_offers.h"
#include "services/api/names.h"

namespace rebook::api {

v1::Change::Kind ToProto(domain::ChangeKind k) {
  switch (k) {
    case domain::ChangeKind::kAppointmentCreated:
      return v1::Change::APPOINTMENT_CREATED;
    case domain::ChangeKind::kAppointmentUpdated:
      return v1::Change::APPOINTMENT_UPDATED;
    case domain::ChangeKind::kStatusChanged:
      return v1::Change::STATUS_CHANGED;
    case domain::ChangeKind::kSlotHeld:
      return v1::Change::SLOT_HELD;
    case domain::ChangeKind::kSlotReleased:
      return v1::Change::SLOT_RELEASED;
    case domain::ChangeKind::kSlotConfirmed:
      return v1::Change::SLOT_CONFIRMED;
    case domain::ChangeKind::kAppointmentErased:
      return v1::Change::APPOINTMENT_ERASED;
  }
  return v1::Change::KIND_UNSPECIFIED;
}

void ToProto(const domain::ChangeEvent& in, v1::Change* out) {
  out->Clear();
  out->set_cursor(in.cursor);
  out->set_event_id(in.event_id);
  *out->mutable_change_time() = ToTimestamp(in.change_time);
  out->set_appointment(AppointmentResourceName(in.appointment.office_id, in.appointment.id));
  if (!in.outage_id.empty()) out->set_outage(OutageName(in.outage_id));
  out->set_kind(ToProto(in.kind));
  out->set_status(ToProto(in.status));
  out->set_service_type(ServiceTypeName(in.service_id));
  out->set_cases(in.cases);
  *out->mutable_original_start_time() = ToTimestamp(in.original_start);
  if (in.rebooked_slot) ToProto(*in.rebooked_slot, in.slot_time_zone, out->mutable_rebooked_slot());
  if (in.held_slot) ToProto(*in.held_slot, in.slot_time_zone, out->mutable_held_slot());
  if (in.offer_version > 0) {
    out->set_offer(
        OfferResourceName(in.appointment.office_id, in.appointment.id, in.offer_version));
    if (in.offer_state) out->set_offer_state(ToProto(*in.offer_state));
  }
}

}  // namespace rebook::api
