#include "services/solver/solver.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/local_time.h"
#include "services/solver/plan_checker.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::solver {
namespace {

using domain::AssignmentStatus;
using testing::Local;
using testing::ScenarioBuilder;

// Solves, checks the plan independently and compares the objectives.
domain::Plan SolveAndCheck(const domain::Scenario& s, SolveOptions options = {}) {
  absl::StatusOr<domain::Plan> plan = Solve(s, options);
  EXPECT_TRUE(plan.ok()) << plan.status();
  if (!plan.ok()) return {};
  absl::StatusOr<CheckReport> report = CheckPlan(s, plan->assignments);
  EXPECT_TRUE(report.ok()) << report.status();
  if (report.ok()) {
    for (const Violation& v : report->violations) ADD_FAILURE() << v.message;
    EXPECT_NEAR(report->objective, plan->summary.objective, 1e-6 * (1 + report->objective));
  }
  if (plan->summary.lower_bound) {
    EXPECT_LE(*plan->summary.lower_bound, plan->summary.objective + 1e-6);
  }
  return *plan;
}

const domain::Assignment& Find(const domain::Plan& plan, const std::string& id) {
  for (const auto& a : plan.assignments) {
    if (a.appointment_id == id) return a;
  }
  static domain::Assignment none;
  ADD_FAILURE() << "no row for " << id;
  return none;
}

ScenarioBuilder OneClerk() {
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("kfz", 15).Clerk("anna", {"kfz"});
  return b;
}

TEST(SolverTest, PlacesAtTheEarliestSlotsInBookingOrder) {
  ScenarioBuilder b = OneClerk();
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  b.Appointment("late", "halle", "kfz", "2026-01-27T13:00");
  b.Appointment("early", "halle", "kfz", "2026-01-27T12:00");
  domain::Plan plan = SolveAndCheck(b.Build());
  EXPECT_EQ(Find(plan, "early").time.start, Local("2026-01-28T08:00"));
  EXPECT_EQ(Find(plan, "late").time.start, Local("2026-01-28T08:15"));
  EXPECT_EQ(plan.summary.fcfs_inversions, 0);
  // Delay is counted from the horizon start: 8 h and 8.25 h at priority 1.
  EXPECT_NEAR(plan.summary.objective, 8 + 8.25, 1e-9);
  EXPECT_EQ(plan.summary.assigned, 2);
}

TEST(SolverTest, HigherPriorityGoesFirst) {
  ScenarioBuilder b = OneClerk();
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T08:30");
  b.Appointment("low", "halle", "kfz", "2026-01-27T12:00");
  b.Appointment("high", "halle", "kfz", "2026-01-27T13:00").priority = 5;
  domain::Plan plan = SolveAndCheck(b.Build());
  EXPECT_EQ(Find(plan, "high").time.start, Local("2026-01-28T08:00"));
  EXPECT_EQ(Find(plan, "low").time.start, Local("2026-01-28T08:15"));
}

TEST(SolverTest, HolidaysAndClosuresAreSkipped) {
  ScenarioBuilder b("2026-01-05T00:00", "2026-01-10T00:00");
  b.Office("halle", "DE-ST").Office("berlin", "DE-BE").Service("kfz", 15).Clerk("anna", {"kfz"});
  b.Shift("anna", "halle", "2026-01-06T08:00", "2026-01-06T12:00");  // Heilige Drei Könige in ST
  b.Shift("anna", "halle", "2026-01-07T08:00", "2026-01-07T12:00");  // closed
  b.Shift("anna", "halle", "2026-01-08T08:00", "2026-01-08T12:00");
  b.Closure("halle", "2026-01-07");
  b.Appointment("a", "halle", "kfz", "2026-01-02T12:00");
  domain::Plan plan = SolveAndCheck(b.Build());
  EXPECT_EQ(Find(plan, "a").time.start, Local("2026-01-08T08:00"));
}

TEST(SolverTest, ReserveShareLimitsRegularButNotOvertimeMinutes) {
  ScenarioBuilder b = OneClerk();
  b.ReserveShare(0.5);
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T10:00");  // 120 min, 60 usable
  b.Booking("b", "anna", "2026-01-28T08:00", "2026-01-28T08:30");    // free 90, usable 45
  b.Shift("anna", "halle", "2026-01-28T10:00", "2026-01-28T11:00", domain::ShiftKind::kOvertime);
  for (int i = 0; i < 6; ++i)
    b.Appointment("a" + std::to_string(i), "halle", "kfz", "2026-01-27T12:00");
  domain::Plan plan = SolveAndCheck(b.Build());
  int regular = 0, overtime = 0;
  for (const auto& a : plan.assignments) {
    if (a.status != AssignmentStatus::kAssigned) continue;
    (a.time.start < Local("2026-01-28T10:00") ? regular : overtime) += 1;
  }
  EXPECT_EQ(regular, 3);   // 45 of 90 free regular minutes
  EXPECT_EQ(overtime, 3);  // overtime is not reserved; 45 of 60 minutes are needed
  EXPECT_EQ(plan.summary.overtime_minutes, 45);
  EXPECT_NEAR(plan.summary.parts.overtime, 45.0, 1e-9);
}

TEST(SolverTest, DeadlinesAreMetOrTheAppointmentIsUnassignedWithAReason) {
  ScenarioBuilder b = OneClerk();
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T08:15");
  b.Shift("anna", "halle", "2026-01-29T08:00", "2026-01-29T08:15");
  b.Appointment("relaxed", "halle", "kfz", "2026-01-27T12:00").priority = 9;
  b.Appointment("urgent", "halle", "kfz", "2026-01-27T12:30").deadline = Local("2026-01-28T12:00");
  b.Appointment("impossible", "halle", "kfz", "2026-01-27T12:45").deadline =
      Local("2026-01-28T08:10");
  domain::Plan plan = SolveAndCheck(b.Build());
  EXPECT_EQ(Find(plan, "urgent").time.start, Local("2026-01-28T08:00"));
  EXPECT_EQ(Find(plan, "relaxed").time.start, Local("2026-01-29T08:00"));
  const domain::Assignment& x = Find(plan, "impossible");
  EXPECT_EQ(x.status, AssignmentStatus::kUnassigned);
  EXPECT_EQ(x.reason, "no qualified shift time between the earliest start and the deadline");
  EXPECT_EQ(x.cost, 100000);
  ASSERT_EQ(plan.summary.shortfall.size(), 1u);
  EXPECT_EQ(plan.summary.shortfall[0].missing_minutes, 15);
  EXPECT_EQ(domain::FormatLocalDate(plan.summary.shortfall[0].day), "2026-01-28");
  ASSERT_FALSE(plan.summary.suggested_shifts.empty());
  EXPECT_EQ(plan.summary.suggested_shifts[0].office_id, "halle");
}

TEST(SolverTest, CasesMultiplyTheDurationAndUnavailableTimesAreAvoided) {
  ScenarioBuilder b = OneClerk();
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T12:00");
  domain::Appointment& dealer = b.Appointment("dealer", "halle", "kfz", "2026-01-27T12:00");
  dealer.cases = 4;
  dealer.unavailable = {{Local("2026-01-28T07:00"), Local("2026-01-28T09:00")}};
  domain::Plan plan = SolveAndCheck(b.Build());
  const domain::Assignment& x = Find(plan, "dealer");
  EXPECT_EQ(x.time.start, Local("2026-01-28T09:00"));  // touching the end point is allowed
  EXPECT_EQ(x.time.end, Local("2026-01-28T10:00"));
}

TEST(SolverTest, OfficeChangeOnlyWhenItPaysOff) {
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-14T00:00");
  b.Office("a").Office("b").Service("kfz", 15).Clerk("anna", {"kfz"}).Clerk("ben", {"kfz"});
  b.Shift("anna", "a", "2026-01-28T08:00", "2026-01-28T08:15");
  b.Shift("anna", "a", "2026-01-30T08:00", "2026-01-30T08:15");  // two days later: 48 h delay
  b.Shift("ben", "b", "2026-01-28T08:00", "2026-01-28T08:15");
  b.Shift("ben", "b", "2026-01-28T08:15", "2026-01-28T08:30");
  domain::Appointment& x = b.Appointment("x", "a", "kfz", "2026-01-27T12:00");
  x.allowed_offices = {"a", "b"};
  domain::Appointment& y = b.Appointment("y", "a", "kfz", "2026-01-27T12:05");
  y.allowed_offices = {"a", "b"};
  y.priority = 3;
  b.Appointment("z", "a", "kfz", "2026-01-27T12:10").allowed_offices = {"a", "b"};
  domain::Plan plan = SolveAndCheck(b.Build());
  // Several plans cost 136, e.g. y at home (24), x at b (8 + 48) and z at home two days later
  // (56), or y at b (3 x 8 + 48), x at home (8) and z at home later (56). All change one office;
  // sending two appointments to b costs at least 56.25 more than keeping one at home.
  EXPECT_NEAR(plan.summary.objective, 136.0, 1e-9);
  EXPECT_EQ(plan.summary.office_changes, 1);
  EXPECT_EQ(plan.summary.fcfs_inversions, 0);
}

TEST(SolverTest, NoStraddlingOfBackToBackShiftsAndRealMinutesAcrossDst) {
  ScenarioBuilder b("2026-03-28T00:00", "2026-04-03T00:00");
  b.Office("halle").Service("kfz", 60).Clerk("anna", {"kfz"});
  // DST starts on 29 March at 02:00: the night has 23 hours.
  b.Shift("anna", "halle", "2026-03-29T08:00", "2026-03-29T09:30");
  b.Shift("anna", "halle", "2026-03-29T09:30", "2026-03-29T11:00");
  b.Booking("b", "anna", "2026-03-29T08:00", "2026-03-29T09:00");
  b.Appointment("a", "halle", "kfz", "2026-03-27T12:00");
  domain::Plan plan = SolveAndCheck(b.Build());
  const domain::Assignment& x = Find(plan, "a");
  EXPECT_EQ(x.time.start, Local("2026-03-29T09:30"));  // 09:00 would straddle into shift two
  // 2026-03-28T00:00 to 2026-03-29T09:30 is 32.5 real hours (the wall clock says 33.5).
  EXPECT_NEAR(x.cost, 32.5, 1e-9);
}

TEST(SolverTest, SkillsAreRespected) {
  ScenarioBuilder b = OneClerk();
  b.Service("visa", 30).Clerk("ben", {"visa"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  b.Shift("ben", "halle", "2026-01-28T10:00", "2026-01-28T11:00");
  b.Appointment("v", "halle", "visa", "2026-01-27T12:00");
  domain::Plan plan = SolveAndCheck(b.Build());
  EXPECT_EQ(Find(plan, "v").clerk_id, "ben");
}

TEST(SolverTest, RandomInstancesPassTheCheckerAndRespectTheBound) {
  for (std::uint64_t seed : {1, 2, 3}) {
    testing::RandomScenarioOptions o;
    o.seed = seed;
    o.appointments = 100 + 40 * static_cast<int>(seed);
    o.offices = 1 + static_cast<int>(seed % 3);
    domain::Scenario s = testing::RandomScenario(o);
    SolveOptions options;
    options.improve_effort = 1;
    options.improve_patience = 300;
    domain::Plan plan = SolveAndCheck(s, options);
    ASSERT_TRUE(plan.summary.lower_bound.has_value());
    EXPECT_LT(*plan.summary.gap, 0.25) << "seed " << seed;
  }
}

// Tight deadlines (varied family): CBC's optimum places one appointment more than a search made
// of single moves could. varied-35-s10: the deadline job's only slot holds three jobs that must
// go to another office, whose jobs then shift (Admit); varied-65-s4: a chain of five moves
// (Rescue, three levels). Optima from `rebook-solver-bench --random N --seed S --shape varied
// --cbc` (CBC 2.10, proven optimal); the solver runs with the bench's seed.
TEST(SolverTest, TightDeadlinesReachCbcsOptimumOnVariedInstances) {
  struct Case {
    std::uint64_t seed;
    int appointments;
    double optimum;
  };
  for (const Case& c : {Case{10, 35, 201650.6}, Case{4, 65, 901926.6}}) {
    SolveOptions options;
    options.seed = c.seed;
    const domain::Plan plan =
        SolveAndCheck(testing::VariedScenario(c.seed, c.appointments), options);
    EXPECT_LE(plan.summary.objective, 1.005 * c.optimum)
        << "varied-" << c.appointments << "-s" << c.seed;
  }
}

// Fragmented windows (varied-35-s1): CBC's optimum (1,293.17) moves one long job five days later
// so that five jobs waiting two days take its time; no single move pays for the first step. The
// closing pass's PostponePass reaches 1,298.5 (+0.41 %; 1,313.0 without it).
TEST(SolverTest, PostponingALongJobLetsWaitingJobsMoveUp) {
  SolveOptions options;
  options.seed = 1;
  const domain::Plan plan = SolveAndCheck(testing::VariedScenario(1, 35), options);
  EXPECT_LE(plan.summary.objective, 1.005 * 1293.17);
}

TEST(SolverTest, SameSeedSamePlan) {
  testing::RandomScenarioOptions o;
  o.appointments = 120;
  domain::Scenario s = testing::RandomScenario(o);
  SolveOptions options;
  options.seed = 9;
  options.improve_effort = 1;
  absl::StatusOr<domain::Plan> a = Solve(s, options), b = Solve(s, options);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->assignments, b->assignments);
}

TEST(SolverTest, ExpiredBudgetStillGivesAFeasiblePlanAndProgressIsMonotone) {
  testing::RandomScenarioOptions o;
  o.appointments = 120;
  domain::Scenario s = testing::RandomScenario(o);
  ManualTimeBudget budget(1.0);
  budget.Advance(2.0);
  SolveOptions options;
  options.budget = &budget;
  std::vector<double> fractions;
  options.progress = [&](const SolveProgress& p) { fractions.push_back(p.fraction); };
  domain::Plan plan = SolveAndCheck(s, options);
  EXPECT_GT(plan.summary.assigned, 0);
  ASSERT_GE(fractions.size(), 3u);
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_EQ(fractions.back(), 1.0);
  EXPECT_NEAR(plan.summary.solve_seconds, 0.0, 1e-12);
}

// Above threshold_accepting_max_jobs (20,000 by default) the search keeps no copy of its best
// plan; its progress messages reported the construction's objective until the end. Here the
// limit is lowered so that a small instance takes that path.
TEST(SolverTest, ProgressFollowsTheSearchWithoutThresholdAccepting) {
  testing::RandomScenarioOptions o;
  o.appointments = 1500;
  o.offices = 3;
  o.days = 10;
  const domain::Scenario s = testing::RandomScenario(o);
  SolveOptions options;
  options.threshold_accepting_max_jobs = 0;
  options.min_relative_gain = 0;  // run past the first 4,096 neighbourhoods
  options.target_gap = -1;
  std::vector<double> improve;
  options.progress = [&](const SolveProgress& p) {
    if (p.phase == "improve") improve.push_back(p.objective);
  };
  const domain::Plan plan = SolveAndCheck(s, options);
  ASSERT_GE(improve.size(), 3u);  // at neighbourhoods 0 and 4,096, and after the search
  EXPECT_TRUE(std::is_sorted(improve.rbegin(), improve.rend()));
  EXPECT_LT(improve[1], improve[0]);
  EXPECT_LE(plan.summary.objective, improve.back() + 1e-6);
}

// A generous budget is capped by the instance's own limit: once that much time has passed since
// the budget started (the manual clock jumps when the bound is done), the search is skipped as if
// the budget had run out. The cap counts from the budget's start, as the caller's limit does (the
// CLI's budget starts before it reads the bundle), not from the start of the solve.
TEST(SolverTest, AutoTimeLimitCapsAGenerousBudget) {
  testing::RandomScenarioOptions o;
  o.appointments = 120;
  const domain::Scenario s = testing::RandomScenario(o);
  EXPECT_NEAR(AutoTimeLimitSeconds(100000), 30.0, 1e-9);
  EXPECT_NEAR(AutoTimeLimitSeconds(1000000), 80.0, 1e-9);
  for (bool capped : {true, false}) {
    ManualTimeBudget budget(1e6);
    budget.Advance(5.0);  // reading the input, before the solve
    SolveOptions options;
    options.budget = &budget;
    options.auto_time_limit = capped;
    options.target_gap = -1;  // never proven good enough: the search runs unless time is up
    bool improved = false;
    options.progress = [&](const SolveProgress& p) {
      // 1 s past the cap counted from the budget's start, 4 s before it counted from the solve's.
      if (p.phase == "bound") budget.Advance(AutoTimeLimitSeconds(s.appointments.size()) - 4);
      improved |= p.phase == "improve";
    };
    SolveAndCheck(s, options);
    EXPECT_EQ(improved, !capped) << "capped " << capped;
  }
}

// When the budget cuts the relaxations short, the bound still holds the unassigned cost no plan
// can avoid (before the capacity bound, the reported gap was 93-100 % here; now 25-27 %, of a
// plan that is only constructed, not improved).
TEST(SolverTest, CutShortBoundKeepsTheUnavoidableUnassignedCost) {
  testing::RandomScenarioOptions o;
  o.appointments = 300;
  o.offices = 1;
  o.days = 2;
  o.seed = 3;
  const domain::Scenario s = testing::RandomScenario(o);
  for (double lp_max_work : {2e6, 0.0}) {  // the LP and the fluid path
    ManualTimeBudget budget(1.0);
    budget.Advance(2.0);
    SolveOptions options;
    options.budget = &budget;
    options.lp_max_work = lp_max_work;
    domain::Plan plan = SolveAndCheck(s, options);
    EXPECT_GT(plan.summary.unassigned, 100);
    ASSERT_TRUE(plan.summary.gap.has_value());
    EXPECT_LT(*plan.summary.gap, 0.35) << "lp_max_work " << lp_max_work;
  }
}

// Jobs that fit no window (no qualified clerk, longer than every window) are in the bound exactly.
TEST(SolverTest, JobsThatFitNowhereAreInTheBound) {
  ScenarioBuilder b = OneClerk();
  b.Service("pass", 30);
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  b.Appointment("k1", "halle", "kfz", "2026-01-27T12:00");
  b.Appointment("long", "halle", "kfz", "2026-01-27T12:00").cases = 5;  // 75 > 60 minutes
  b.Appointment("pass", "halle", "pass", "2026-01-27T12:00").priority = 4;
  for (double lp_max_work : {2e6, 0.0}) {
    SolveOptions options;
    options.lp_max_work = lp_max_work;
    domain::Plan plan = SolveAndCheck(b.Build(), options);
    EXPECT_EQ(plan.summary.unassigned, 2);
    ASSERT_TRUE(plan.summary.gap.has_value());
    EXPECT_LT(*plan.summary.gap, 1e-6) << "lp_max_work " << lp_max_work;
  }
}

TEST(SolverTest, EmptyScenario) {
  ScenarioBuilder b = OneClerk();
  domain::Plan plan = SolveAndCheck(b.Build());
  EXPECT_EQ(plan.summary.objective, 0);
  EXPECT_TRUE(plan.assignments.empty());
}

}  // namespace
}  // namespace rebook::solver
