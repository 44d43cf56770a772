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
