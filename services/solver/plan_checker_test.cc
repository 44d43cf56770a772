#include "services/solver/plan_checker.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::solver {
namespace {

using domain::Assignment;
using domain::AssignmentStatus;
using testing::Local;

// Two offices (halle in DE-ST, berlin in DE-BE), two clerks, a valid plan for three
// appointments; each test breaks one rule.
class PlanCheckerTest : public ::testing::Test {
 protected:
  PlanCheckerTest() : b_("2026-01-05T00:00", "2026-01-17T00:00") {
    b_.Office("halle", "DE-ST").Office("berlin", "DE-BE").Service("kfz", 15).Service("visa", 30);
    b_.Clerk("anna", {"kfz"}).Clerk("ben", {"kfz", "visa"});
    b_.ReserveShare(0.5);
    b_.Shift("anna", "halle", "2026-01-06T08:00", "2026-01-06T12:00");  // holiday in ST
    b_.Shift("anna", "halle", "2026-01-07T08:00", "2026-01-07T09:00");
    b_.Shift("anna", "halle", "2026-01-07T09:00", "2026-01-07T10:00");
    b_.Shift("ben", "berlin", "2026-01-06T08:00", "2026-01-06T10:00");
    b_.Shift("ben", "berlin", "2026-01-10T09:00", "2026-01-10T10:00", domain::ShiftKind::kOvertime);
    b_.Booking("bk", "anna", "2026-01-07T08:30", "2026-01-07T08:45");
    b_.Appointment("a1", "halle", "kfz", "2026-01-02T10:00").priority = 2;
    domain::Appointment& a2 = b_.Appointment("a2", "halle", "kfz", "2026-01-02T10:15");
    a2.allowed_offices = {"halle", "berlin"};
    a2.unavailable = {{Local("2026-01-06T09:00"), Local("2026-01-06T09:30")}};
    domain::Appointment& a3 = b_.Appointment("a3", "berlin", "visa", "2026-01-02T11:00");
    a3.deadline = Local("2026-01-12T00:00");
    a3.earliest_start = Local("2026-01-06T08:30");
    plan_ = {
        {"a1",
         AssignmentStatus::kAssigned,
         "halle",
         "anna",
         {Local("2026-01-07T08:00"), Local("2026-01-07T08:15")},
         0,
         ""},
        {"a2",
         AssignmentStatus::kAssigned,
         "berlin",
         "ben",
         {Local("2026-01-06T08:00"), Local("2026-01-06T08:15")},
         0,
         ""},
        {"a3",
         AssignmentStatus::kAssigned,
         "berlin",
         "ben",
         {Local("2026-01-10T09:00"), Local("2026-01-10T09:30")},
         0,
         ""},
    };
  }

  CheckReport Check() {
    absl::StatusOr<CheckReport> r = CheckPlan(b_.Build(), plan_);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : CheckReport{};
  }

  // The rules violated, each once per violation.
  std::vector<int> Rules() {
    std::vector<int> rules;
    for (const Violation& v : Check().violations) rules.push_back(v.rule);
    return rules;
  }

  testing::ScenarioBuilder b_;
  std::vector<Assignment> plan_;
};

TEST_F(PlanCheckerTest, ValidPlanAndItsObjective) {
  CheckReport r = Check();
  for (const Violation& v : r.violations) ADD_FAILURE() << v.message;
  // a1: 2 x 56 h; a2: 32 h + office change 48; a3: (106 - 32.5 h) = 96.5 h... computed below.
  const double a1 = 2 * 56.0;
  const double a2 = 32.0 + 48.0;
  const double a3 = (4 * 24 + 9 - 8.5);  // from its earliest start, 06 Jan 08:30
  const double overtime = 30.0;
  EXPECT_NEAR(r.objective, a1 + a2 + a3 + overtime, 1e-9);
  EXPECT_NEAR(r.parts.office_change, 48.0, 1e-9);
  EXPECT_EQ(r.assigned, 3);
}

TEST_F(PlanCheckerTest, Rule1Skill) {
  plan_[0].clerk_id = "ben";
  plan_[0].office_id = "berlin";
  plan_[0].time = {Local("2026-01-06T08:30"), Local("2026-01-06T08:45")};
  b_.scenario().clerks[1].skills = {"visa"};
  EXPECT_THAT(Rules(), ::testing::Contains(1));
}

TEST_F(PlanCheckerTest, Rule2HolidayShift) {
  plan_[0].time = {Local("2026-01-06T08:00"), Local("2026-01-06T08:15")};
  EXPECT_THAT(Rules(), ::testing::ElementsAre(2));
}

TEST_F(PlanCheckerTest, Rule2StraddlingBackToBackShifts) {
  plan_[0].time = {Local("2026-01-07T08:50"), Local("2026-01-07T09:05")};
  EXPECT_THAT(Rules(), ::testing::ElementsAre(2));
}

TEST_F(PlanCheckerTest, Rule2WrongDuration) {
  plan_[0].time = {Local("2026-01-07T08:00"), Local("2026-01-07T08:20")};
  EXPECT_THAT(Rules(), ::testing::ElementsAre(2));
}

TEST_F(PlanCheckerTest, Rule2Closure) {
  b_.Closure("halle", "2026-01-07");
  EXPECT_THAT(Rules(), ::testing::ElementsAre(2));
}

TEST_F(PlanCheckerTest, Rule3OverlapWithABookingAndAnotherAppointment) {
  plan_[0].time = {Local("2026-01-07T08:20"), Local("2026-01-07T08:35")};
  EXPECT_THAT(Rules(), ::testing::ElementsAre(3));
  plan_[0].time = {Local("2026-01-07T08:00"), Local("2026-01-07T08:15")};
  plan_[2] = {"a3",
              AssignmentStatus::kAssigned,
              "berlin",
              "ben",
              {Local("2026-01-06T08:00"), Local("2026-01-06T08:30")},
              0,
              ""};
  b_.scenario().appointments[2].earliest_start.reset();
  std::vector<Violation> v = Check().violations;
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, 3);
  EXPECT_THAT(v[0].message, ::testing::HasSubstr("a2"));
}

TEST_F(PlanCheckerTest, Rule4EarliestStartAndDeadline) {
  plan_[2].time = {Local("2026-01-06T08:00"), Local("2026-01-06T08:30")};
  plan_[1].time = {Local("2026-01-06T08:30"), Local("2026-01-06T08:45")};
  EXPECT_THAT(Rules(), ::testing::ElementsAre(4));
  b_.scenario().appointments[2].deadline = Local("2026-01-10T09:15");
  plan_[2].time = {Local("2026-01-10T09:00"), Local("2026-01-10T09:30")};
  EXPECT_THAT(Rules(), ::testing::ElementsAre(4));
}

TEST_F(PlanCheckerTest, Rule5OfficeNotAllowedAndUnavailableTime) {
  b_.scenario().appointments[1].allowed_offices.clear();
  EXPECT_THAT(Rules(), ::testing::ElementsAre(5));
  b_.scenario().appointments[1].allowed_offices = {"halle", "berlin"};
  plan_[1].time = {Local("2026-01-06T09:15"), Local("2026-01-06T09:30")};
  EXPECT_THAT(Rules(), ::testing::ElementsAre(5));
}

TEST_F(PlanCheckerTest, Rule6ReserveShare) {
  // halle on 7 Jan: 120 regular minutes - 15 booked = 105 free; half may be rebooked (52.5).
  for (int i = 0; i < 3; ++i) {
    const std::string id = "x" + std::to_string(i);
    b_.Appointment(id, "halle", "kfz", "2026-01-02T12:00");
    const Instant start = Local("2026-01-07T09:00") + std::chrono::minutes(15 * i);
    plan_.push_back({id,
                     AssignmentStatus::kAssigned,
                     "halle",
                     "anna",
                     {start, start + std::chrono::minutes(15)},
                     0,
                     ""});
  }
  EXPECT_THAT(Rules(), ::testing::ElementsAre(6));  // 4 x 15 = 60 > 52.5
  plan_.pop_back();
  b_.scenario().appointments.pop_back();
  EXPECT_TRUE(Check().ok());  // 45 <= 52.5
}

TEST_F(PlanCheckerTest, MissingAndDuplicateRows) {
  plan_.push_back(plan_[0]);
  plan_.erase(plan_.begin() + 1);
  EXPECT_THAT(Rules(), ::testing::UnorderedElementsAre(0, 0));
}

TEST_F(PlanCheckerTest, UnassignedCostsPriorityTimesWeight) {
  plan_[0] = {"a1", AssignmentStatus::kUnassigned, "", "", {}, 0, "x"};
  CheckReport r = Check();
  EXPECT_TRUE(r.ok());
  EXPECT_NEAR(r.parts.unassigned, 200000.0, 1e-9);
  EXPECT_EQ(r.unassigned, 1);
}

}  // namespace
}  // namespace rebook::solver
