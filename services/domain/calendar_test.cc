#include "services/domain/calendar.h"

#include <string>

#include "gtest/gtest.h"
#include "services/domain/local_time.h"

namespace rebook::domain {
namespace {

constexpr char kBerlin[] = "Europe/Berlin";

Instant L(std::string_view local) { return *LocalToInstant(kBerlin, *ParseLocalDateTime(local)); }

Shift MakeShift(std::string id, std::string clerk, std::string office, std::string_view from,
                std::string_view to, ShiftKind kind = ShiftKind::kRegular) {
  return Shift{std::move(id), std::move(clerk), std::move(office), {L(from), L(to)}, kind};
}

Scenario BaseScenario() {
  Scenario s;
  s.offices = {{"halle", "Halle", "DE-ST", kBerlin, ""},
               {"berlin", "Berlin", "DE-BE", kBerlin, ""}};
  s.clerks = {{"anna", "Anna", {"kfz"}, ""}, {"ben", "Ben", {"kfz"}, ""}};
  return s;
}

TEST(ShiftCalendarTest, HolidaysOfTheOfficesStateAndClosures) {
  Scenario s = BaseScenario();
  // 6 Jan is a holiday in Sachsen-Anhalt but not in Berlin.
  s.shifts = {MakeShift("a1", "anna", "halle", "2026-01-06T08:00", "2026-01-06T12:00"),
              MakeShift("b1", "ben", "berlin", "2026-01-06T08:00", "2026-01-06T12:00"),
              MakeShift("a2", "anna", "halle", "2026-01-07T08:00", "2026-01-07T12:00")};
  s.closures = {{"halle", *ParseLocalDate("2026-01-07"), "move"}};
  absl::StatusOr<ShiftCalendar> cal = ShiftCalendar::Build(s);
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_FALSE(cal->shift(0).usable);
  EXPECT_TRUE(cal->shift(1).usable);
  EXPECT_FALSE(cal->shift(2).usable);
  EXPECT_TRUE(cal->IsClosed(0, *ParseLocalDate("2026-01-07")));
  EXPECT_FALSE(cal->IsClosed(1, *ParseLocalDate("2026-01-07")));
  ASSERT_EQ(cal->office_days().size(), 1u);
  EXPECT_EQ(cal->office_days()[0].regular_seconds, 4 * 3600);
}

TEST(ShiftCalendarTest, ShiftDayIsTheLocalStartDateAcrossDst) {
  Scenario s = BaseScenario();
  // A night shift starting 23:30 local on the day DST begins (29 Mar 2026) belongs to the 29th,
  // although it starts on the 29th UTC at 21:30 and ends on the 30th.
  s.shifts = {MakeShift("n", "anna", "berlin", "2026-03-29T23:30", "2026-03-30T03:30"),
              MakeShift("m", "ben", "berlin", "2026-03-29T00:30", "2026-03-29T04:00")};
  absl::StatusOr<ShiftCalendar> cal = ShiftCalendar::Build(s);
  ASSERT_TRUE(cal.ok());
  EXPECT_EQ(FormatLocalDate(cal->shift(0).day), "2026-03-29");
  EXPECT_EQ(FormatLocalDate(cal->shift(1).day), "2026-03-29");
  // 00:30 to 04:00 local on the DST day is 2.5 real hours.
  EXPECT_EQ(cal->office_days()[cal->shift(1).office_day].regular_seconds,
            4 * 3600 + (2 * 3600 + 1800));
  EXPECT_EQ(cal->shift(0).office_day, cal->shift(1).office_day);
}

TEST(ShiftCalendarTest, FreeTimeAndFreeRegularMinutes) {
  Scenario s = BaseScenario();
  s.shifts = {MakeShift("r", "anna", "halle", "2026-01-28T08:00", "2026-01-28T12:00"),
              MakeShift("o", "anna", "halle", "2026-01-28T13:00", "2026-01-28T15:00",
                        ShiftKind::kOvertime)};
  s.bookings = {{"b1", "anna", "", {L("2026-01-28T09:00"), L("2026-01-28T09:30")}},
                {"b2", "anna", "", {L("2026-01-28T09:15"), L("2026-01-28T10:00")}},  // overlaps b1
                {"b3", "anna", "", {L("2026-01-28T13:00"), L("2026-01-28T13:30")}},
                {"b4", "ben", "", {L("2026-01-28T08:00"), L("2026-01-28T12:00")}}};
  absl::StatusOr<ShiftCalendar> cal = ShiftCalendar::Build(s);
  ASSERT_TRUE(cal.ok());
  const auto& free = cal->shift(0).free;
  ASSERT_EQ(free.size(), 2u);
  EXPECT_EQ(free[0], (TimeInterval{L("2026-01-28T08:00"), L("2026-01-28T09:00")}));
  EXPECT_EQ(free[1], (TimeInterval{L("2026-01-28T10:00"), L("2026-01-28T12:00")}));
  ASSERT_EQ(cal->shift(1).free.size(), 1u);
  EXPECT_EQ(cal->shift(1).free[0].start, L("2026-01-28T13:30"));
  const auto& od = cal->office_days()[cal->shift(0).office_day];
  EXPECT_EQ(od.regular_seconds, 4 * 3600);
  EXPECT_EQ(od.FreeRegularSeconds(), 3 * 3600);  // overtime is neither counted nor reserved
  EXPECT_EQ(cal->ShiftsOfClerk("anna").size(), 2u);
  EXPECT_TRUE(cal->ShiftsOfClerk("nobody").empty());
}

TEST(ShiftCalendarTest, RejectsUnknownOfficeAndState) {
  Scenario s = BaseScenario();
  s.shifts = {MakeShift("x", "anna", "nowhere", "2026-01-28T08:00", "2026-01-28T12:00")};
  EXPECT_FALSE(ShiftCalendar::Build(s).ok());
  s = BaseScenario();
  s.offices[0].state = "DE-XX";
  EXPECT_FALSE(ShiftCalendar::Build(s).ok());
}

TEST(AssignBookingOfficesTest, OfficeOfTheShiftTheBookingLiesIn) {
  Scenario s = BaseScenario();
  s.shifts = {MakeShift("a", "anna", "halle", "2026-01-28T08:00", "2026-01-28T12:00"),
              MakeShift("b", "anna", "berlin", "2026-01-29T08:00", "2026-01-29T12:00")};
  s.bookings = {{"in_b", "anna", "", {L("2026-01-29T09:00"), L("2026-01-29T09:30")}},
                {"tail", "anna", "", {L("2026-01-28T07:30"), L("2026-01-28T09:30")}},
                {"none", "anna", "", {L("2026-01-30T09:00"), L("2026-01-30T09:30")}}};
  AssignBookingOffices(s);
  EXPECT_EQ(s.bookings[0].office_id, "berlin");
  EXPECT_EQ(s.bookings[1].office_id, "halle");
  EXPECT_EQ(s.bookings[2].office_id, "");
}

}  // namespace
}  // namespace rebook::domain
