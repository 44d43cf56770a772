#include "services/solver/internal/time_indexed_bound.h"

#include "gtest/gtest.h"
#include "services/domain/calendar.h"
#include "services/solver/internal/fluid_bound.h"
#include "services/solver/internal/lp_master.h"
#include "services/solver/solver.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::solver::internal {
namespace {

using testing::Local;
using testing::ScenarioBuilder;

struct Bounded {
  TimeIndexedBound bound;
  bool complete = false;
};

Bounded BoundOf(const domain::Scenario& s, TimeIndexedBoundOptions options = {},
                double max_work = 1e8) {
  absl::StatusOr<domain::ShiftCalendar> cal = domain::ShiftCalendar::Build(s);
  EXPECT_TRUE(cal.ok()) << cal.status();
  absl::StatusOr<Problem> p = BuildProblem(s, *cal, {});
  EXPECT_TRUE(p.ok()) << p.status();
  TimeIndexedModel model(*p, max_work);
  Bounded out;
  out.complete = model.complete();
  if (out.complete) out.bound = ComputeTimeIndexedBound(model, options);
  return out;
}

domain::Scenario Random(std::uint64_t seed, int appointments) {
  testing::RandomScenarioOptions o;
  o.seed = seed;
  o.appointments = appointments;
  return testing::RandomScenario(o);
}

TEST(LpMasterTest, SolvesGrowsAndReportsDuals) {
  // min x + 2y  s.t.  x + y = 1,  x <= 0.4.
  LpMaster lp({{1, 1}, {-kLpInfinity, 0.4}});
  lp.AddColumn(1, 0, kLpInfinity, {{0, 1.0}, {1, 1.0}});
  lp.AddColumn(2, 0, kLpInfinity, {{0, 1.0}});
  ASSERT_TRUE(lp.Solve());
  EXPECT_NEAR(lp.objective(), 1.6, 1e-9);
  EXPECT_NEAR(lp.primal()[0], 0.4, 1e-9);
  EXPECT_NEAR(lp.duals()[0], 2.0, 1e-9);   // one more unit of row 0 costs 2 (y)
  EXPECT_NEAR(lp.duals()[1], -1.0, 1e-9);  // one more unit of x's cap saves 1
  // A cheaper column enters from the previous basis.
  lp.AddColumn(0.5, 0, kLpInfinity, {{0, 1.0}});
  ASSERT_TRUE(lp.Solve());
  EXPECT_NEAR(lp.objective(), 0.5, 1e-9);
  EXPECT_EQ(lp.columns(), 3);
}

TEST(LpMasterTest, ReportsInfeasibility) {
  LpMaster lp({{2, 2}});
  lp.AddColumn(1, 0, 1, {{0, 1.0}});
  EXPECT_FALSE(lp.Solve());
}

TEST(TimeIndexedBoundTest, ExactWhenEveryJobTakesOneGridStep) {
  // Jobs as long as the grid: the LP is an assignment problem and has an integral optimum, so the
  // bound is the optimum: priority 5 at 08:00, then 3 at 08:15, then 1 at 08:30.
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("kfz", 15).Clerk("anna", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  b.Appointment("a", "halle", "kfz", "2026-01-27T12:00").priority = 1;
  b.Appointment("b", "halle", "kfz", "2026-01-27T12:00").priority = 3;
  b.Appointment("c", "halle", "kfz", "2026-01-27T12:00").priority = 5;
  Bounded r = BoundOf(b.Build());
  ASSERT_TRUE(r.complete);
  ASSERT_TRUE(r.bound.valid);
  const double optimum = 5 * 8.0 + 3 * 8.25 + 1 * 8.5;
  EXPECT_NEAR(r.bound.lower_bound, optimum, 1e-4);
  EXPECT_NEAR(r.bound.master_objective, optimum, 1e-6);
  EXPECT_EQ(r.bound.grid_minutes, 15);
  // The LP's solution is one schedule of weight 1 in the clerk's one window.
  ASSERT_EQ(r.bound.schedules.size(), 1u);
  EXPECT_NEAR(r.bound.schedules[0].weight, 1.0, 1e-9);
  EXPECT_EQ(r.bound.schedules[0].placements.size(), 3u);
}

TEST(TimeIndexedBoundTest, SeesThatAWindowHoldsWholeJobsOnly) {
  // Two 45-minute windows and three 30-minute jobs: minutes alone would fit the third job into the
  // two windows' last 15 minutes; whole jobs put it into the next day.
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("kfz", 30).Clerk("anna", {"kfz"}).Clerk("bert", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T08:45");
  b.Shift("bert", "halle", "2026-01-28T08:00", "2026-01-28T08:45");
  b.Shift("anna", "halle", "2026-01-29T08:00", "2026-01-29T08:45");
  for (const char* id : {"a", "b", "c"}) b.Appointment(id, "halle", "kfz", "2026-01-27T12:00");
  Bounded r = BoundOf(b.Build());
  ASSERT_TRUE(r.bound.valid);
  const double optimum = 8 + 8 + 32;  // 08:00 twice on the 28th, 08:00 on the 29th
  EXPECT_NEAR(r.bound.lower_bound, optimum, 1e-4);
}

TEST(TimeIndexedBoundTest, WindowsOffTheGridRoundDownAndStayBelowTheOptimum) {
  // A standing booking until 08:07 leaves a window from 08:07; the grid (15 minutes) starts it at
  // 08:00, which may only lower the bound.
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("kfz", 15).Clerk("anna", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  b.Booking("x", "anna", "2026-01-28T08:00", "2026-01-28T08:07");
  b.Appointment("a", "halle", "kfz", "2026-01-27T12:00").priority = 6;
  b.Appointment("b", "halle", "kfz", "2026-01-27T12:00").priority = 6;
  Bounded r = BoundOf(b.Build());
  ASSERT_TRUE(r.bound.valid);
  const double optimum = 6 * (8 + 7 / 60.0) + 6 * (8 + 22 / 60.0);
  EXPECT_LE(r.bound.lower_bound, optimum + 1e-9);
  EXPECT_GE(r.bound.lower_bound, optimum - 2 * 6 * 7 / 60.0 - 1e-4);
}

TEST(TimeIndexedBoundTest, ChargesWhatTheReserveKeepsOut) {
  // 4 hours of regular time, half reserved: two of four 60-minute jobs fit, the rest stay
  // unassigned (priority 1 each: 100,000).
  ScenarioBuilder b("2026-01-28T00:00", "2026-01-29T00:00");
  b.Office("halle").Service("kfz", 60).Clerk("anna", {"kfz"}).ReserveShare(0.5);
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T12:00");
  for (const char* id : {"a", "b", "c", "d"}) b.Appointment(id, "halle", "kfz", "2026-01-27T12:00");
  Bounded r = BoundOf(b.Build());
  ASSERT_TRUE(r.bound.valid);
  const double optimum = 2 * 100000.0 + 8 + 9;
  EXPECT_NEAR(r.bound.lower_bound, optimum, 1e-6 * optimum);  // the bound keeps a 1e-7 margin
}

TEST(TimeIndexedBoundTest, ConvergesToTheLpAndZeroMultipliersGiveZero) {
  const domain::Scenario s = Random(5, 60);
  Bounded lp = BoundOf(s);
  ASSERT_TRUE(lp.bound.valid);
  TimeIndexedBoundOptions once;
  once.max_rounds = 0;  // multipliers 0: the bound is 0
  Bounded zero = BoundOf(s, once);
  ASSERT_TRUE(zero.bound.valid);
  EXPECT_NEAR(zero.bound.lower_bound, 0.0, 1e-9);
  // At convergence the Lagrangian value is the LP's (no duality gap).
  EXPECT_NEAR(lp.bound.lower_bound, lp.bound.master_objective,
              1e-6 * (1 + lp.bound.master_objective));
}

TEST(TimeIndexedBoundTest, BelowTheSolversPlansAndAboveTheFluid) {
  for (std::uint64_t seed : {31, 32, 33, 34}) {
    const domain::Scenario s = Random(seed, 80);
    Bounded r = BoundOf(s);
    ASSERT_TRUE(r.bound.valid);
    SolveOptions options;
    options.compute_lower_bound = false;
    options.improve_effort = 10;
    absl::StatusOr<domain::Plan> plan = Solve(s, options);
    ASSERT_TRUE(plan.ok());
    EXPECT_LE(r.bound.lower_bound, plan->summary.objective + 1e-6) << seed;
    absl::StatusOr<domain::ShiftCalendar> cal = domain::ShiftCalendar::Build(s);
    absl::StatusOr<Problem> p = BuildProblem(s, *cal, {});
    FluidBound fluid = ComputeFluidBound(*p, nullptr);
    ASSERT_TRUE(fluid.valid);
    // Not a theorem (the fluid and the LP relax different things), but on these instances the LP
    // is the stronger one.
    EXPECT_GE(r.bound.lower_bound, fluid.lower_bound - 1e-6) << seed;
  }
}

TEST(TimeIndexedBoundTest, ModelStopsBuildingPastItsWorkLimit) {
  Bounded r = BoundOf(Random(1, 60), {}, /*max_work=*/100);
  EXPECT_FALSE(r.complete);
}

TEST(TimeIndexedBoundTest, StopsAtTheTargetGap) {
  const domain::Scenario s = Random(7, 60);
  Bounded full = BoundOf(s);
  ASSERT_TRUE(full.bound.valid);
  TimeIndexedBoundOptions loose;
  loose.upper_bound = full.bound.lower_bound * 1.5;
  loose.target_gap = 0.5;  // any bound above 75 % of the LP will do
  Bounded early = BoundOf(s, loose);
  ASSERT_TRUE(early.bound.valid);
  EXPECT_LT(early.bound.rounds, full.bound.rounds);
  EXPECT_LE(early.bound.lower_bound, full.bound.lower_bound + 1e-6);
}

TEST(TimeIndexedBoundTest, RoundedReserveCountsWholeJobs) {
  // One clerk, 08:00-10:00 (120 free regular minutes), reserve share 0.6: rule 6 allows 48
  // rebooked minutes, room for one 30-minute birth. Three are waiting (priority 9): every plan
  // leaves two out. The Lagrangian at prices that fill the 48 minutes counts 1.6 births placed;
  // with the reserve rounded to whole 30-minute jobs it counts one, and stays below the plan.
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("geburt", 30).Clerk("anna", {"geburt"}).ReserveShare(0.6);
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T10:00");
  for (const char* id : {"a", "b", "c"})
    b.Appointment(id, "halle", "geburt", "2026-01-27T12:00").priority = 9;
  const domain::Scenario s = b.Build();
  absl::StatusOr<domain::ShiftCalendar> cal = domain::ShiftCalendar::Build(s);
  ASSERT_TRUE(cal.ok()) << cal.status();
  absl::StatusOr<Problem> p = BuildProblem(s, *cal, {});
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->office_days.size(), 1u);
  ASSERT_EQ(p->office_days[0].regular_cap, 48);
  const double u = p->jobs[0].unassigned_cost;
  TimeIndexedModel model(*p, 1e8);
  ASSERT_TRUE(model.complete());
  TimeIndexedBoundOptions once;
  once.max_rounds = 0;
  once.job_prices.assign(3, u);
  once.office_day_prices = {u / 30};
  const double plain = ComputeTimeIndexedBound(model, once).lower_bound;
  once.round_reserve = true;
  const TimeIndexedBound rounded = ComputeTimeIndexedBound(model, once);
  EXPECT_LT(plain, 1.5 * u);
  EXPECT_GT(rounded.reserve_gain, 0);
  EXPECT_GT(rounded.lower_bound, 1.99 * u);
  absl::StatusOr<domain::Plan> plan = Solve(s, {});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_LE(rounded.lower_bound, plan->summary.objective + 1e-6);
  EXPECT_EQ(plan->summary.assigned, 1);
}

}  // namespace
}  // namespace rebook::solver::internal
