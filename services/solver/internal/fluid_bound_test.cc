#include "services/solver/internal/fluid_bound.h"

#include "gtest/gtest.h"
#include "services/domain/calendar.h"
#include "services/solver/internal/min_cost_flow.h"
#include "services/solver/solver.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::solver::internal {
namespace {

absl::StatusOr<FluidBound> FluidBoundOf(const domain::Scenario& s) {
  absl::StatusOr<domain::ShiftCalendar> cal = domain::ShiftCalendar::Build(s);
  if (!cal.ok()) return cal.status();
  absl::StatusOr<Problem> p = BuildProblem(s, *cal, {});
  if (!p.ok()) return p.status();
  return ComputeFluidBound(*p, nullptr);
}

TEST(MinCostFlowTest, ReducedCostConvention) {
  // 4 units from 0 to 2, over 0->1->2 (cost 8) or 0->2 (cost 10, capacity 1).
  FlowResult r = SolveMinCostFlow(3, {4, 0, -4}, {{0, 1, 3, 5}, {1, 2, 10, 3}, {0, 2, 1, 10}});
  ASSERT_TRUE(r.optimal);
  EXPECT_EQ(r.cost, 3 * 8 + 10);
  EXPECT_EQ(r.flow[0], 3);
  // An arc with flow strictly between its bounds has reduced cost 0.
  EXPECT_EQ(3 + r.potential[1] - r.potential[2], 0);
}

TEST(FluidBoundTest, TightOnASingleJob) {
  testing::ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("kfz", 15).Clerk("anna", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T12:00");
  b.Appointment("a", "halle", "kfz", "2026-01-27T12:00").priority = 2;
  absl::StatusOr<FluidBound> bound = FluidBoundOf(b.Build());
  ASSERT_TRUE(bound.ok());
  ASSERT_TRUE(bound->valid);
  // The optimum is 8 h at priority 2. The fluid may spread the job's 15 minutes over parallel
  // capacity, so it may lose up to (d - 1) / 2 minutes of delay, never more.
  EXPECT_LE(bound->lower_bound, 16.0);
  EXPECT_GE(bound->lower_bound, 16.0 - 2 * 7.0 / 60 - 1e-3);
  EXPECT_EQ(bound->target[0], 8 * 60);
}

TEST(FluidBoundTest, ClassCostsCountFromItsEarliestRelease) {
  // a and b fall into one job class (same release slice); a, listed first, is released later.
  // The plan b 08:00, a 08:10 costs 0, so the bound must be 0 whichever member comes first.
  testing::ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("kfz", 10).Clerk("anna", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T12:00");
  domain::Appointment& a1 = b.Appointment("a", "halle", "kfz", "2026-01-27T12:00");
  a1.priority = 6;
  a1.earliest_start = testing::Local("2026-01-28T08:10");
  domain::Appointment& a2 = b.Appointment("b", "halle", "kfz", "2026-01-27T12:00");
  a2.priority = 6;
  a2.earliest_start = testing::Local("2026-01-28T08:00");
  absl::StatusOr<FluidBound> bound = FluidBoundOf(b.Build());
  ASSERT_TRUE(bound.ok());
  ASSERT_TRUE(bound->valid);
  EXPECT_LE(bound->lower_bound, 1e-9);
}

TEST(FluidBoundTest, KeepsJobsOutOfTheirUnavailableTimes) {
  testing::ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("kfz", 15).Clerk("anna", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T12:00");
  domain::Appointment& a = b.Appointment("a", "halle", "kfz", "2026-01-27T12:00");
  a.priority = 6;
  a.earliest_start = testing::Local("2026-01-28T08:00");
  a.unavailable.push_back({testing::Local("2026-01-28T07:00"), testing::Local("2026-01-28T10:00")});
  absl::StatusOr<FluidBound> bound = FluidBoundOf(b.Build());
  ASSERT_TRUE(bound.ok());
  ASSERT_TRUE(bound->valid);
  // The optimum starts at 10:00: 2 h at priority 6. Each 5-minute slice is charged at its first
  // minute, which gives away 2 minutes (0.2) of a 15-minute job; without the unavailable time the
  // bound would be about 0.
  EXPECT_LE(bound->lower_bound, 12.0);
  EXPECT_GE(bound->lower_bound, 12.0 - 0.2 - 1e-3);
}

TEST(FluidBoundTest, CountsUnplaceableWork) {
  testing::ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("kfz", 60).Clerk("anna", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T08:45");  // too short for 60 min
  b.Appointment("a", "halle", "kfz", "2026-01-27T12:00");
  absl::StatusOr<FluidBound> bound = FluidBoundOf(b.Build());
  ASSERT_TRUE(bound.ok());
  EXPECT_NEAR(bound->lower_bound, 100000.0, 1e-2);  // costs are rounded down
}

TEST(FluidBoundTest, BelowTheSolversPlansAndReasonablyClose) {
  for (std::uint64_t seed : {21, 22, 23}) {
    testing::RandomScenarioOptions o;
    o.seed = seed;
    o.appointments = 120;
    domain::Scenario s = testing::RandomScenario(o);
    absl::StatusOr<FluidBound> bound = FluidBoundOf(s);
    ASSERT_TRUE(bound.ok());
    ASSERT_TRUE(bound->valid);
    SolveOptions options;
    options.improve_effort = 1;
    options.improve_patience = 300;
    absl::StatusOr<domain::Plan> plan = Solve(s, options);
    ASSERT_TRUE(plan.ok());
    EXPECT_LE(bound->lower_bound, plan->summary.objective + 1e-6);
    EXPECT_GT(bound->lower_bound, 0.8 * plan->summary.objective) << seed;
  }
}

}  // namespace
}  // namespace rebook::solver::internal
