#include <algorithm>
#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/solver/plan_checker.h"
#include "services/solver/solver.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::solver {
namespace {

using domain::Assignment;
using domain::AssignmentStatus;
using testing::Local;

std::map<std::string, Assignment> ById(const domain::Plan& plan) {
  std::map<std::string, Assignment> out;
  for (const Assignment& a : plan.assignments) out[a.appointment_id] = a;
  return out;
}

// The plan of a Resolve that found every pin usable.
absl::StatusOr<domain::Plan> PlanOf(const domain::Scenario& s, const ResolveRequest& r,
                                    const SolveOptions& o) {
  absl::StatusOr<ResolveResult> result = Resolve(s, r, o);
  if (!result.ok()) return result.status();
  if (!result->unfit_pinned.empty()) return absl::InternalError("a pin does not fit");
  return result->plan;
}

void ExpectFeasible(const domain::Scenario& s, const domain::Plan& plan) {
  absl::StatusOr<CheckReport> r = CheckPlan(s, plan.assignments);
  ASSERT_TRUE(r.ok());
  for (const Violation& v : r->violations) ADD_FAILURE() << v.message;
  EXPECT_NEAR(r->objective, plan.summary.objective, 1e-6 * (1 + r->objective));
}

class ResolveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::RandomScenarioOptions o;
    o.appointments = 100;
    o.seed = 11;
    scenario_ = testing::RandomScenario(o);
    options_.improve_effort = 0.5;
    options_.improve_patience = 300;
    absl::StatusOr<domain::Plan> plan = Solve(scenario_, options_);
    ASSERT_TRUE(plan.ok());
    first_ = *plan;
  }
  // The first `n` assigned appointments of the first plan.
  std::vector<Assignment> Assigned(int n) {
    std::vector<Assignment> out;
    for (const Assignment& a : first_.assignments) {
      if (a.status == AssignmentStatus::kAssigned && static_cast<int>(out.size()) < n)
        out.push_back(a);
    }
    return out;
  }
  domain::Scenario scenario_;
  domain::Plan first_;
  SolveOptions options_;
};

TEST_F(ResolveTest, DeclinedSlotIsNotOfferedAgainAndOthersStay) {
  std::vector<Assignment> two = Assigned(2);
  const Assignment confirmed = two[0], declined = two[1];
  ResolveRequest r;
  r.previous = first_.assignments;
  r.pinned = {confirmed.appointment_id};
  r.forbidden = {{declined.appointment_id, "", "", declined.time}};
  absl::StatusOr<domain::Plan> plan = PlanOf(scenario_, r, options_);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ExpectFeasible(scenario_, *plan);
  auto next = ById(*plan);
  EXPECT_EQ(next[confirmed.appointment_id], confirmed);
  const Assignment& moved = next[declined.appointment_id];
  EXPECT_FALSE(moved.status == AssignmentStatus::kAssigned && moved.time.Overlaps(declined.time));
  // Everybody else keeps the slot of the first plan.
  int changed = 0;
  for (const Assignment& a : first_.assignments) {
    if (a.appointment_id == declined.appointment_id) continue;
    if (a.status == AssignmentStatus::kAssigned && !(next[a.appointment_id] == a)) ++changed;
  }
  EXPECT_EQ(changed, 0);
}

TEST_F(ResolveTest, ForbiddenClerkOnly) {
  const Assignment a = Assigned(1)[0];
  ResolveRequest r;
  r.previous = first_.assignments;
  r.forbidden = {
      {a.appointment_id,
       "",
       a.clerk_id,
       {a.time.start - std::chrono::hours(24 * 30), a.time.end + std::chrono::hours(24 * 30)}}};
  absl::StatusOr<domain::Plan> plan = PlanOf(scenario_, r, options_);
  ASSERT_TRUE(plan.ok());
  ExpectFeasible(scenario_, *plan);
  EXPECT_NE(ById(*plan)[a.appointment_id].clerk_id, a.clerk_id);
}

TEST_F(ResolveTest, NewAppointmentsUseLeftoverCapacityOnly) {
  domain::Scenario more = scenario_;
  domain::Appointment extra = more.appointments[0];
  extra.id = "walk-in-1";
  extra.priority = 10;
  more.appointments.push_back(extra);
  ResolveRequest r;
  r.previous = first_.assignments;
  absl::StatusOr<domain::Plan> plan = PlanOf(more, r, options_);
  ASSERT_TRUE(plan.ok());
  ExpectFeasible(more, *plan);
  auto next = ById(*plan);
  for (const Assignment& a : first_.assignments) EXPECT_EQ(next[a.appointment_id], a);
  EXPECT_EQ(plan->assignments.size(), more.appointments.size());
}

TEST_F(ResolveTest, FullReplanKeepsPinsAndDoesNotGetWorse) {
  std::vector<Assignment> pins = Assigned(5);
  ResolveRequest r;
  r.previous = first_.assignments;
  for (const Assignment& a : pins) r.pinned.push_back(a.appointment_id);
  r.keep_unaffected = false;
  absl::StatusOr<domain::Plan> plan = PlanOf(scenario_, r, options_);
  ASSERT_TRUE(plan.ok());
  ExpectFeasible(scenario_, *plan);
  auto next = ById(*plan);
  for (const Assignment& a : pins) EXPECT_EQ(next[a.appointment_id], a);
  EXPECT_LE(plan->summary.objective, first_.summary.objective + 1e-6);
}

TEST_F(ResolveTest, PinsThatNoLongerFitComeBackAsData) {
  // Five pins; the shifts of the second and the fourth are gone.
  std::vector<Assignment> pins = Assigned(5);
  ResolveRequest r;
  r.previous = first_.assignments;
  for (const Assignment& a : pins) r.pinned.push_back(a.appointment_id);
  domain::Scenario changed = scenario_;
  std::erase_if(changed.shifts, [&](const domain::Shift& s) {
    return (s.clerk_id == pins[1].clerk_id && s.time.Contains(pins[1].time)) ||
           (s.clerk_id == pins[3].clerk_id && s.time.Contains(pins[3].time));
  });
  // Those pins, and any other that lay in the same shifts, in pin order.
  std::vector<std::string> unfit;
  for (const Assignment& a : pins) {
    if (std::none_of(changed.shifts.begin(), changed.shifts.end(), [&](const domain::Shift& s) {
          return s.clerk_id == a.clerk_id && s.time.Contains(a.time);
        })) {
      unfit.push_back(a.appointment_id);
    }
  }
  ASSERT_GE(unfit.size(), 2u);
  ASSERT_LT(unfit.size(), pins.size());

  absl::StatusOr<ResolveResult> result = Resolve(changed, r, options_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->unfit_pinned, unfit);
  EXPECT_TRUE(result->plan.assignments.empty());

  // Unpinned, they are planned again like everybody else; the other pins stay.
  for (const std::string& id : unfit) std::erase(r.pinned, id);
  result = Resolve(changed, r, options_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->unfit_pinned.empty());
  ExpectFeasible(changed, result->plan);
  auto next = ById(result->plan);
  for (const Assignment& a : pins) {
    if (std::find(unfit.begin(), unfit.end(), a.appointment_id) == unfit.end()) {
      EXPECT_EQ(next[a.appointment_id], a);
    }
  }
}

TEST_F(ResolveTest, PinWithoutAPreviousAssignmentIsAnError) {
  ResolveRequest r;
  r.pinned = {Assigned(1)[0].appointment_id};  // `previous` is empty
  EXPECT_EQ(Resolve(scenario_, r, options_).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(ResolveTest, DroppedAppointmentFreesItsSlot) {
  // A self-rebooked citizen leaves the scenario; its slot goes to someone who waited.
  domain::Scenario fewer = scenario_;
  const Assignment gone = Assigned(1)[0];
  fewer.appointments.erase(
      std::find_if(fewer.appointments.begin(), fewer.appointments.end(),
                   [&](const auto& a) { return a.id == gone.appointment_id; }));
  ResolveRequest r;
  r.previous = first_.assignments;
  absl::StatusOr<domain::Plan> plan = PlanOf(fewer, r, options_);
  ASSERT_TRUE(plan.ok());
  ExpectFeasible(fewer, *plan);
  EXPECT_EQ(plan->assignments.size(), fewer.appointments.size());
}

}  // namespace
}  // namespace rebook::solver
