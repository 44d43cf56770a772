#include "services/solver/internal/decompose.h"

#include <string>

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
  EXPECT_THAT(OfficeIds(parts[0].scenario), UnorderedElementsAre("leipzig", "borna"));
  EXPECT_THAT(parts[0].appointments, ElementsAre(1));
  ASSERT_EQ(parts[0].scenario.clerks.size(), 1u);
  EXPECT_EQ(parts[0].scenario.clerks[0].id, "carl");
  EXPECT_THAT(OfficeIds(parts[1].scenario), UnorderedElementsAre("halle", "merseburg"));
  EXPECT_THAT(parts[1].appointments, ElementsAre(0, 2, 3));
  EXPECT_EQ(parts[1].scenario.clerks.size(), 2u);
  EXPECT_EQ(parts[1].scenario.shifts.size(), 3u);
  EXPECT_EQ(parts[1].scenario.bookings.size(), 1u);
  EXPECT_EQ(parts[1].scenario.closures.size(), 1u);
  EXPECT_EQ(parts[1].scenario.services, s.services);
}

// A random scenario and a renamed copy of it, their appointments interleaved.
domain::Scenario TwoIndependentHalves() {
  testing::RandomScenarioOptions o;
  o.seed = 4;
  o.appointments = 120;
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
    absl::StatusOr<domain::Plan> alone = Solve(part.scenario, options);
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

}  // namespace
}  // namespace rebook::solver::internal
