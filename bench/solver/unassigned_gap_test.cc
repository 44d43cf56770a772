// The solver's plan and lower bound against CBC's proven optimum of the spec's time-indexed MIP on
// instances where some appointments must stay unassigned: the bound must include the unassigned
// cost no plan can avoid, so that a plan equal to the optimum reports a small gap.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "bench/solver/mip_writer.h"
#include "gtest/gtest.h"
#include "services/domain/calendar.h"
#include "services/solver/internal/capacity_bound.h"
#include "services/solver/plan_checker.h"
#include "services/solver/solver.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::bench {
namespace {

namespace fs = std::filesystem;
using solver::testing::ScenarioBuilder;

constexpr char kCbc[] = "/usr/bin/cbc";

// CBC's proven optimum; nullopt if CBC did not prove one within 60 s.
std::optional<double> CbcOptimum(const domain::Scenario& s) {
  const fs::path dir = fs::temp_directory_path() / absl::StrFormat("rebook-gap-test-%d", getpid());
  fs::create_directories(dir);
  absl::StatusOr<MipStats> stats = WriteTimeIndexedMip(s, dir / "model.lp", 200000);
  EXPECT_TRUE(stats.ok()) << stats.status();
  std::optional<double> out;
  if (stats.ok()) {
    const std::string cmd = absl::StrFormat("%s %s sec 60 threads 1 solve solu %s > %s 2>&1", kCbc,
                                            (dir / "model.lp").string(), (dir / "sol.txt").string(),
                                            (dir / "log.txt").string());
    std::string first;
    if (std::system(cmd.c_str()) == 0) {
      std::ifstream in(dir / "sol.txt");
      std::getline(in, first);
    }
    std::smatch m;
    if (first.rfind("Optimal", 0) == 0 &&
        std::regex_search(first, m, std::regex("objective value\\s+([-0-9.eE+]+)"))) {
      out = std::stod(m[1]);
    }
  }
  fs::remove_all(dir);
  return out;
}

void ExpectNearOptimalWithHonestGap(const domain::Scenario& s, const std::string& name,
                                    double max_gap, const solver::SolveOptions& options = {}) {
  absl::StatusOr<domain::Plan> plan = solver::Solve(s, options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  absl::StatusOr<solver::CheckReport> check = solver::CheckPlan(s, plan->assignments);
  ASSERT_TRUE(check.ok() && check->ok()) << name;
  std::optional<double> optimum = CbcOptimum(s);
  ASSERT_TRUE(optimum.has_value()) << name << ": CBC proved no optimum";
  const domain::PlanSummary& m = plan->summary;
  ASSERT_TRUE(m.lower_bound.has_value() && m.gap.has_value()) << name;
  EXPECT_GT(m.unassigned, 0) << name << ": the instance should leave appointments unassigned";
  EXPECT_LE(*m.lower_bound, *optimum + 1e-6 * (1 + *optimum)) << name;
  EXPECT_LE(m.objective, 1.005 * *optimum) << name;
  EXPECT_LE(*m.gap, max_gap) << name << ": objective " << m.objective << ", bound "
                             << *m.lower_bound << ", CBC " << *optimum;
}

class UnassignedGapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kCbc)) GTEST_SKIP() << kCbc << " is not installed";
  }
};

// More work than clerk time, a service nobody has the skill for and a dealer job longer than any
// window: six appointments must stay unassigned whatever the plan.
domain::Scenario Forced() {
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Office("nord").Service("kfz", 15).Service("pass", 30).Service("dealer", 45);
  b.Clerk("anna", {"kfz", "dealer"}).Clerk("ben", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T10:00");
  b.Booking("b1", "anna", "2026-01-28T08:50", "2026-01-28T09:10");
  b.Shift("ben", "nord", "2026-01-29T08:00", "2026-01-29T09:00");
  for (int i = 0; i < 12; ++i) {
    domain::Appointment& a = b.Appointment(absl::StrFormat("k%02d", i), "halle", "kfz",
                                           absl::StrFormat("2026-01-27T%02d:00", 8 + i % 8));
    a.priority = 1 + i % 4;
    if (i % 3 == 0) a.allowed_offices = {"halle", "nord"};
  }
  b.Appointment("p0", "halle", "pass", "2026-01-27T09:00").priority = 3;
  b.Appointment("d0", "halle", "dealer", "2026-01-27T10:00").cases = 3;  // 135 minutes
  b.Appointment("d1", "halle", "dealer", "2026-01-27T11:00");
  return b.Build();
}

TEST_F(UnassignedGapTest, ForcedUnassignedCostIsInTheBound) {
  ExpectNearOptimalWithHonestGap(Forced(), "forced", 0.005);
}

// The large-instance path on small instances: the fluid bound and the Lagrangian at its duals,
// over the jobs the capacity bound's count term does not bound alone, plus that term (in
// "forced", 12 kfz jobs of 15 minutes fit 180 free minutes' worth of minutes but only 10 whole).
TEST_F(UnassignedGapTest, FluidPathWithCountedJobsStaysBelowTheOptimum) {
  solver::SolveOptions fluid;
  fluid.lp_max_work = 0;
  ExpectNearOptimalWithHonestGap(Forced(), "forced-fluid", 0.05, fluid);
  // Seeds whose instances leave appointments unassigned (varied_scenario.h picks the structure).
  // On 2 and 3 this path was +6.6 % and reported a 0.444 gap before the rescue chains.
  for (std::uint64_t seed : {2, 3, 4, 5, 6, 7}) {
    ExpectNearOptimalWithHonestGap(solver::testing::VariedScenario(seed, 20),
                                   absl::StrFormat("varied-20-s%d-fluid", seed), 0.4, fluid);
  }
}

// The path above bound_max_appointments (the capacity bound, then the fluid per component on a
// second thread) on small instances: every component's term must stay a bound on its jobs, so
// the sum stays below CBC's optimum (a fluid raised by a tenth in every component does not:
// tried). The plan differs from the default path's (no LP to start from), so only the bound is
// held to the optimum here.
TEST_F(UnassignedGapTest, ComponentBoundStaysBelowTheOptimum) {
  solver::SolveOptions component;
  component.bound_max_appointments = 0;
  solver::SolveOptions capacity_only = component;
  capacity_only.component_bound_max_appointments = 0;
  int raised = 0;
  std::vector<std::pair<std::string, domain::Scenario>> cases = {{"forced", Forced()}};
  for (std::uint64_t seed : {2, 3, 4, 5, 6, 7})
    cases.push_back(
        {absl::StrFormat("varied-20-s%d", seed), solver::testing::VariedScenario(seed, 20)});
  for (const auto& [name, s] : cases) {
    absl::StatusOr<domain::Plan> plan = solver::Solve(s, component);
    absl::StatusOr<domain::Plan> base = solver::Solve(s, capacity_only);
    ASSERT_TRUE(plan.ok() && base.ok()) << name;
    ASSERT_TRUE(plan->summary.lower_bound.has_value()) << name;
    std::optional<double> optimum = CbcOptimum(s);
    ASSERT_TRUE(optimum.has_value()) << name;
    EXPECT_LE(*plan->summary.lower_bound, *optimum + 1e-6 * (1 + *optimum)) << name;
    raised += *plan->summary.lower_bound > *base->summary.lower_bound + 1e-6;
  }
  EXPECT_GE(raised, 4);
}

// The capacity bound alone, where its single-office term decides: anna works at halle and at
// leuna, which makes one component, but most of halle's jobs may only go to halle, whose hour
// before their deadline holds 4 of 7. The term must stay below CBC's optimum (raised by half,
// it does not: tried).
TEST_F(UnassignedGapTest, SingleOfficeTermStaysBelowTheOptimum) {
  ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
  b.Office("halle").Office("leuna").Service("kfz", 15).Service("pass", 30);
  b.Clerk("anna", {"kfz", "pass"}).Clerk("ben", {"kfz"});
  b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T09:00");
  b.Shift("anna", "leuna", "2026-01-28T10:00", "2026-01-28T12:00");
  b.Shift("ben", "leuna", "2026-01-29T08:00", "2026-01-29T10:00");
  b.Booking("b1", "anna", "2026-01-28T10:20", "2026-01-28T10:40");
  for (int i = 0; i < 7; ++i) {
    domain::Appointment& a =
        b.Appointment(absl::StrFormat("h%d", i), "halle", i < 5 ? "kfz" : "pass",
                      absl::StrFormat("2026-01-27T%02d:00", 8 + i));
    a.priority = 1 + i % 4;
    a.deadline = solver::testing::Local("2026-01-28T12:00");
    if (i == 6) a.allowed_offices = {"halle", "leuna"};
  }
  for (int i = 0; i < 4; ++i)
    b.Appointment(absl::StrFormat("l%d", i), "leuna", "kfz", "2026-01-27T09:00");
  const domain::Scenario s = b.Build();
  absl::StatusOr<domain::ShiftCalendar> cal = domain::ShiftCalendar::Build(s);
  ASSERT_TRUE(cal.ok()) << cal.status();
  absl::StatusOr<solver::internal::Problem> p = solver::internal::BuildProblem(s, *cal, {});
  ASSERT_TRUE(p.ok()) << p.status();
  const solver::internal::CapacityBound bound = solver::internal::ComputeCapacityBound(*p);
  EXPECT_GT(bound.office_cost, 0);
  std::optional<double> optimum = CbcOptimum(s);
  ASSERT_TRUE(optimum.has_value());
  EXPECT_LE(bound.lower_bound, *optimum + 1e-6 * (1 + *optimum))
      << "office term " << bound.office_cost;
  EXPECT_GE(bound.lower_bound, 0.5 * *optimum);  // it sees the forced unassigned cost
}

// Random instances of the varied shape that leave some appointments unassigned.
TEST_F(UnassignedGapTest, VariedInstancesAgainstCbc) {
  int tested = 0;
  for (std::uint64_t seed : {2, 3, 4, 5}) {  // small offices, dealers, deadlines, skills
    const domain::Scenario s = solver::testing::VariedScenario(seed, 20);
    ExpectNearOptimalWithHonestGap(s, absl::StrFormat("varied-20-s%d", seed), 0.25);
    ++tested;
  }
  EXPECT_EQ(tested, 4);
}

}  // namespace
}  // namespace rebook::bench
