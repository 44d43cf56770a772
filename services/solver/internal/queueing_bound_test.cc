#include "services/solver/internal/queueing_bound.h"

#include <numeric>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/domain/calendar.h"
#include "services/solver/internal/capacity_bound.h"
#include "services/solver/solver.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::solver::internal {
namespace {

using testing::ScenarioBuilder;

struct Built {
  domain::Scenario scenario;
  domain::ShiftCalendar calendar;
  Problem problem;
};

std::unique_ptr<Built> Build(const ScenarioBuilder& b) {
  auto out = std::make_unique<Built>();
  out->scenario = b.Build();
  absl::StatusOr<domain::ShiftCalendar> cal = domain::ShiftCalendar::Build(out->scenario);
  EXPECT_TRUE(cal.ok());
  out->calendar = std::move(*cal);
  absl::StatusOr<Problem> p = BuildProblem(out->scenario, out->calendar, {});
  EXPECT_TRUE(p.ok());
  out->problem = std::move(*p);
  return out;
}

std::vector<int> All(int n) {
  std::vector<int> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

// One clerk, two mornings of four hours, twelve 30-minute jobs of priorities 1..4 released at the
// horizon start: they queue. Each alone starts at 08:00 (the capacity bound's a_j), but only
// eight fit on the first morning, so the plan pays at least the hours they wait for each other.
ScenarioBuilder Queue() {
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("pass", 30).Clerk("ben", {"pass"});
  b.Shift("ben", "halle", "2026-01-28T08:00", "2026-01-28T12:00");
  b.Shift("ben", "halle", "2026-01-29T08:00", "2026-01-29T12:00");
  for (int i = 0; i < 12; ++i) {
    b.Appointment("p" + std::to_string(i), "halle", "pass", "2026-01-27T12:00").priority =
        1 + i % 4;
  }
  return b;
}

TEST(QueueingBoundTest, CountsTheWaitOfJobsForTheSameMinutes) {
  const std::unique_ptr<Built> q = Build(Queue());
  const Problem& p = q->problem;
  const CapacityBound capacity = ComputeCapacityBound(p);
  const double queue = ComputeQueueingBound(p, All(p.jobs.size()), All(p.windows.size()));
  // Priorities 1..4, three each (sum 30): alone each starts 8 h after the release.
  EXPECT_NEAR(capacity.placement, 30 * 8, 1e-6);
  // Nothing runs short, so that is all the capacity bound saw; with the wait in one-hour
  // buckets it is 363 (the optimum, by Smith's rule, is 400: see below).
  EXPECT_NEAR(capacity.shortfall_cost, 0, 1e-6);
  EXPECT_NEAR(queue, 363, 1e-3);
  EXPECT_NEAR(capacity.lower_bound, queue, 1e-6 * queue);
  EXPECT_NEAR(capacity.queue_cost, 363 - 240, 1e-3);

  // And it stays below the optimum: the solver's plan (no better plan exists than WSPT here,
  // which the solver finds) costs at least it.
  SolveOptions o;
  absl::StatusOr<domain::Plan> plan = Solve(q->scenario, o);
  ASSERT_TRUE(plan.ok());
  EXPECT_LE(queue, plan->summary.objective + 1e-6);
  EXPECT_NEAR(plan->summary.objective, 400, 1e-6);
}

// Births due within the first hour (six of 15 minutes for 60 minutes: two stay out) and passes
// without a deadline that queue behind them: the shortfall of the births and the wait of the
// passes are bounds on disjoint sets of jobs and count together, where the knapsack alone misses
// the wait and the queueing bound of all jobs misses the shortfall (its prices let the births
// in).
TEST(QueueingBoundTest, TheBirthsShortfallAndThePassesWaitAddUp) {
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Service("birth", 15).Service("pass", 30).Clerk("anna", {"birth", "pass"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  b.Shift("anna", "halle", "2026-01-29T08:00", "2026-01-29T12:00");
  for (int i = 0; i < 6; ++i) {
    domain::Appointment& a =
        b.Appointment("b" + std::to_string(i), "halle", "birth", "2026-01-27T12:00");
    a.priority = 10;
    a.deadline = testing::Local("2026-01-28T09:00");
  }
  std::vector<int> passes;
  for (int i = 0; i < 8; ++i) {
    b.Appointment("p" + std::to_string(i), "halle", "pass", "2026-01-27T12:00").priority = 2;
    passes.push_back(6 + i);
  }
  const std::unique_ptr<Built> q = Build(b);
  const Problem& p = q->problem;
  const CapacityBound capacity = ComputeCapacityBound(p);
  const std::vector<int> windows = All(p.windows.size());
  const double all = ComputeQueueingBound(p, All(p.jobs.size()), windows);
  const double waits = ComputeQueueingBound(p, passes, windows);
  const double u = 10 * domain::PlanParams{}.w_unassigned;
  // The births alone: four placed from 08:00 (8 h after the release) and two left out.
  const double births = 6 * 10 * 8 + 2 * (u - 10 * 8);
  // Alone each pass starts at 08:00 on the first day (cost 2 * 8); six of them wait a day.
  EXPECT_GT(waits, 3 * 8 * 2 * 8);
  EXPECT_LT(all, births + waits - 1);
  EXPECT_NEAR(capacity.lower_bound, births + waits, 1e-6 * capacity.lower_bound);
  EXPECT_GT(capacity.queue_cost, 8 * 2 * 4);

  SolveOptions o;
  absl::StatusOr<domain::Plan> plan = Solve(q->scenario, o);
  ASSERT_TRUE(plan.ok());
  EXPECT_LE(capacity.lower_bound, plan->summary.objective + 1e-6);
}

// The exact optimum by hand: with all jobs sharing one release, one clerk and no deadline, Smith's
// rule (priority order here, equal lengths) is optimal: starts 08:00, 08:30, ... then 08:00 the
// next day. The bound must not exceed it.
TEST(QueueingBoundTest, StaysBelowTheOptimumOfOneMachine) {
  const std::unique_ptr<Built> q = Build(Queue());
  const Problem& p = q->problem;
  std::vector<int> prio;
  for (const Job& j : p.jobs) prio.push_back(j.priority);
  std::sort(prio.rbegin(), prio.rend());
  double optimum = 0;
  for (int k = 0; k < 12; ++k) {
    const double hours = k < 8 ? 8 + 0.5 * k : 32 + 0.5 * (k - 8);
    optimum += prio[k] * hours;
  }
  EXPECT_NEAR(optimum, 400, 1e-9);
  for (int minutes : {5, 15, 30, 60, 240}) {
    QueueingOptions o;
    o.bucket_minutes = minutes;
    const double queue = ComputeQueueingBound(p, All(p.jobs.size()), All(p.windows.size()), o);
    EXPECT_LE(queue, optimum + 1e-6) << minutes;
    EXPECT_GT(queue, 30 * 8) << minutes;  // stronger than the jobs alone
  }
}

}  // namespace
}  // namespace rebook::solver::internal
