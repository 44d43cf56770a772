// Appointment and outage conversions of convert.h.
#include "absl/strings/str_cat.h"
#include "services/api/convert.h"
#include "services/api/names.h"
#include "services/domain/local_time.h"

namespace rebook::api {
namespace {

// The empty field path of a first try: a name is parsed again with its real path only when it
// fails, so that a valid record formats no path.
const std::string kNoPath;

std::optional<Instant> OptionalTime(bool has, const google::protobuf::Timestamp& t,
                                    absl::FunctionRef<std::string()> field, FieldViolations& v) {
  if (!has) return std::nullopt;
  if (!InTimeRange(t)) v.Add(field(), "must lie between 2000 and 2100", "OUT_OF_RANGE");
  return FromTimestamp(t);
}

}  // namespace

domain::Contact FromProto(const v1::Contact& in) {
  domain::Contact c;
  c.name = in.name();
  c.phone = in.phone();
  c.email = in.email();
  c.postal_address = in.postal_address();
  if (!in.language().empty()) c.language = in.language();
  // Old channel names ("phone_list", "smtp") are read as the current ones; words that are no
  // channel stay as sent, for the appointment rules to refuse.
  c.channel = std::string(domain::CanonicalChannel(in.channel()).value_or(in.channel()));
  return c;
}

void ToProto(const domain::Contact& in, v1::Contact* out) {
  out->Clear();
  out->set_name(in.name);
  out->set_phone(in.phone);
  out->set_email(in.email);
  out->set_postal_address(in.postal_address);
  out->set_language(in.language);
  out->set_channel(in.channel);
}

v1::ConfirmationChannel ToProto(domain::ConfirmationChannel c) {
  switch (c) {
    case domain::ConfirmationChannel::kLink:
      return v1::LINK;
    case domain::ConfirmationChannel::kPhone:
      return v1::PHONE;
    case domain::ConfirmationChannel::kStaff:
      return v1::STAFF;
  }
  return v1::CONFIRMATION_CHANNEL_UNSPECIFIED;
}

void ToProto(const domain::ScheduledSlot& in, const std::string& time_zone,
             v1::AppointmentSlot* out) {
  out->Clear();
  out->set_office(OfficeName(in.office_id));
  out->set_clerk(ClerkName(in.clerk_id));
  ToIntervalProto(in.time, out->mutable_interval());
  out->set_time_zone(time_zone);
}

void ToProto(const domain::RebookedSlot& in, const std::string& time_zone,
             v1::AppointmentSlot* out) {
  ToProto(in.slot, time_zone, out);
  out->set_confirmed_via(ToProto(in.confirmed_via));
  *out->mutable_confirm_time() = ToTimestamp(in.confirm_time);
}

void ToProto(const domain::Appointment& in, ZoneOf zone_of, v1::Appointment* out) {
  const std::string time_zone = zone_of(in.office_id);
  out->Clear();
  out->set_name(AppointmentResourceName(in.office_id, in.id));
  out->set_service_type(ServiceTypeName(in.service_id));
  *out->mutable_original_start_time() = ToTimestamp(in.original_start);
  if (in.earliest_start) *out->mutable_earliest_start_time() = ToTimestamp(*in.earliest_start);
  if (in.deadline) *out->mutable_deadline_time() = ToTimestamp(*in.deadline);
  out->set_priority(in.priority);
  out->set_cases(in.cases);
  for (const std::string& o : in.allowed_offices) out->add_allowed_offices(OfficeName(o));
  for (const domain::TimeInterval& t : in.unavailable) ToIntervalProto(t, out->add_unavailable());
  out->set_kind(ToProto(in.kind));
  ToProto(in.contact, out->mutable_contact());
  out->set_status(ToProto(in.status));
  if (!in.outage_id.empty()) out->set_outage(OutageName(in.outage_id));
  out->set_status_reason(in.status_reason);
  out->set_time_zone(time_zone);
  *out->mutable_create_time() = ToTimestamp(in.create_time);
  *out->mutable_update_time() = ToTimestamp(in.update_time);
  if (in.rebooked_slot) {
    const std::string& office = in.rebooked_slot->slot.office_id;
    ToProto(*in.rebooked_slot, office == in.office_id ? time_zone : zone_of(office),
            out->mutable_rebooked_slot());
  }
  if (in.held_slot) {
    const std::string& office = in.held_slot->office_id;
    ToProto(*in.held_slot, office == in.office_id ? time_zone : zone_of(office),
            out->mutable_held_slot());
  }
}

SlotQuery SlotQueryFromProto(const v1::ListAppointmentsRequest& in, FieldViolations& v) {
  SlotQuery q;
  if (!in.slot_office().empty()) {
    absl::StatusOr<std::string> office = ParseOfficeName(in.slot_office(), "slot_office");
    if (!office.ok()) {
      v.AddFrom(office.status());
    } else if (*office == kAnyOffice) {
      v.Add("slot_office", "a slot lies at one office: name it, not offices/-", "BAD_NAME");
    } else {
      q.office_id = *office;
    }
  }
  if (!in.slot_clerk().empty()) {
    absl::StatusOr<std::string> clerk = ParseClerkName(in.slot_clerk(), "slot_clerk");
    if (clerk.ok()) {
      q.clerk_id = *clerk;
    } else {
      v.AddFrom(clerk.status());
    }
  }
  if (!in.slot_day().empty()) {
    absl::StatusOr<domain::LocalDate> day = domain::ParseLocalDate(in.slot_day());
    if (day.ok()) {
      q.day = *day;
    } else {
      v.Add("slot_day", "must be a date YYYY-MM-DD", "BAD_DATE");
    }
  }
  return q;
}

domain::Appointment FromProto(const v1::Appointment& in, const std::string& field,
                              FieldViolations& v) {
  return FromProto(
      in, [&] { return field; }, v);
}

domain::Appointment FromProto(const v1::Appointment& in, absl::FunctionRef<std::string()> field,
                              FieldViolations& v) {
  auto path = [&](const char* suffix) { return absl::StrCat(field(), suffix); };
  domain::Appointment a;
  absl::StatusOr<AppointmentName> name = ParseAppointmentName(in.name(), kNoPath);
  if (name.ok()) {
    a.office_id = std::move(name->office_id);
    a.id = std::move(name->appointment_id);
  } else {
    v.AddFrom(ParseAppointmentName(in.name(), path(".name")).status());
  }
  absl::StatusOr<std::string> service = ParseServiceTypeName(in.service_type(), kNoPath);
  if (service.ok()) {
    a.service_id = std::move(*service);
  } else {
    v.AddFrom(ParseServiceTypeName(in.service_type(), path(".service_type")).status());
  }
  if (!in.has_original_start_time()) {
    v.Add(path(".original_start_time"), "is required", "REQUIRED");
  } else {
    a.original_start = *OptionalTime(
        true, in.original_start_time(), [&] { return path(".original_start_time"); }, v);
  }
  a.earliest_start = OptionalTime(
      in.has_earliest_start_time(), in.earliest_start_time(),
      [&] { return path(".earliest_start_time"); }, v);
  a.deadline = OptionalTime(
      in.has_deadline_time(), in.deadline_time(), [&] { return path(".deadline_time"); }, v);
  a.priority = in.priority() == 0 ? 1 : in.priority();
  a.cases = in.cases() == 0 ? 1 : in.cases();
  for (int i = 0; i < in.allowed_offices_size(); ++i) {
    absl::StatusOr<std::string> office = ParseOfficeName(in.allowed_offices(i), kNoPath);
    if (office.ok()) {
      a.allowed_offices.push_back(std::move(*office));
    } else {
      v.AddFrom(
          ParseOfficeName(in.allowed_offices(i), absl::StrCat(field(), ".allowed_offices[", i, "]"))
              .status());
    }
  }
  for (int i = 0; i < in.unavailable_size(); ++i) {
    FieldViolations local;
    a.unavailable.push_back(FromIntervalProto(in.unavailable(i), kNoPath, local));
    if (!local.empty()) {
      FromIntervalProto(in.unavailable(i), absl::StrCat(field(), ".unavailable[", i, "]"), v);
    }
  }
  a.kind = in.kind() == v1::WALK_IN ? domain::AppointmentKind::kWalkIn
                                    : domain::AppointmentKind::kAppointment;
  a.contact = FromProto(in.contact());
  return a;
}

void ToProto(const domain::Outage& in, const std::string& time_zone, v1::Outage* out) {
  out->Clear();
  out->set_name(OutageName(in.id));
  for (const std::string& o : in.office_ids) out->add_offices(OfficeName(o));
  ToIntervalProto(in.window, out->mutable_window());
  out->set_cause(in.cause);
  out->set_state(in.state == domain::OutageState::kActive ? v1::Outage::ACTIVE
                                                          : v1::Outage::CLOSED);
  *out->mutable_declare_time() = ToTimestamp(in.declare_time);
  if (in.close_time) *out->mutable_close_time() = ToTimestamp(*in.close_time);
  out->set_close_reason(in.close_reason);
  out->set_cancelled_appointment_count(in.cancelled_appointments);
  out->set_time_zone(time_zone);
}

}  // namespace rebook::api
