#include "services/generator/scenario_check.h"

#include <string>

#include "gtest/gtest.h"
#include "services/generator/test_util.h"

namespace rebook::generator {
namespace {

class CheckScenarioTest : public testing::Test {
 protected:
  void SetUp() override { s_ = Generate("small"); }

  void ExpectFails(std::string_view needle) {
    const absl::Status st = CheckScenario(s_);
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(st.message().find(std::string(needle)), absl::string_view::npos) << st;
  }

  domain::Scenario s_;
};

TEST_F(CheckScenarioTest, AcceptsAGeneratedScenario) { EXPECT_TRUE(CheckScenario(s_).ok()); }

TEST_F(CheckScenarioTest, RejectsInvalidAndDuplicateIds) {
  s_.appointments[1].id = "bad id";
  ExpectFails("invalid or duplicate");
  s_.appointments[1].id = s_.appointments[0].id;
  ExpectFails("invalid or duplicate");
}

TEST_F(CheckScenarioTest, RejectsDanglingReferences) {
  s_.appointments[0].service_id = "unknown-service";
  ExpectFails("unknown office or service");
}

TEST_F(CheckScenarioTest, RejectsTimesThatAreNotWholeMinutes) {
  s_.appointments[0].original_start += std::chrono::seconds(30);
  ExpectFails("not a whole minute");
}

TEST_F(CheckScenarioTest, RejectsTheSecondOccurrenceOfARepeatedHour) {
  // 25 October 2026, 02:30 CET = 01:30 UTC: the second 02:30 of that night, which a bundle
  // cannot express (an ambiguous local time means its first occurrence).
  s_.appointments[0].original_start = Instant(
      date::sys_days(date::year(2026) / 10 / 25).time_since_epoch() + std::chrono::minutes(90));
  ExpectFails("no unique local time");
}

TEST_F(CheckScenarioTest, RejectsADeadlineNotAfterTheEarliestStart) {
  s_.appointments[0].earliest_start = s_.params.horizon_start + std::chrono::hours(37);
  s_.appointments[0].deadline = *s_.appointments[0].earliest_start;
  ExpectFails("deadline not after earliest_start");
}

TEST_F(CheckScenarioTest, RejectsOverlappingStandingBookings) {
  ASSERT_GE(s_.bookings.size(), 2u);
  domain::StandingBooking copy = s_.bookings[0];
  copy.id = "b-copy";
  s_.bookings.push_back(copy);
  ExpectFails("overlapping standing bookings");
}

TEST_F(CheckScenarioTest, RejectsBookingsOutsideShifts) {
  s_.bookings[0].time.start -= std::chrono::hours(12);
  ExpectFails("not inside a shift");
}

TEST_F(CheckScenarioTest, RejectsAnAppointmentNobodyCanServe) {
  const std::string service = s_.appointments[0].service_id;
  for (domain::Clerk& c : s_.clerks) std::erase(c.skills, service);
  ExpectFails("no qualified clerk");
}

TEST_F(CheckScenarioTest, AShiftOnAClosureDoesNotCount) {
  // Close every office on every day of the horizon: nothing is servable any more.
  for (const domain::Office& o : s_.offices) {
    for (date::sys_days d = date::floor<date::days>(s_.params.horizon_start);
         d < s_.params.horizon_end; d += date::days(1)) {
      s_.closures.push_back({o.id, domain::LocalDate(d), "test"});
    }
  }
  ExpectFails("no qualified clerk");
}

}  // namespace
}  // namespace rebook::generator
