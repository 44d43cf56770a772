#include "services/api/change_from_proto.h"

#include "absl/strings/str_cat.h"
#include "services/api/convert.h"
#include "services/api/convert_offers.h"
#include "services/api/names.h"
#include "services/common/status_macros.h"

namespace rebook::api {
namespace {

std::optional<domain::ChangeKind> KindFromProto(v1::Change::Kind k) {
  switch (k) {
    case v1::Change::APPOINTMENT_CREATED:
      return domain::ChangeKind::kAppointmentCreated;
    case v1::Change::APPOINTMENT_UPDATED:
      return domain::ChangeKind::kAppointmentUpdated;
    case v1::Change::STATUS_CHANGED:
      return domain::ChangeKind::kStatusChanged;
    case v1::Change::SLOT_HELD:
      return domain::ChangeKind::kSlotHeld;
    case v1::Change::SLOT_RELEASED:
      return domain::ChangeKind::kSlotReleased;
    case v1::Change::SLOT_CONFIRMED:
      return domain::ChangeKind::kSlotConfirmed;
    case v1::Change::APPOINTMENT_ERASED:
      return domain::ChangeKind::kAppointmentErased;
    default:
      return std::nullopt;
  }
}

std::optional<domain::ConfirmationChannel> ChannelFromProto(v1::ConfirmationChannel c) {
  switch (c) {
    case v1::LINK:
      return domain::ConfirmationChannel::kLink;
    case v1::PHONE:
      return domain::ConfirmationChannel::kPhone;
    case v1::STAFF:
      return domain::ConfirmationChannel::kStaff;
    default:
      return std::nullopt;
  }
}

absl::StatusOr<domain::ScheduledSlot> SlotFromProto(const v1::AppointmentSlot& in,
                                                    const std::string& field) {
  domain::ScheduledSlot slot;
  REBOOK_ASSIGN_OR_RETURN(slot.office_id, ParseOfficeName(in.office(), field + ".office"));
  REBOOK_ASSIGN_OR_RETURN(slot.clerk_id, ParseClerkName(in.clerk(), field + ".clerk"));
  FieldViolations violations;
  slot.time = FromIntervalProto(in.interval(), field + ".interval", violations);
  if (!violations.empty()) return violations.ToStatus("unreadable change");
  return slot;
}

}  // namespace

absl::StatusOr<domain::ChangeEvent> ChangeFromProto(const v1::Change& in) {
  const std::string at = absl::StrCat("change ", in.cursor(), ": ");
  auto fail = [&](const absl::Status& s) {
    return absl::InvalidArgumentError(absl::StrCat(at, s.message()));
  };
  domain::ChangeEvent e;
  e.cursor = in.cursor();
  e.event_id = in.event_id();
  e.change_time = FromTimestamp(in.change_time());
  absl::StatusOr<AppointmentName> name = ParseAppointmentName(in.appointment(), "appointment");
  if (!name.ok()) return fail(name.status());
  e.appointment = {name->office_id, name->appointment_id};
  if (!in.outage().empty()) {
    absl::StatusOr<std::string> outage = ParseOutageName(in.outage(), "outage");
    if (!outage.ok()) return fail(outage.status());
    e.outage_id = *outage;
  }
  std::optional<domain::ChangeKind> kind = KindFromProto(in.kind());
  if (!kind.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(at, "unknown kind ", in.kind()));
  }
  e.kind = *kind;
  std::optional<domain::AppointmentStatus> status = FromProto(in.status());
  if (!status.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(at, "unknown status ", in.status()));
  }
  e.status = *status;
  if (!in.service_type().empty()) {
    absl::StatusOr<std::string> service = ParseServiceTypeName(in.service_type(), "service_type");
    if (!service.ok()) return fail(service.status());
    e.service_id = *service;
  }
  e.cases = in.cases();
  e.original_start = FromTimestamp(in.original_start_time());
  if (in.has_rebooked_slot()) {
    absl::StatusOr<domain::ScheduledSlot> slot = SlotFromProto(in.rebooked_slot(), "rebooked_slot");
    if (!slot.ok()) return fail(slot.status());
    domain::RebookedSlot rebooked{*slot, domain::ConfirmationChannel::kLink,
                                  FromTimestamp(in.rebooked_slot().confirm_time())};
    rebooked.confirmed_via = ChannelFromProto(in.rebooked_slot().confirmed_via())
                                 .value_or(domain::ConfirmationChannel::kLink);
    e.rebooked_slot = rebooked;
    e.slot_time_zone = in.rebooked_slot().time_zone();
  }
  if (in.has_held_slot()) {
    absl::StatusOr<domain::ScheduledSlot> slot = SlotFromProto(in.held_slot(), "held_slot");
    if (!slot.ok()) return fail(slot.status());
    e.held_slot = *slot;
    if (e.slot_time_zone.empty()) e.slot_time_zone = in.held_slot().time_zone();
  }
  if (!in.offer().empty()) {
    absl::StatusOr<OfferName> offer = ParseOfferName(in.offer(), "offer");
    if (!offer.ok()) return fail(offer.status());
    e.offer_version = offer->version;
  }
  if (in.offer_state() != v1::Offer::STATE_UNSPECIFIED) e.offer_state = FromProto(in.offer_state());
  return e;
}

}  // namespace rebook::api
