// Conversions between API v1 messages and domain types: the one place where proto meets domain.
// Part of the client-safe library rebook::api_client (with convert_offers.h,
// convert_notifications.h, convert_plans.h, names.h, status_conversion.h and token_digest.h):
// no server, auth, storage or services/rebooking, so clients convert with it too. The
// conversions of rebooking's use-case types are the server's (convert_rebooking.h).
//
// `To*Proto` functions overwrite the whole output message. `From*Proto` functions read a
// request's message, add a field violation (under `field`, e.g. "appointments[3]") for every
// value they cannot convert, and return what they could; callers check `violations` before
// using the result. Output-only fields of input messages are ignored.
#ifndef REBOOK_SERVICES_API_CONVERT_H_
#define REBOOK_SERVICES_API_CONVERT_H_

#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "google/protobuf/timestamp.pb.h"
#include "rebook/v1/appointments.pb.h"
#include "rebook/v1/capacity.pb.h"
#include "rebook/v1/common.pb.h"
#include "rebook/v1/outages.pb.h"
#include "services/common/field_violations.h"
#include "services/domain/model.h"

namespace rebook::api {

namespace v1 = ::rebook::v1;

// Time. Sub-second parts are dropped: the domain counts whole seconds.
google::protobuf::Timestamp ToTimestamp(Instant t);
Instant FromTimestamp(const google::protobuf::Timestamp& t);
// Whether `t` lies in [2000, 2100) with nanos in [0, 1e9): what FromIntervalProto accepts.
bool InTimeRange(const google::protobuf::Timestamp& t);
void ToIntervalProto(const domain::TimeInterval& in, v1::TimeInterval* out);
// Both ends are required.
domain::TimeInterval FromIntervalProto(const v1::TimeInterval& in, const std::string& field,
                                       FieldViolations& v);
void ToDateProto(const domain::LocalDate& in, v1::Date* out);
domain::LocalDate FromDateProto(const v1::Date& in, const std::string& field, FieldViolations& v);

// Enums.
v1::ServiceCategory ToProto(domain::ServiceCategory c);
domain::ServiceCategory FromProto(v1::ServiceCategory c);
v1::AppointmentStatus ToProto(domain::AppointmentStatus s);
// UNSPECIFIED maps to nullopt.
std::optional<domain::AppointmentStatus> FromProto(v1::AppointmentStatus s);
v1::AppointmentKind ToProto(domain::AppointmentKind k);
v1::ShiftKind ToProto(domain::ShiftKind k);

// Capacity.
void ToProto(const domain::Office& in, v1::Office* out);
domain::Office FromProto(const v1::Office& in, const std::string& office_id,
                         const std::string& field, FieldViolations& v);
void ToProto(const domain::Service& in, v1::ServiceType* out);
domain::Service FromProto(const v1::ServiceType& in, const std::string& service_id,
                          const std::string& field, FieldViolations& v);
void ToProto(const domain::Clerk& in, v1::Clerk* out);
domain::Clerk FromProto(const v1::Clerk& in, const std::string& clerk_id, const std::string& field,
                        FieldViolations& v);
void ToProto(const domain::Shift& in, const std::string& time_zone, v1::Shift* out);
domain::Shift FromProto(const v1::Shift& in, const std::string& office_id,
                        const std::string& shift_id, const std::string& field, FieldViolations& v);
void ToProto(const domain::Closure& in, v1::Closure* out);
domain::Closure FromProto(const v1::Closure& in, const std::string& office_id,
                          const std::string& field, FieldViolations& v);
void ToProto(const domain::StandingBooking& in, const std::string& time_zone,
             v1::StandingBooking* out);
domain::StandingBooking FromProto(const v1::StandingBooking& in, const std::string& office_id,
                                  const std::string& booking_id, const std::string& field,
                                  FieldViolations& v);

// An office's IANA time zone, by office id.
using ZoneOf = absl::FunctionRef<std::string(const std::string& office_id)>;

// Appointments. The office and id come from `in.name`. `zone_of` gives the zone of the
// appointment's office (its `time_zone`) and of the offices of its rebooked and held slots.
void ToProto(const domain::Appointment& in, ZoneOf zone_of, v1::Appointment* out);
// A slot's office, clerk, interval and zone; for a rebooked slot also how and when it was
// confirmed.
void ToProto(const domain::ScheduledSlot& in, const std::string& time_zone,
             v1::AppointmentSlot* out);
void ToProto(const domain::RebookedSlot& in, const std::string& time_zone,
             v1::AppointmentSlot* out);
v1::ConfirmationChannel ToProto(domain::ConfirmationChannel c);
domain::Appointment FromProto(const v1::Appointment& in, const std::string& field,
                              FieldViolations& v);
// The same with the record's path built by `field` only for a violation (a bulk import
// converts 100,000 records, nearly all valid, and formatted ~6 paths for each).
domain::Appointment FromProto(const v1::Appointment& in, absl::FunctionRef<std::string()> field,
                              FieldViolations& v);
domain::Contact FromProto(const v1::Contact& in);

// The slot filters of ListAppointmentsRequest: `slot_office` (offices/{office}), `slot_day`
// (YYYY-MM-DD, the slot's local day) and `slot_clerk` (clerks/{clerk}); unset when empty.
// Violations under those field names.
struct SlotQuery {
  std::optional<std::string> office_id;
  std::optional<std::string> clerk_id;
  std::optional<domain::LocalDate> day;
  bool empty() const { return !office_id && !clerk_id && !day; }
};
SlotQuery SlotQueryFromProto(const v1::ListAppointmentsRequest& in, FieldViolations& v);
void ToProto(const domain::Contact& in, v1::Contact* out);

// Outages.
void ToProto(const domain::Outage& in, const std::string& time_zone, v1::Outage* out);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CONVERT_H_
