// Capacity conversions of convert.h.
#include "absl/strings/str_cat.h"
#include "services/api/convert.h"
#include "services/api/names.h"
#include "services/domain/local_time.h"

namespace rebook::api {
namespace {

// Parses a reference to another resource; adds a violation and returns "" when malformed.
template <typename Parse>
std::string Ref(const std::string& name, const std::string& field, FieldViolations& v,
                Parse parse) {
  absl::StatusOr<std::string> id = parse(name, field);
  if (id.ok()) return *id;
  v.AddFrom(id.status());
  return "";
}

}  // namespace

void ToProto(const domain::Office& in, v1::Office* out) {
  out->Clear();
  out->set_name(OfficeName(in.id));
  out->set_display_name(in.name);
  out->set_state(in.state);
  out->set_time_zone(in.time_zone);
  out->set_address(in.address);
  out->mutable_offer_ttl()->set_seconds(in.offer_ttl.count());
}

domain::Office FromProto(const v1::Office& in, const std::string& office_id,
                         const std::string& /*field*/, FieldViolations& /*v*/) {
  domain::Office o;
  o.id = office_id;
  o.name = in.display_name();
  o.state = in.state();
  if (!in.time_zone().empty()) o.time_zone = in.time_zone();
  o.address = in.address();
  if (in.has_offer_ttl()) o.offer_ttl = std::chrono::seconds(in.offer_ttl().seconds());
  return o;
}

void ToProto(const domain::Service& in, v1::ServiceType* out) {
  out->Clear();
  out->set_name(ServiceTypeName(in.id));
  out->set_display_name(in.name);
  out->set_category(ToProto(in.category));
  out->set_duration_minutes(in.duration_min);
}

domain::Service FromProto(const v1::ServiceType& in, const std::string& service_id,
                          const std::string& field, FieldViolations& v) {
  domain::Service s;
  s.id = service_id;
  s.name = in.display_name();
  if (in.category() == v1::SERVICE_CATEGORY_UNSPECIFIED) {
    v.Add(field + ".category", "is required", "REQUIRED");
  }
  s.category = FromProto(in.category());
  s.duration_min = in.duration_minutes();
  return s;
}

void ToProto(const domain::Clerk& in, v1::Clerk* out) {
  out->Clear();
  out->set_name(ClerkName(in.id));
  out->set_display_name(in.name);
  for (const std::string& skill : in.skills) out->add_skills(ServiceTypeName(skill));
  if (!in.home_office_id.empty()) out->set_home_office(OfficeName(in.home_office_id));
}

domain::Clerk FromProto(const v1::Clerk& in, const std::string& clerk_id, const std::string& field,
                        FieldViolations& v) {
  domain::Clerk c;
  c.id = clerk_id;
  c.name = in.display_name();
  for (int i = 0; i < in.skills_size(); ++i) {
    c.skills.push_back(
        Ref(in.skills(i), absl::StrCat(field, ".skills[", i, "]"), v, ParseServiceTypeName));
  }
  if (!in.home_office().empty()) {
    c.home_office_id =
        Ref(in.home_office(), field + ".home_office", v,
            [](const std::string& n, const std::string& f) { return ParseOfficeName(n, f); });
  }
  return c;
}

void ToProto(const domain::Shift& in, const std::string& time_zone, v1::Shift* out) {
  out->Clear();
  out->set_name(OfficeChildResourceName(in.office_id, "shifts", in.id));
  out->set_clerk(ClerkName(in.clerk_id));
  ToIntervalProto(in.time, out->mutable_interval());
  out->set_kind(ToProto(in.kind));
  out->set_time_zone(time_zone);
}

domain::Shift FromProto(const v1::Shift& in, const std::string& office_id,
                        const std::string& shift_id, const std::string& field, FieldViolations& v) {
  domain::Shift s;
  s.id = shift_id;
  s.office_id = office_id;
  s.clerk_id = Ref(in.clerk(), field + ".clerk", v, ParseClerkName);
  s.time = FromIntervalProto(in.interval(), field + ".interval", v);
  s.kind = in.kind() == v1::OVERTIME ? domain::ShiftKind::kOvertime : domain::ShiftKind::kRegular;
  return s;
}

void ToProto(const domain::Closure& in, v1::Closure* out) {
  out->Clear();
  out->set_name(
      OfficeChildResourceName(in.office_id, "closures", domain::FormatLocalDate(in.date)));
  ToDateProto(in.date, out->mutable_date());
  out->set_reason(in.reason);
}

domain::Closure FromProto(const v1::Closure& in, const std::string& office_id,
                          const std::string& field, FieldViolations& v) {
  domain::Closure c;
  c.office_id = office_id;
  if (!in.has_date()) {
    v.Add(field + ".date", "is required", "REQUIRED");
  } else {
    c.date = FromDateProto(in.date(), field + ".date", v);
  }
  c.reason = in.reason();
  return c;
}

void ToProto(const domain::StandingBooking& in, const std::string& time_zone,
             v1::StandingBooking* out) {
  out->Clear();
  out->set_name(OfficeChildResourceName(in.office_id, "standingBookings", in.id));
  out->set_clerk(ClerkName(in.clerk_id));
  ToIntervalProto(in.time, out->mutable_interval());
  out->set_time_zone(time_zone);
}

domain::StandingBooking FromProto(const v1::StandingBooking& in, const std::string& office_id,
                                  const std::string& booking_id, const std::string& field,
                                  FieldViolations& v) {
  domain::StandingBooking b;
  b.id = booking_id;
  b.office_id = office_id;
  b.clerk_id = Ref(in.clerk(), field + ".clerk", v, ParseClerkName);
  b.time = FromIntervalProto(in.interval(), field + ".interval", v);
  return b;
}

}  // namespace rebook::api
