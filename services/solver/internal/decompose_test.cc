#include "services/solver/internal/decompose.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <mutex>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/solver/plan_checker.h"
#include "services/solver/solver.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::solver::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

std::vector<std::string> OfficeIds(const domain::Scenario& s) {
  std::vector<std::string> ids;
  for (const domain::Office& o : s.offices) ids.push_back(o.id);
  return ids;
}

TEST(SplitScenarioTest, OfficesSharedByClerksOrAppointmentsStayInOnePart) {
  testing::ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Office("merseburg").Office("leipzig").Office("borna").Office("zeitz");
  b.Service("kfz", 15).Clerk("anna", {"kfz"}).Clerk("bob", {"kfz"}).Clerk("carl", {"kfz"});
  b.Clerk("dora", {"kfz"});
  // anna and bob share halle's office-days (rule 6): one part with merseburg, where bob works too.
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T12:00");
  b.Shift("bob", "halle", "2026-01-29T08:00", "2026-01-29T12:00");
  b.Shift("bob", "merseburg", "2026-01-30T08:00", "2026-01-30T12:00");
  b.Booking("b1", "anna", "2026-01-28T08:00", "2026-01-28T09:00");
  // leipzig and borna are linked by an appointment only.
  b.Shift("carl", "borna", "2026-01-28T08:00", "2026-01-28T12:00");
  b.Shift("dora", "zeitz", "2026-01-28T08:00", "2026-01-28T12:00");  // no appointment: no part
  b.Closure("halle", "2026-01-29");
  b.Appointment("a1", "halle", "kfz", "2026-01-27T09:00");
  b.Appointment("a2", "leipzig", "kfz", "2026-01-27T09:00").allowed_offices = {"borna"};
  b.Appointment("a3", "merseburg", "kfz", "2026-01-27T10:00");
  b.Appointment("a4", "halle", "kfz", "2026-01-27T11:00");
  const domain::Scenario s = b.Build();

  const std::vector<ScenarioPart> parts = SplitScenario(s);
  ASSERT_EQ(parts.size(), 2u);
  // Fewest appointments first.
  const domain::Scenario first = PartScenario(s, parts[0]);
  EXPECT_THAT(OfficeIds(first), UnorderedElementsAre("leipzig", "borna"));
  EXPECT_THAT(parts[0].appointments, ElementsAre(1));
  ASSERT_EQ(first.appointments.size(), 1u);
  EXPECT_EQ(first.appointments[0].id, "a2");
  ASSERT_EQ(first.clerks.size(), 1u);
  EXPECT_EQ(first.clerks[0].id, "carl");
  const domain::Scenario second = PartScenario(s, parts[1]);
  EXPECT_THAT(OfficeIds(second), UnorderedElementsAre("halle", "merseburg"));
  EXPECT_THAT(parts[1].appointments, ElementsAre(0, 2, 3));
  EXPECT_EQ(second.clerks.size(), 2u);
  EXPECT_EQ(second.shifts.size(), 3u);
  EXPECT_EQ(second.bookings.size(), 1u);
  EXPECT_EQ(second.closures.size(), 1u);
  EXPECT_EQ(second.services, s.services);
}

// An office that no appointment links into a part still has its time zone checked.
TEST(SplitScenarioTest, AnInvalidOfficeOutsideEveryPartIsStillReported) {
  testing::ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Office("borna").Office("zeitz").Service("kfz", 15);
  b.Clerk("anna", {"kfz"}).Clerk("carl", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T12:00");
  b.Shift("carl", "borna", "2026-01-28T08:00", "2026-01-28T12:00");
  b.Appointment("a1", "halle", "kfz", "2026-01-27T09:00");
  b.Appointment("a2", "borna", "kfz", "2026-01-27T09:00");
  domain::Scenario s = b.Build();
  s.offices.back().time_zone = "Europe/Atlantis";
  ASSERT_EQ(SplitScenario(s).size(), 2u);
  SolveOptions options;
  options.decompose_min_appointments = 0;
  absl::StatusOr<domain::Plan> plan = Solve(s, options);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument) << plan.status();
  EXPECT_NE(plan.status().message().find("Europe/Atlantis"), absl::string_view::npos)
      << plan.status();
}

TEST(SplitScenarioTest, AnUnresolvedReferenceGivesNoPartsAndTheWholeSolveReportsIt) {
  testing::ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Office("borna").Service("kfz", 15).Clerk("anna", {"kfz"});
  b.Clerk("carl", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T12:00");
  b.Shift("carl", "borna", "2026-01-28T08:00", "2026-01-28T12:00");
  b.Appointment("a1", "halle", "kfz", "2026-01-27T09:00");
  b.Appointment("a2", "borna", "kfz", "2026-01-27T09:00").allowed_offices = {"nowhere"};
  const domain::Scenario s = b.Build();
  EXPECT_TRUE(SplitScenario(s).empty());
  SolveOptions options;
  options.decompose_min_appointments = 0;
  EXPECT_EQ(Solve(s, options).status().code(), absl::StatusCode::kInvalidArgument);
}

// A random scenario and a renamed copy of it, their appointments interleaved.
domain::Scenario TwoIndependentHalves(int appointments = 120) {
  testing::RandomScenarioOptions o;
  o.seed = 4;
  o.appointments = appointments;
  const domain::Scenario a = testing::RandomScenario(o);
  domain::Scenario b = a;
  auto rename = [](std::string& id) {
    if (!id.empty()) id = "copy-" + id;
  };
  for (domain::Office& x : b.offices) rename(x.id);
  for (domain::Clerk& x : b.clerks) rename(x.id);
  for (domain::Shift& x : b.shifts) rename(x.id), rename(x.clerk_id), rename(x.office_id);
  for (domain::Closure& x : b.closures) rename(x.office_id);
  for (domain::StandingBooking& x : b.bookings) {
    rename(x.id), rename(x.clerk_id), rename(x.office_id);
  }
  for (domain::Appointment& x : b.appointments) {
    rename(x.id), rename(x.office_id);
    for (std::string& id : x.allowed_offices) rename(id);
  }
  domain::Scenario whole = a;
  whole.appointments.clear();
  for (std::size_t i = 0; i < a.appointments.size(); ++i) {
    whole.appointments.push_back(a.appointments[i]);
    whole.appointments.push_back(b.appointments[i]);
  }
  for (auto& x : b.offices) whole.offices.push_back(x);
  for (auto& x : b.clerks) whole.clerks.push_back(x);
  for (auto& x : b.shifts) whole.shifts.push_back(x);
  for (auto& x : b.closures) whole.closures.push_back(x);
  for (auto& x : b.bookings) whole.bookings.push_back(x);
  return whole;
}

TEST(SolveByPartsTest, TheJoinedPlanIsValidAndEqualsThePartsSolvedAlone) {
  const domain::Scenario s = TwoIndependentHalves();
  const std::vector<ScenarioPart> parts = SplitScenario(s);
  ASSERT_EQ(parts.size(), 2u);
  SolveOptions options;
  options.seed = 3;
  options.improve_effort = 1;
  options.decompose_min_appointments = 0;
  std::vector<double> fractions;
  options.progress = [&](const SolveProgress& p) { fractions.push_back(p.fraction); };
  absl::StatusOr<domain::Plan> plan = Solve(s, options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_EQ(fractions.back(), 1.0);

  absl::StatusOr<CheckReport> check = CheckPlan(s, plan->assignments);
  ASSERT_TRUE(check.ok()) << check.status();
  for (const Violation& v : check->violations) ADD_FAILURE() << v.message;
  EXPECT_NEAR(check->objective, plan->summary.objective, 1e-6 * check->objective);

  options.progress = nullptr;
  double objective = 0, bound = 0;
  std::int64_t unassigned = 0;
  for (const ScenarioPart& part : parts) {
    absl::StatusOr<domain::Plan> alone = Solve(PartScenario(s, part), options);
    ASSERT_TRUE(alone.ok()) << alone.status();
    for (std::size_t k = 0; k < part.appointments.size(); ++k) {
      EXPECT_EQ(plan->assignments[part.appointments[k]], alone->assignments[k]);
    }
    objective += alone->summary.objective;
    bound += alone->summary.lower_bound.value_or(-1e18);
    unassigned += alone->summary.unassigned;
  }
  EXPECT_NEAR(plan->summary.objective, objective, 1e-6 * objective);
  EXPECT_EQ(plan->summary.unassigned, unassigned);
  ASSERT_TRUE(plan->summary.lower_bound.has_value());
  EXPECT_NEAR(*plan->summary.lower_bound, bound, 1e-6 * objective);
}

// Without a bound and a search, the whole scenario's construction places each half as the part's
// does (the halves are alike, so even its choice among passes agrees): the joined plan must be
// the whole plan, its summary the whole plan's report (shortfall, suggested shifts, FCFS).
TEST(SolveByPartsTest, TheJoinedSummaryEqualsTheWholePlansReport) {
  const domain::Scenario s = TwoIndependentHalves(/*appointments=*/400);
  ASSERT_EQ(SplitScenario(s).size(), 2u);
  SolveOptions options;
  options.compute_lower_bound = false;
  options.improve_effort = 0;
  options.decompose_min_appointments = std::numeric_limits<int>::max();
  absl::StatusOr<domain::Plan> whole = Solve(s, options);
  options.decompose_min_appointments = 0;
  absl::StatusOr<domain::Plan> joined = Solve(s, options);
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_TRUE(joined.ok()) << joined.status();
  absl::StatusOr<CheckReport> check = CheckPlan(s, joined->assignments);
  ASSERT_TRUE(check.ok()) << check.status();
  for (const Violation& v : check->violations) ADD_FAILURE() << v.message;

  EXPECT_EQ(joined->assignments, whole->assignments);
  const domain::PlanSummary& a = joined->summary;
  const domain::PlanSummary& b = whole->summary;
  ASSERT_GT(b.unassigned, 0);  // the scenario must exercise the shortfall
  ASSERT_FALSE(b.suggested_shifts.empty());
  EXPECT_NEAR(a.objective, b.objective, 1e-9 * b.objective);
  EXPECT_NEAR(a.parts.delay, b.parts.delay, 1e-9 * b.objective);
  EXPECT_EQ(a.parts.unassigned, b.parts.unassigned);
  EXPECT_EQ(a.assigned, b.assigned);
  EXPECT_EQ(a.unassigned, b.unassigned);
  EXPECT_NEAR(a.mean_delay_minutes, b.mean_delay_minutes, 1e-9 * b.mean_delay_minutes);
  EXPECT_EQ(a.max_delay_minutes, b.max_delay_minutes);
  EXPECT_EQ(a.office_changes, b.office_changes);
  EXPECT_EQ(a.overtime_minutes, b.overtime_minutes);
  EXPECT_EQ(a.fcfs_inversions, b.fcfs_inversions);
  EXPECT_EQ(a.shortfall, b.shortfall);
  EXPECT_EQ(a.suggested_shifts, b.suggested_shifts);
  EXPECT_FALSE(a.lower_bound.has_value());
  EXPECT_FALSE(a.gap.has_value());
}

// TwoIndependentHalves(60) and a third part: a copy of the whole under other ids, so that a
// worker finds work left.
domain::Scenario ThreeParts() {
  domain::Scenario s = TwoIndependentHalves(/*appointments=*/60);
  domain::Scenario copy = s;
  auto rename = [](std::string& id) {
    if (!id.empty()) id = "third-" + id;
  };
  for (domain::Office& x : copy.offices) rename(x.id);
  for (domain::Clerk& x : copy.clerks) rename(x.id);
  for (domain::Shift& x : copy.shifts) rename(x.id), rename(x.clerk_id), rename(x.office_id);
  for (domain::Closure& x : copy.closures) rename(x.office_id);
  for (domain::StandingBooking& x : copy.bookings) {
    rename(x.id), rename(x.clerk_id), rename(x.office_id);
  }
  for (domain::Appointment& x : copy.appointments) {
    rename(x.id), rename(x.office_id);
    for (std::string& id : x.allowed_offices) rename(id);
    x.priority = 1 + x.priority % 10;  // not alike: the third part's plan differs
  }
  s.offices.insert(s.offices.end(), copy.offices.begin(), copy.offices.end());
  s.clerks.insert(s.clerks.end(), copy.clerks.begin(), copy.clerks.end());
  s.shifts.insert(s.shifts.end(), copy.shifts.begin(), copy.shifts.end());
  s.closures.insert(s.closures.end(), copy.closures.begin(), copy.closures.end());
  s.bookings.insert(s.bookings.end(), copy.bookings.begin(), copy.bookings.end());
  s.appointments.insert(s.appointments.end(), copy.appointments.begin(), copy.appointments.end());
  return s;
}

// Two workers take the parts in turn (which one gets which depends on timing); the plan, its
// summary included, must be the one a single worker gives, and progress stays monotone.
TEST(SolveByPartsTest, TwoThreadsGiveTheSamePlanAsOne) {
  const domain::Scenario s = ThreeParts();
  ASSERT_GE(SplitScenario(s).size(), 3u);
  SolveOptions options;
  options.improve_effort = 1;
  options.decompose_min_appointments = 0;
  options.part_threads = 1;
  absl::StatusOr<domain::Plan> one = Solve(s, options);
  ASSERT_TRUE(one.ok()) << one.status();
  options.part_threads = 2;
  std::vector<double> fractions;
  options.progress = [&](const SolveProgress& p) { fractions.push_back(p.fraction); };
  absl::StatusOr<domain::Plan> two = Solve(s, options);
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_EQ(two->assignments, one->assignments);
  EXPECT_EQ(two->summary, one->summary);
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_EQ(fractions.back(), 1.0);
  absl::StatusOr<CheckReport> check = CheckPlan(s, two->assignments);
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->violations.empty());
}

// A scenario given away (Solve(Scenario&&)) is solved by parts taken out of it: the same plan
// as from a copy, on two workers, and the offices, services and clerks are left for the caller.
TEST(SolveByPartsTest, AScenarioGivenAwayGivesTheSamePlanAndKeepsItsOffices) {
  const domain::Scenario s = ThreeParts();
  SolveOptions options;
  options.improve_effort = 1;
  options.decompose_min_appointments = 0;
  absl::StatusOr<domain::Plan> kept = Solve(s, options);
  ASSERT_TRUE(kept.ok()) << kept.status();
  domain::Scenario given = s;
  absl::StatusOr<domain::Plan> taken = Solve(std::move(given), options);
  ASSERT_TRUE(taken.ok()) << taken.status();
  EXPECT_EQ(taken->assignments, kept->assignments);
  EXPECT_EQ(taken->summary, kept->summary);
  EXPECT_EQ(given.offices, s.offices);
  EXPECT_EQ(given.services, s.services);
  EXPECT_EQ(given.clerks, s.clerks);
  EXPECT_TRUE(given.appointments.empty());
}

// The diagnostics log has one line per part (on two threads too), each naming the part, its
// bound and the method that gave it, so that a gap can be traced to its parts.
TEST(SolveByPartsTest, TheLogHasALinePerPartWithItsBoundAndMethod) {
  const domain::Scenario s = ThreeParts();
  const std::size_t parts = SplitScenario(s).size();
  ASSERT_GE(parts, 3u);
  SolveOptions options;
  options.improve_effort = 1;
  options.decompose_min_appointments = 0;
  std::vector<std::string> lines;
  options.log = [&](const std::string& line) { lines.push_back(line); };
  absl::StatusOr<domain::Plan> plan = Solve(s, options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(lines.size(), parts);
  std::sort(lines.begin(), lines.end());
  for (std::size_t i = 0; i < parts; ++i) {
    EXPECT_NE(lines[i].find(absl::StrCat("part ", i + 1, "/", parts, ": ")), std::string::npos)
        << lines[i];
    EXPECT_NE(lines[i].find(" bound "), std::string::npos) << lines[i];
    EXPECT_EQ(lines[i].find(" by - "), std::string::npos) << lines[i];
  }
}

// With a cap below two parts' appointments, the second worker never starts a part while another
// is in flight (each part's solve is slowed so that the workers would overlap without the cap),
// and the plan is still the one a single worker gives.
TEST(SolveByPartsTest, PartsOverTheInFlightCapRunOneAtATime) {
  const domain::Scenario s = ThreeParts();
  const std::vector<ScenarioPart> parts = SplitScenario(s);
  ASSERT_GE(parts.size(), 3u);
  std::size_t largest = 0;
  for (const ScenarioPart& p : parts) largest = std::max(largest, p.appointments.size());
  SolveOptions options;
  options.improve_effort = 1;
  options.part_threads = 1;
  std::mutex mu;
  std::size_t in_flight = 0, max_in_flight = 0;
  const PartSolver solve = [&](const domain::Scenario& part, const SolveOptions& po) {
    {
      std::lock_guard<std::mutex> lock(mu);
      in_flight += part.appointments.size();
      max_in_flight = std::max(max_in_flight, in_flight);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    absl::StatusOr<domain::Plan> plan = Solve(part, po);
    std::lock_guard<std::mutex> lock(mu);
    in_flight -= part.appointments.size();
    return plan;
  };
  absl::StatusOr<domain::Plan> one = SolveParts(s, parts, options, 1, 0, 1, solve);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(max_in_flight, largest);

  options.part_threads = 2;
  options.part_in_flight_max_appointments =
      static_cast<int>(parts[0].appointments.size() + parts[1].appointments.size() - 1);
  max_in_flight = 0;
  absl::StatusOr<domain::Plan> capped = SolveParts(s, parts, options, 1, 0, 1, solve);
  ASSERT_TRUE(capped.ok()) << capped.status();
  EXPECT_EQ(max_in_flight, largest);
  EXPECT_EQ(capped->assignments, one->assignments);
  EXPECT_EQ(capped->summary, one->summary);
}

// With a budget, parts above 1,000 appointments bound on the side thread whatever the load (the
// path and so the plan of a part no longer depend on how fast the parts before it went); the
// last part's share leaves out what the parts before ran over theirs per appointment, so that
// its own overrun does not end the run late. One worker and a manual clock that the solve
// advances: the first part runs 1 s over its share.
TEST(SolveByPartsTest, LargePartsTakeTheSidePathAndTheLastShareLeavesRoomForItsOverrun) {
  const domain::Scenario s = TwoIndependentHalves(/*appointments=*/1001);
  const std::vector<ScenarioPart> parts = SplitScenario(s);
  ASSERT_EQ(parts.size(), 2u);
  ASSERT_GT(parts[0].appointments.size(), 1000u);
  ManualTimeBudget budget(100);
  SolveOptions options;
  options.budget = &budget;
  options.part_threads = 1;
  options.improve_effort = 0;
  options.compute_lower_bound = false;
  std::vector<int> paths;
  std::vector<double> shares;
  const PartSolver solve = [&](const domain::Scenario& part, const SolveOptions& po) {
    paths.push_back(po.bound_max_appointments);
    shares.push_back(po.budget->LimitSeconds());
    absl::StatusOr<domain::Plan> plan = Solve(part, po);
    budget.Advance(shares.back() + (shares.size() == 1 ? 1.0 : 0.0));
    return plan;
  };
  absl::StatusOr<domain::Plan> plan = SolveParts(s, parts, options, 0.97, 0, 1, solve);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(paths, ElementsAre(0, 0));
  ASSERT_EQ(shares.size(), 2u);
  const double n0 = static_cast<double>(parts[0].appointments.size());
  const double n1 = static_cast<double>(parts[1].appointments.size());
  EXPECT_NEAR(shares[0], 97 * n0 / (n0 + n1), 1e-9);
  const double time_left = 97 - shares[0] - 1.0;
  EXPECT_NEAR(shares[1], time_left - 1.0 / n0 * n1, 1e-9);

  // Without a budget every part takes the relaxation path (the plan is deterministic).
  options.budget = nullptr;
  paths.clear();
  shares.clear();
  const PartSolver unbudgeted = [&](const domain::Scenario& part, const SolveOptions& po) {
    paths.push_back(po.bound_max_appointments);
    return Solve(part, po);
  };
  ASSERT_TRUE(SolveParts(s, parts, options, 0.97, 0, 1, unbudgeted).ok());
  EXPECT_THAT(paths, ElementsAre(SolveOptions().bound_max_appointments,
                                 SolveOptions().bound_max_appointments));
}

}  // namespace
}  // namespace rebook::solver::internal
