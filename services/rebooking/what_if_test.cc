// Capacity changes of what-if plans on constructed scenarios, and the comparison's words.
#include "services/rebooking/what_if.h"

#include "gtest/gtest.h"
#include "services/common/field_violations.h"
#include "services/domain/local_time.h"

namespace rebook::rebooking {
namespace {

using std::chrono::hours;

Instant Berlin(unsigned day, int hour) {
  return *domain::LocalToInstant("Europe/Berlin",
                                 date::local_days{date::year{2026} / 2 / day} + hours(hour));
}
domain::LocalDate Feb(unsigned day) { return date::year{2026} / 2 / day; }

domain::Scenario TwoDays() {
  domain::Scenario s;
  s.offices = {{"A", "Mitte", "DE-ST"}};
  s.services = {{"pass", "Reisepass"}};
  s.clerks = {{"k1", "K1", {"pass"}}, {"k2", "K2", {"pass"}}};
  s.shifts = {{"s1", "k1", "A", {Berlin(2, 9), Berlin(2, 13)}},
              {"s2", "k1", "A", {Berlin(3, 9), Berlin(3, 13)}},
              {"s3", "k2", "A", {Berlin(3, 7), Berlin(3, 11)}}};
  return s;
}

TEST(WhatIfTest, AbsenceRemovesTheClerksShiftsOnThoseDaysOnly) {
  domain::Scenario s = TwoDays();
  ASSERT_TRUE(ApplyCapacityChanges({.absences = {{"k1", Feb(3), Feb(4)}}}, s).ok());
  ASSERT_EQ(s.shifts.size(), 2u);
  EXPECT_EQ(s.shifts[0].id, "s1");
  EXPECT_EQ(s.shifts[1].id, "s3");
  // An absence that changes nothing is a mistake (a typo in the clerk, a day off anyway).
  EXPECT_EQ(ApplyCapacityChanges({.absences = {{"k9", Feb(3), Feb(3)}}}, s).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(WhatIfTest, ExtraShiftStartsWithTheOfficesDayOrAtEightAndIsOvertime) {
  domain::Scenario s = TwoDays();
  CapacityChanges c;
  c.extra_shifts = {
      {"A", Feb(3), "pass", 240}, {"A", Feb(4), "pass", 120}, {"A", Feb(2), "pass", 60, 14 * 60}};
  c.reserve_share = 0.3;
  ASSERT_TRUE(ApplyCapacityChanges(c, s).ok());
  ASSERT_EQ(s.shifts.size(), 6u);
  EXPECT_EQ(s.shifts[3].time.start, Berlin(3, 7));  // the earliest shift that day
  EXPECT_EQ(s.shifts[3].time.end, Berlin(3, 11));
  EXPECT_EQ(s.shifts[3].kind, domain::ShiftKind::kOvertime);
  EXPECT_EQ(s.shifts[4].time.start, Berlin(4, 8));  // no shift that day: 08:00
  EXPECT_EQ(s.shifts[5].time.start, Berlin(2, 14));
  ASSERT_EQ(s.clerks.size(), 5u);
  EXPECT_EQ(s.clerks[2].skills, std::vector<std::string>{"pass"});
  EXPECT_EQ(s.shifts[3].clerk_id, s.clerks[2].id);
  EXPECT_EQ(s.params.reserve_share, 0.3);

  domain::Scenario t = TwoDays();
  EXPECT_EQ(ApplyCapacityChanges({.extra_shifts = {{"Z", Feb(3), "pass", 60}}}, t).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ApplyCapacityChanges({.extra_shifts = {{"A", Feb(3), "car", 60}}}, t).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(WhatIfTest, CheckNamesEveryBadField) {
  CapacityChanges c;
  c.extra_shifts = {{"A", Feb(3), "pass", 5}, {"A", Feb(3), "pass", 60, 24 * 60}};
  c.absences = {{"k1", Feb(5), Feb(3)}};
  c.reserve_share = 1.0;
  absl::Status s = CheckCapacityChanges(c, "what_if");
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolations::FromStatus(s)) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "what_if.extra_shifts[0].minutes", "what_if.extra_shifts[1].start_time",
                        "what_if.absences[0].end_date", "what_if.reserve_share"}));
  EXPECT_TRUE(CheckCapacityChanges({.extra_shifts = {{"A", Feb(3), "pass", 480}}}, "w").ok());
}

TEST(WhatIfTest, CompareTextInStaffLanguage) {
  StaffFigures a{50, 40, 30, 4.2, 3.0, 0.0};
  StaffFigures b{50, 46, 38, 3.1, 2.2, 6.0};
  std::vector<std::string> de = CompareText(a, b, "de");
  ASSERT_EQ(de.size(), 4u);
  EXPECT_EQ(de[0], "Untergebracht: 40 von 50 -> 46 von 50 (+6)");
  EXPECT_EQ(de[1], "Innerhalb von 5 Arbeitstagen: 30 -> 38 (+8)");
  EXPECT_EQ(de[2], "Mittlere Verschiebung: 4,2 -> 3,1 Tage (-1,1; Arbeitstage 3,0 -> 2,2)");
  EXPECT_EQ(de[3], "Überstunden: 0,0 -> 6,0 Stunden (+6,0)");
  EXPECT_EQ(CompareText(a, b, "en")[0], "Placed: 40 of 50 -> 46 of 50 (+6)");
}

}  // namespace
}  // namespace rebook::rebooking
