// The conversions of convert.h: time, dates, enums, capacity, appointments and contacts.
#include "services/api/convert.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/local_time.h"

namespace rebook::api {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

std::vector<std::string> Fields(const FieldViolations& v) {
  std::vector<std::string> out;
  for (const FieldViolation& f : v.violations()) out.push_back(f.field);
  return out;
}

Instant Berlin(const char* local) {
  return *domain::LocalToInstant("Europe/Berlin", *domain::ParseLocalDateTime(local));
}

TEST(ConvertCommonTest, TimestampsAreUtcSecondsAndDropSubSeconds) {
  // 09:30 in Berlin in winter is 08:30 UTC; in summer 07:30 UTC.
  EXPECT_EQ(ToTimestamp(Berlin("2026-01-29T09:30")).seconds(), 1769675400);
  EXPECT_EQ(ToTimestamp(Berlin("2026-07-29T09:30")).seconds(), 1785310200);
  google::protobuf::Timestamp t;
  t.set_seconds(1769675400);
  t.set_nanos(999999999);
  EXPECT_EQ(FromTimestamp(t), Berlin("2026-01-29T09:30"));
  EXPECT_EQ(FromTimestamp(ToTimestamp(Berlin("2026-03-29T03:00"))), Berlin("2026-03-29T03:00"));
}

TEST(ConvertCommonTest, IntervalsNeedBothEndsWithinTheCentury) {
  const domain::TimeInterval in{Berlin("2026-01-29T09:30"), Berlin("2026-01-29T09:45")};
  v1::TimeInterval proto;
  ToIntervalProto(in, &proto);
  FieldViolations v;
  EXPECT_EQ(FromIntervalProto(proto, "slot", v), in);
  EXPECT_TRUE(v.empty());

  v1::TimeInterval open_end;
  *open_end.mutable_start_time() = proto.start_time();
  open_end.mutable_end_time();  // set but zero: 1970
  domain::TimeInterval ignored = FromIntervalProto(open_end, "x.window", v);
  (void)ignored;
  v1::TimeInterval no_start;
  *no_start.mutable_end_time() = proto.end_time();
  ignored = FromIntervalProto(no_start, "y", v);
  EXPECT_THAT(v.violations(), ElementsAre(Field(&FieldViolation::reason, "OUT_OF_RANGE"),
                                          Field(&FieldViolation::reason, "REQUIRED")));
  EXPECT_THAT(Fields(v), ElementsAre("x.window.end_time", "y.start_time"));
}

TEST(ConvertCommonTest, DatesAreCheckedForTheCalendar) {
  v1::Date d;
  ToDateProto(domain::LocalDate{date::year(2028), date::month(2), date::day(29)}, &d);
  EXPECT_EQ(d.year(), 2028);
  EXPECT_EQ(d.month(), 2);
  EXPECT_EQ(d.day(), 29);
  FieldViolations v;
  EXPECT_EQ(FromDateProto(d, "date", v),
            (domain::LocalDate{date::year(2028), date::month(2), date::day(29)}));
  EXPECT_TRUE(v.empty());
  d.set_year(2027);  // no 29 February
  (void)FromDateProto(d, "closures[1].date", v);
  d.set_year(1999);
  d.set_day(1);
  (void)FromDateProto(d, "closures[2].date", v);
  EXPECT_THAT(Fields(v), ElementsAre("closures[1].date", "closures[2].date"));
}

TEST(ConvertCommonTest, EnumsRoundTripAndUnspecifiedIsNone) {
  for (auto c :
       {domain::ServiceCategory::kVehicleRegistration, domain::ServiceCategory::kRegistryOffice,
        domain::ServiceCategory::kImmigration, domain::ServiceCategory::kCitizenship,
        domain::ServiceCategory::kResidents, domain::ServiceCategory::kOther}) {
    EXPECT_EQ(FromProto(ToProto(c)), c);
  }
  for (auto s : {domain::AppointmentStatus::kBooked, domain::AppointmentStatus::kCancelled,
                 domain::AppointmentStatus::kOffered, domain::AppointmentStatus::kConfirmed,
                 domain::AppointmentStatus::kDeclined, domain::AppointmentStatus::kSelfRebooked,
                 domain::AppointmentStatus::kUnreachable, domain::AppointmentStatus::kClosed}) {
    EXPECT_EQ(FromProto(ToProto(s)), s);
  }
  EXPECT_EQ(FromProto(v1::APPOINTMENT_STATUS_UNSPECIFIED), std::nullopt);
  EXPECT_EQ(FromProto(v1::SERVICE_CATEGORY_UNSPECIFIED), domain::ServiceCategory::kOther);
  EXPECT_EQ(ToProto(domain::AppointmentKind::kWalkIn), v1::WALK_IN);
  EXPECT_EQ(ToProto(domain::ShiftKind::kOvertime), v1::OVERTIME);
}

TEST(ConvertCommonTest, ShiftsCarryTheirOfficesZoneAndNameTheirClerk) {
  const domain::Shift shift{.id = "s1",
                            .clerk_id = "anna",
                            .office_id = "HAL",
                            .time = {Berlin("2026-01-28T08:00"), Berlin("2026-01-28T12:00")},
                            .kind = domain::ShiftKind::kOvertime};
  v1::Shift proto;
  ToProto(shift, "Europe/Berlin", &proto);
  EXPECT_EQ(proto.name(), "offices/HAL/shifts/s1");
  EXPECT_EQ(proto.clerk(), "clerks/anna");
  EXPECT_EQ(proto.time_zone(), "Europe/Berlin");
  EXPECT_EQ(proto.interval().start_time().seconds(), 1769583600);  // 07:00 UTC
  FieldViolations v;
  EXPECT_EQ(FromProto(proto, "HAL", "s1", "shifts[0]", v), shift);
  EXPECT_TRUE(v.empty());
  proto.set_clerk("staff/anna");
  (void)FromProto(proto, "HAL", "s1", "shifts[0]", v);
  EXPECT_THAT(Fields(v), ElementsAre("shifts[0].clerk"));
}

domain::Appointment Sample() {
  domain::Appointment a;
  a.id = "A-1";
  a.office_id = "HAL";
  a.service_id = "kfz";
  a.original_start = Berlin("2026-01-27T12:00");
  a.deadline = Berlin("2026-02-05T16:00");
  a.priority = 3;
  a.cases = 2;
  a.allowed_offices = {"HAL", "HAL-NEU"};
  a.unavailable = {{Berlin("2026-01-28T08:00"), Berlin("2026-01-28T09:00")}};
  a.kind = domain::AppointmentKind::kWalkIn;
  a.contact = {.name = "Ömer Y.",
               .phone = "0345 1234567",
               .email = "oemer@example.org",
               .postal_address = "Marktplatz 1\n06108 Halle",
               .language = "tr",
               .channel = "phone"};
  return a;
}

TEST(ConvertAppointmentsTest, BookingDataRoundTripsWithTheOfficesZone) {
  const domain::Appointment a = Sample();
  v1::Appointment proto;
  ToProto(
      a, [](const std::string&) { return std::string("Europe/Berlin"); }, &proto);
  EXPECT_FALSE(proto.has_rebooked_slot());
  EXPECT_FALSE(proto.has_held_slot());
  EXPECT_EQ(proto.name(), "offices/HAL/appointments/A-1");
  EXPECT_EQ(proto.service_type(), "serviceTypes/kfz");
  EXPECT_EQ(proto.time_zone(), "Europe/Berlin");
  EXPECT_EQ(proto.original_start_time().seconds(), 1769511600);  // 11:00 UTC
  EXPECT_FALSE(proto.has_earliest_start_time());
  EXPECT_THAT(proto.allowed_offices(), ElementsAre("offices/HAL", "offices/HAL-NEU"));
  EXPECT_EQ(proto.kind(), v1::WALK_IN);
  EXPECT_EQ(proto.contact().channel(), "phone");
  FieldViolations v;
  const domain::Appointment back = FromProto(proto, "appointment", v);
  EXPECT_TRUE(v.empty()) << v.ToStatus("");
  EXPECT_TRUE(back.SameBookingData(a));
}

TEST(ConvertAppointmentsTest, SlotsCarryTheirOfficesZoneAndHowTheyWereConfirmed) {
  domain::Appointment a = Sample();
  a.status = domain::AppointmentStatus::kConfirmed;
  a.rebooked_slot = domain::RebookedSlot{
      {"LIS", "anna", {Berlin("2026-02-02T09:00"), Berlin("2026-02-02T09:20")}},
      domain::ConfirmationChannel::kPhone,
      Berlin("2026-01-28T10:15")};
  auto zones = [](const std::string& office) {
    return std::string(office == "LIS" ? "Europe/Lisbon" : "Europe/Berlin");
  };
  v1::Appointment proto;
  ToProto(a, zones, &proto);
  EXPECT_EQ(proto.time_zone(), "Europe/Berlin");
  ASSERT_TRUE(proto.has_rebooked_slot());
  EXPECT_FALSE(proto.has_held_slot());
  const v1::AppointmentSlot& r = proto.rebooked_slot();
  EXPECT_EQ(r.office(), "offices/LIS");
  EXPECT_EQ(r.clerk(), "clerks/anna");
  EXPECT_EQ(r.time_zone(), "Europe/Lisbon");
  EXPECT_EQ(r.interval().start_time().seconds(), 1770019200);  // 08:00 UTC
  EXPECT_EQ(r.interval().end_time().seconds(), 1770019200 + 20 * 60);
  EXPECT_EQ(r.confirmed_via(), v1::PHONE);
  EXPECT_EQ(r.confirm_time().seconds(), ToTimestamp(Berlin("2026-01-28T10:15")).seconds());

  a.status = domain::AppointmentStatus::kOffered;
  a.held_slot = a.rebooked_slot->slot;
  a.held_slot->office_id = "HAL";
  a.rebooked_slot.reset();
  ToProto(a, zones, &proto);
  EXPECT_FALSE(proto.has_rebooked_slot());
  ASSERT_TRUE(proto.has_held_slot());
  EXPECT_EQ(proto.held_slot().office(), "offices/HAL");
  EXPECT_EQ(proto.held_slot().time_zone(), "Europe/Berlin");
  EXPECT_EQ(proto.held_slot().confirmed_via(), v1::CONFIRMATION_CHANNEL_UNSPECIFIED);
  EXPECT_FALSE(proto.held_slot().has_confirm_time());
  // Output only: slots sent by a client are ignored.
  FieldViolations v;
  EXPECT_FALSE(FromProto(proto, "appointment", v).held_slot.has_value());
  EXPECT_EQ(ToProto(domain::ConfirmationChannel::kLink), v1::LINK);
  EXPECT_EQ(ToProto(domain::ConfirmationChannel::kStaff), v1::STAFF);
}

TEST(ConvertAppointmentsTest, SlotFiltersAreParsedOrNamedAsViolations) {
  v1::ListAppointmentsRequest req;
  FieldViolations none;
  EXPECT_TRUE(SlotQueryFromProto(req, none).empty());
  EXPECT_TRUE(none.empty());

  req.set_slot_office("offices/HAL");
  req.set_slot_day("2026-02-02");
  req.set_slot_clerk("clerks/anna");
  FieldViolations ok;
  const SlotQuery q = SlotQueryFromProto(req, ok);
  EXPECT_TRUE(ok.empty()) << ok.ToStatus("");
  EXPECT_EQ(q.office_id, "HAL");
  EXPECT_EQ(q.clerk_id, "anna");
  ASSERT_TRUE(q.day.has_value());
  EXPECT_EQ(domain::FormatLocalDate(*q.day), "2026-02-02");

  req.set_slot_office("offices/-");  // a slot lies at one office
  req.set_slot_day("2026-02-30");
  req.set_slot_clerk("anna");
  FieldViolations bad;
  (void)SlotQueryFromProto(req, bad);
  EXPECT_THAT(Fields(bad), ElementsAre("slot_office", "slot_clerk", "slot_day"));
  for (const char* day : {"02.02.2026", "2026-2-2", "2026-02-02T09:00"}) {
    req.set_slot_day(day);
    FieldViolations v;
    (void)SlotQueryFromProto(req, v);
    EXPECT_THAT(Fields(v), ::testing::Contains("slot_day")) << day;
  }
}

TEST(ConvertAppointmentsTest, MissingOrBadFieldsAreViolationsUnderTheirPath) {
  v1::Appointment proto;
  ToProto(
      Sample(), [](const std::string&) { return std::string("Europe/Berlin"); }, &proto);
  proto.set_name("offices/HAL/appointment/A-1");
  proto.set_service_type("");
  proto.clear_original_start_time();
  proto.mutable_deadline_time()->set_seconds(4102444800);  // 2100
  proto.set_allowed_offices(1, "HAL-NEU");
  proto.mutable_unavailable(0)->clear_end_time();
  FieldViolations v;
  (void)FromProto(proto, "appointments[3]", v);
  EXPECT_THAT(
      Fields(v),
      ElementsAre("appointments[3].name", "appointments[3].service_type",
                  "appointments[3].original_start_time", "appointments[3].deadline_time",
                  "appointments[3].allowed_offices[1]", "appointments[3].unavailable[0].end_time"));
}

TEST(ConvertAppointmentsTest, TheFieldPathIsBuiltOnlyForAViolation) {
  v1::Appointment proto;
  ToProto(
      Sample(), [](const std::string&) { return std::string("Europe/Berlin"); }, &proto);
  int built = 0;
  auto path = [&] {
    ++built;
    return std::string("appointments[12]");
  };
  FieldViolations v;
  domain::Appointment a = FromProto(proto, path, v);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(built, 0);
  EXPECT_EQ(a.id, Sample().id);
  proto.mutable_earliest_start_time()->set_nanos(-1);
  (void)FromProto(proto, path, v);
  EXPECT_THAT(Fields(v), ElementsAre("appointments[12].earliest_start_time"));
  EXPECT_EQ(built, 1);
}

TEST(ConvertAppointmentsTest, UnsetPriorityAndCasesMeanOne) {
  v1::Appointment proto;
  ToProto(
      Sample(), [](const std::string&) { return std::string("Europe/Berlin"); }, &proto);
  proto.clear_priority();
  proto.clear_cases();
  FieldViolations v;
  const domain::Appointment a = FromProto(proto, "a", v);
  EXPECT_EQ(a.priority, 1);
  EXPECT_EQ(a.cases, 1);
}

TEST(ConvertAppointmentsTest, ContactChannelsTakeTheOldNamesAsAliases) {
  v1::Contact c;
  for (const auto& [sent, read] : std::vector<std::pair<std::string, std::string>>{
           {"email", "email"},
           {"phone", "phone"},
           {"phone_list", "phone"},
           {"smtp", "email"},
           {"", ""},
           {"pigeon", "pigeon"}}) {  // left for the appointment rules to refuse
    c.set_channel(sent);
    EXPECT_EQ(FromProto(c).channel, read) << sent;
  }
  c.set_language("");
  EXPECT_EQ(FromProto(c).language, "de");
}

}  // namespace
}  // namespace rebook::api
