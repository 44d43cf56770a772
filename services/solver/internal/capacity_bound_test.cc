#include "services/solver/internal/capacity_bound.h"

#include "gtest/gtest.h"
#include "services/domain/calendar.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::solver::internal {
namespace {

using testing::ScenarioBuilder;

CapacityBound CapacityBoundOf(const domain::Scenario& s) {
  absl::StatusOr<domain::ShiftCalendar> cal = domain::ShiftCalendar::Build(s);
  EXPECT_TRUE(cal.ok());
  absl::StatusOr<Problem> p = BuildProblem(s, *cal, {});
  EXPECT_TRUE(p.ok());
  return ComputeCapacityBound(*p);
}

ScenarioBuilder OneHour() {
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("kfz", 15).Service("pass", 30).Clerk("anna", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  return b;
}

TEST(CapacityBoundTest, JobsWithoutAQualifiedClerkCostTheirUnassignedCost) {
  ScenarioBuilder b = OneHour();
  b.Appointment("p", "halle", "pass", "2026-01-27T12:00").priority = 3;
  const CapacityBound bound = CapacityBoundOf(b.Build());
  EXPECT_EQ(bound.forced_unassigned, 1);
  EXPECT_NEAR(bound.lower_bound, 3 * domain::PlanParams{}.w_unassigned, 1e-3);
}

TEST(CapacityBoundTest, OverloadLeavesTheCheapestMinutesOut) {
  ScenarioBuilder b = OneHour();
  // Six 15-minute jobs for 60 minutes: two stay out, at least the two of priority 1.
  for (int i = 0; i < 6; ++i) {
    b.Appointment("k" + std::to_string(i), "halle", "kfz", "2026-01-27T12:00").priority =
        i < 2 ? 1 : 5;
  }
  const CapacityBound bound = CapacityBoundOf(b.Build());
  EXPECT_EQ(bound.forced_unassigned, 0);
  // Each job alone starts at 08:00 (8 h after the horizon start).
  EXPECT_NEAR(bound.placement, 2 * 8 * 1 + 4 * 8 * 5, 1e-6);
  const double u = domain::PlanParams{}.w_unassigned;
  EXPECT_NEAR(bound.shortfall_cost, 2 * (u - 8), 1e-3);
}

TEST(CapacityBoundTest, DeadlinesCountOnlyTheTimeBeforeThem) {
  ScenarioBuilder b = OneHour();
  b.Shift("anna", "halle", "2026-01-29T08:00", "2026-01-29T12:00");
  // Enough time in all, but only 60 minutes before the deadline for five 15-minute jobs.
  for (int i = 0; i < 5; ++i) {
    b.Appointment("k" + std::to_string(i), "halle", "kfz", "2026-01-27T12:00").deadline =
        testing::Local("2026-01-28T12:00");
  }
  const CapacityBound bound = CapacityBoundOf(b.Build());
  EXPECT_NEAR(bound.shortfall_cost, domain::PlanParams{}.w_unassigned - 8, 1e-3);
}

TEST(CapacityBoundTest, WholeJobsCountWhereMinutesWouldFit) {
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("pass", 30).Clerk("ben", {"pass"});
  // 90 free minutes for three 30-minute jobs, but in two 45-minute windows: one stays out.
  b.Shift("ben", "halle", "2026-01-28T08:00", "2026-01-28T08:45");
  b.Shift("ben", "halle", "2026-01-29T08:00", "2026-01-29T08:45");
  for (int i = 0; i < 3; ++i) {
    b.Appointment("p" + std::to_string(i), "halle", "pass", "2026-01-27T12:00").priority =
        i == 0 ? 1 : 4;
  }
  const CapacityBound bound = CapacityBoundOf(b.Build());
  // The cheapest to leave out is the priority-1 job (alone it starts at 08:00 on the 28th).
  const double u = domain::PlanParams{}.w_unassigned;
  EXPECT_NEAR(bound.shortfall_cost, u - 8, 1e-3);
  EXPECT_NEAR(bound.count_cost, u - 8, 1e-3);
  // The counted set is all three jobs; alone they cost at least their placements plus the term.
  ASSERT_EQ(bound.separate.size(), 3u);
  EXPECT_EQ(bound.separate[0] + bound.separate[1] + bound.separate[2], 3);
  EXPECT_NEAR(bound.separate_bound, bound.lower_bound, 1e-3);
}

// anna also works at leuna, which joins both offices in one component with 180 free minutes;
// but the five 15-minute jobs of halle may only go to halle's 60 minutes: one stays out. Without
// the single-office term the bound was 0 here (and 791.6 M instead of 887.9 M on region).
TEST(CapacityBoundTest, JobsOfOneOfficeOnlyCountThatOfficesTime) {
  ScenarioBuilder b = OneHour();
  b.Office("leuna").Shift("anna", "leuna", "2026-01-28T10:00", "2026-01-28T12:00");
  for (int i = 0; i < 5; ++i)
    b.Appointment("k" + std::to_string(i), "halle", "kfz", "2026-01-27T12:00");
  b.Appointment("l0", "leuna", "kfz", "2026-01-27T12:00");
  const CapacityBound bound = CapacityBoundOf(b.Build());
  const double u = domain::PlanParams{}.w_unassigned;
  // One halle job stays out (alone it starts at 08:00: 8 h after the release), which is also
  // what the best plan pays: four at halle, l0 at leuna.
  EXPECT_NEAR(bound.shortfall_cost, u - 8, 1e-3);
  EXPECT_NEAR(bound.office_cost, u - 8, 1e-3);
}

}  // namespace
}  // namespace rebook::solver::internal
