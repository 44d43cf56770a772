// Time, date and enum conversions of convert.h.
#include <limits>

#include "absl/strings/str_cat.h"
#include "services/api/convert.h"
#include "services/api/names.h"

namespace rebook::api {
namespace {

// Timestamps outside [2000, 2100) are data errors in this domain (often an unset field).
constexpr std::int64_t kMinSeconds = 946684800;   // 2000-01-01
constexpr std::int64_t kMaxSeconds = 4102444800;  // 2100-01-01

}  // namespace

google::protobuf::Timestamp ToTimestamp(Instant t) {
  google::protobuf::Timestamp out;
  out.set_seconds(t.time_since_epoch().count());
  return out;
}

Instant FromTimestamp(const google::protobuf::Timestamp& t) {
  return Instant(std::chrono::seconds(t.seconds()));
}

void ToIntervalProto(const domain::TimeInterval& in, v1::TimeInterval* out) {
  *out->mutable_start_time() = ToTimestamp(in.start);
  *out->mutable_end_time() = ToTimestamp(in.end);
}

bool InTimeRange(const google::protobuf::Timestamp& t) {
  return t.seconds() >= kMinSeconds && t.seconds() < kMaxSeconds && t.nanos() >= 0 &&
         t.nanos() < 1'000'000'000;
}

domain::TimeInterval FromIntervalProto(const v1::TimeInterval& in, const std::string& field,
                                       FieldViolations& v) {
  auto check = [&](bool has, const google::protobuf::Timestamp& t, const char* name) {
    if (!has) {
      v.Add(absl::StrCat(field, ".", name), "is required", "REQUIRED");
    } else if (t.seconds() < kMinSeconds || t.seconds() >= kMaxSeconds) {
      v.Add(absl::StrCat(field, ".", name), "must lie between 2000 and 2100", "OUT_OF_RANGE");
    } else if (t.nanos() < 0 || t.nanos() >= 1'000'000'000) {
      v.Add(absl::StrCat(field, ".", name, ".nanos"), "must be in [0, 999999999]", "OUT_OF_RANGE");
    }
  };
  check(in.has_start_time(), in.start_time(), "start_time");
  check(in.has_end_time(), in.end_time(), "end_time");
  return {FromTimestamp(in.start_time()), FromTimestamp(in.end_time())};
}

void ToDateProto(const domain::LocalDate& in, v1::Date* out) {
  out->set_year(static_cast<int>(in.year()));
  out->set_month(static_cast<int>(static_cast<unsigned>(in.month())));
  out->set_day(static_cast<int>(static_cast<unsigned>(in.day())));
}

domain::LocalDate FromDateProto(const v1::Date& in, const std::string& field, FieldViolations& v) {
  domain::LocalDate d{date::year(in.year()), date::month(static_cast<unsigned>(in.month())),
                      date::day(static_cast<unsigned>(in.day()))};
  if (in.year() < 2000 || in.year() > 2100 || in.month() < 1 || in.month() > 12 || in.day() < 1 ||
      !d.ok()) {
    v.Add(field, "is not a valid date", "BAD_DATE");
  }
  return d;
}

v1::ServiceCategory ToProto(domain::ServiceCategory c) {
  switch (c) {
    case domain::ServiceCategory::kVehicleRegistration:
      return v1::VEHICLE_REGISTRATION;
    case domain::ServiceCategory::kRegistryOffice:
      return v1::REGISTRY_OFFICE;
    case domain::ServiceCategory::kImmigration:
      return v1::IMMIGRATION;
    case domain::ServiceCategory::kCitizenship:
      return v1::CITIZENSHIP;
    case domain::ServiceCategory::kResidents:
      return v1::RESIDENTS;
    case domain::ServiceCategory::kOther:
      return v1::OTHER;
  }
  return v1::OTHER;
}

domain::ServiceCategory FromProto(v1::ServiceCategory c) {
  switch (c) {
    case v1::VEHICLE_REGISTRATION:
      return domain::ServiceCategory::kVehicleRegistration;
    case v1::REGISTRY_OFFICE:
      return domain::ServiceCategory::kRegistryOffice;
    case v1::IMMIGRATION:
      return domain::ServiceCategory::kImmigration;
    case v1::CITIZENSHIP:
      return domain::ServiceCategory::kCitizenship;
    case v1::RESIDENTS:
      return domain::ServiceCategory::kResidents;
    default:
      return domain::ServiceCategory::kOther;
  }
}

v1::AppointmentStatus ToProto(domain::AppointmentStatus s) {
  switch (s) {
    case domain::AppointmentStatus::kBooked:
      return v1::BOOKED;
    case domain::AppointmentStatus::kCancelled:
      return v1::CANCELLED;
    case domain::AppointmentStatus::kOffered:
      return v1::OFFERED;
    case domain::AppointmentStatus::kConfirmed:
      return v1::CONFIRMED;
    case domain::AppointmentStatus::kDeclined:
      return v1::DECLINED;
    case domain::AppointmentStatus::kSelfRebooked:
      return v1::SELF_REBOOKED;
    case domain::AppointmentStatus::kUnreachable:
      return v1::UNREACHABLE;
    case domain::AppointmentStatus::kClosed:
      return v1::CLOSED;
  }
  return v1::APPOINTMENT_STATUS_UNSPECIFIED;
}

std::optional<domain::AppointmentStatus> FromProto(v1::AppointmentStatus s) {
  for (auto d : {domain::AppointmentStatus::kBooked, domain::AppointmentStatus::kCancelled,
                 domain::AppointmentStatus::kOffered, domain::AppointmentStatus::kConfirmed,
                 domain::AppointmentStatus::kDeclined, domain::AppointmentStatus::kSelfRebooked,
                 domain::AppointmentStatus::kUnreachable, domain::AppointmentStatus::kClosed}) {
    if (ToProto(d) == s) return d;
  }
  return std::nullopt;
}

v1::AppointmentKind ToProto(domain::AppointmentKind k) {
  return k == domain::AppointmentKind::kWalkIn ? v1::WALK_IN : v1::BOOKED_APPOINTMENT;
}

v1::ShiftKind ToProto(domain::ShiftKind k) {
  return k == domain::ShiftKind::kOvertime ? v1::OVERTIME : v1::REGULAR;
}

}  // namespace rebook::api
