#include "services/solver/internal/schedule.h"

#include <limits>
#include <random>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/domain/calendar.h"
#include "services/solver/internal/search.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::solver::internal {
namespace {

absl::StatusOr<Problem> ProblemOf(const domain::Scenario& s) {
  absl::StatusOr<domain::ShiftCalendar> cal = domain::ShiftCalendar::Build(s);
  if (!cal.ok()) return cal.status();
  return BuildProblem(s, *cal, {});
}

TEST(ScheduleTest, FindTwoBestSlotsGivesTheRunnerUpInAnotherWindow) {
  // Anna works 08:00-09:00 and Ben 08:30-10:00; the job (15 min, priority 4) is released at
  // 08:00. Best: Anna 08:00 (cost 0). Runner-up in another window: Ben 08:30 (4 * 0.5 h = 2).
  testing::ScenarioBuilder b("2026-01-28T08:00", "2026-02-07T00:00");
  b.Office("halle").Service("kfz", 15).Clerk("anna", {"kfz"}).Clerk("ben", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  b.Shift("ben", "halle", "2026-01-28T08:30", "2026-01-28T10:00");
  b.Appointment("a", "halle", "kfz", "2026-01-27T12:00").priority = 4;
  b.Appointment("b", "halle", "kfz", "2026-01-27T12:00").priority = 4;
  absl::StatusOr<Problem> p = ProblemOf(b.Build());
  ASSERT_TRUE(p.ok()) << p.status();
  Schedule sched(*p);

  auto [best, second] = sched.FindTwoBestSlots(0);
  ASSERT_GE(best.window, 0);
  ASSERT_GE(second.window, 0);
  EXPECT_NE(best.window, second.window);
  EXPECT_EQ(best.start, 0);
  EXPECT_DOUBLE_EQ(best.cost, 0.0);
  EXPECT_EQ(second.start, 30);
  EXPECT_DOUBLE_EQ(second.cost, 2.0);
  EXPECT_DOUBLE_EQ(sched.FindBestSlot(0).cost, best.cost);

  // With b at Anna 08:00, the best is Anna 08:15 (cost 1), and the runner-up still Ben 08:30.
  sched.Place(1, best.window, 0);
  std::tie(best, second) = sched.FindTwoBestSlots(0);
  EXPECT_EQ(best.start, 15);
  EXPECT_DOUBLE_EQ(best.cost, 1.0);
  EXPECT_EQ(second.start, 30);
  EXPECT_DOUBLE_EQ(second.cost, 2.0);
}

TEST(ScheduleTest, FindTwoBestSlotsWithOneWindowHasNoRunnerUp) {
  testing::ScenarioBuilder b("2026-01-28T08:00", "2026-02-07T00:00");
  b.Office("halle").Service("kfz", 15).Clerk("anna", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  b.Appointment("a", "halle", "kfz", "2026-01-27T12:00");
  absl::StatusOr<Problem> p = ProblemOf(b.Build());
  ASSERT_TRUE(p.ok()) << p.status();
  Schedule sched(*p);
  auto [best, second] = sched.FindTwoBestSlots(0);
  EXPECT_GE(best.window, 0);
  EXPECT_LT(second.window, 0);
}

// The cheapest slot by looking at every window of the job's (office, service) lists.
double BruteForceBestCost(const Schedule& sched, int job) {
  const Problem& p = sched.problem();
  const Job& j = p.jobs[job];
  double best = std::numeric_limits<double>::infinity();
  for (int oi = j.offices_begin; oi < j.offices_end; ++oi) {
    for (int w : p.lists[p.ListIndex(p.job_offices[oi], j.service)]) {
      const int s = sched.EarliestStartIn(job, w, j.release);
      if (s >= 0) best = std::min(best, sched.SlotCost(job, w, s));
    }
  }
  return best;
}

TEST(ScheduleTest, BestSlotSearchAgreesWithAFullScanUnderTheReserve) {
  // A tight reserve makes office-days fill up, so the search must skip full office-days as well
  // as full windows; 400 random placements and removals check it against a scan of every window.
  testing::RandomScenarioOptions o;
  o.seed = 11;
  o.appointments = 80;
  o.reserve_share = 0.4;
  const domain::Scenario scenario = testing::RandomScenario(o);
  absl::StatusOr<Problem> p = ProblemOf(scenario);
  ASSERT_TRUE(p.ok()) << p.status();
  Schedule sched(*p);
  std::mt19937 rng(3);
  int placed = 0, compared = 0;
  for (int step = 0; step < 400; ++step) {
    const int job = static_cast<int>(rng() % p->jobs.size());
    if (sched.IsPlaced(job)) {
      sched.Remove(job);
      continue;
    }
    const Slot slot = sched.FindBestSlot(job);
    const double expected = BruteForceBestCost(sched, job);
    ++compared;
    if (slot.window < 0) {
      EXPECT_EQ(expected, std::numeric_limits<double>::infinity()) << "step " << step;
      continue;
    }
    EXPECT_DOUBLE_EQ(slot.cost, expected) << "step " << step;
    ASSERT_TRUE(sched.CanPlace(job, slot.window, slot.start));
    sched.Place(job, slot.window, slot.start);
    ++placed;
  }
  EXPECT_GT(placed, 50);
  EXPECT_GT(compared, 150);
}

// The office is full until x's deadline with b and c, due a day later, and the next day with d
// and e, which have no deadline; one slot is free on the third day. Only a chain places x:
// x takes b's slot, b takes d's, d moves to the third day (city left two births out so).
TEST(RescueTest, AChainTowardsLaterDeadlinesPlacesAJobDueSoon) {
  testing::ScenarioBuilder b("2026-01-28T08:00", "2026-02-07T00:00");
  b.Office("halle").Service("geburt", 30).Clerk("anna", {"geburt"}).ReserveShare(0);
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  b.Shift("anna", "halle", "2026-01-29T08:00", "2026-01-29T09:00");
  b.Shift("anna", "halle", "2026-01-30T08:00", "2026-01-30T08:30");
  for (const char* id : {"x", "b", "c", "d", "e"}) {
    domain::Appointment& a = b.Appointment(id, "halle", "geburt", "2026-01-27T12:00");
    const bool late = id[0] == 'd' || id[0] == 'e';
    a.priority = late ? 1 : 9;
    if (!late) a.deadline = testing::Local(id[0] == 'x' ? "2026-01-28T09:00" : "2026-01-29T09:00");
  }
  absl::StatusOr<Problem> p = ProblemOf(b.Build());
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->windows.size(), 3u);
  Schedule sched(*p);
  sched.Place(1, 0, 0);
  sched.Place(2, 0, 30);
  sched.Place(3, 1, 1440);
  sched.Place(4, 1, 1470);
  const double before = sched.total_cost();
  Improver improver(sched, 1);
  EXPECT_TRUE(improver.RescuePass());
  for (int j = 0; j < 5; ++j) EXPECT_TRUE(sched.IsPlaced(j)) << j;
  EXPECT_LT(sched.total_cost(), before - 0.5 * p->jobs[0].unassigned_cost);
}

// The same, one link longer: x (due day 1) -> b (due day 2) -> d (due day 3) -> f (due day 4)
// -> h (no deadline) -> the free slot on day 5. Ejected jobs are rescued 3 levels deep in the
// thorough pass on small instances (2 otherwise, which leaves x out here).
TEST(RescueTest, SmallInstancesFollowAChainOfFiveMoves) {
  testing::ScenarioBuilder b("2026-01-26T08:00", "2026-02-07T00:00");
  b.Office("halle").Service("geburt", 30).Clerk("anna", {"geburt"}).ReserveShare(0);
  for (const char* day : {"26", "27", "28", "29"}) {
    b.Shift("anna", "halle", absl::StrCat("2026-01-", day, "T08:00"),
            absl::StrCat("2026-01-", day, "T09:00"));
  }
  b.Shift("anna", "halle", "2026-01-30T08:00", "2026-01-30T08:30");
  // Due by the end of day k (0: x, due on day 1 itself); "" has no deadline.
  const std::vector<std::pair<const char*, const char*>> jobs = {
      {"x", "26"}, {"b", "27"}, {"c", "27"}, {"d", "28"}, {"e", "28"},
      {"f", "29"}, {"g", "29"}, {"h", ""},   {"i", ""}};
  for (const auto& [id, due] : jobs) {
    domain::Appointment& a = b.Appointment(id, "halle", "geburt", "2026-01-25T12:00");
    a.priority = due[0] == '\0' ? 1 : 9;
    if (due[0] != '\0') a.deadline = testing::Local(absl::StrCat("2026-01-", due, "T09:00"));
  }
  absl::StatusOr<Problem> p = ProblemOf(b.Build());
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->windows.size(), 5u);
  Schedule sched(*p);
  for (int j = 1; j < 9; ++j) {
    const int day = (j - 1) / 2;
    sched.Place(j, day, day * 1440 + 30 * ((j - 1) % 2));
  }
  const double before = sched.total_cost();
  Improver improver(sched, 1);
  EXPECT_TRUE(improver.RescuePass(/*thorough=*/true));
  for (int j = 0; j < 9; ++j) EXPECT_TRUE(sched.IsPlaced(j)) << j;
  EXPECT_LT(sched.total_cost(), before - 0.5 * p->jobs[0].unassigned_cost);
}

}  // namespace
}  // namespace rebook::solver::internal
