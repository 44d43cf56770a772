// The shortfall's extra-shift suggestions land on days the office works.
#include "gtest/gtest.h"
#include "services/domain/local_time.h"
#include "services/solver/solver.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::solver {
namespace {

using testing::ScenarioBuilder;

// Anna works Wednesday and Thursday only; the horizon ends after Sunday 1 Feb, so appointments
// without a deadline are short of capacity "by Sunday", a day the office never opens.
TEST(ShiftSuggestionTest, OnlyOnDaysTheOfficeWorks) {
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-02T00:00");
  b.Office("halle").Service("kfz", 60).Clerk("anna", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  b.Shift("anna", "halle", "2026-01-29T08:00", "2026-01-29T09:00");
  for (int i = 0; i < 5; ++i) {
    b.Appointment("a" + std::to_string(i), "halle", "kfz", "2026-01-27T12:00").priority = 5;
  }
  absl::StatusOr<domain::Plan> plan = Solve(b.Build(), SolveOptions{});
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->summary.shortfall.size(), 1u);
  EXPECT_EQ(domain::FormatLocalDate(plan->summary.shortfall[0].day), "2026-02-01");
  ASSERT_FALSE(plan->summary.suggested_shifts.empty());
  for (const domain::ShiftSuggestion& s : plan->summary.suggested_shifts) {
    EXPECT_EQ(domain::FormatLocalDate(s.day), "2026-01-29");  // Thursday, not Sunday or Friday
  }
}

// With no working day in the two weeks up to the shortfall, nothing is suggested.
TEST(ShiftSuggestionTest, NoneWithoutAWorkingDay) {
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-20T00:00");
  b.Office("halle").Service("kfz", 60).Clerk("anna", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  b.Appointment("a0", "halle", "kfz", "2026-01-27T12:00").priority = 5;
  b.Appointment("a1", "halle", "kfz", "2026-01-27T12:30").priority = 5;
  absl::StatusOr<domain::Plan> plan = Solve(b.Build(), SolveOptions{});
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->summary.shortfall.size(), 1u);
  EXPECT_TRUE(plan->summary.suggested_shifts.empty());
}

}  // namespace
}  // namespace rebook::solver
