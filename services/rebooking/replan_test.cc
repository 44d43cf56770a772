// FindBrokenHeld: which held slots a capacity change broke, and what the citizen is told;
// SolveReplan: what becomes of pinned slots the solver cannot keep.
#include "services/rebooking/replan.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::rebooking {
namespace {

using solver::testing::Local;
using solver::testing::ScenarioBuilder;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

domain::Assignment Held(const std::string& id, const std::string& office, const std::string& clerk,
                        const char* start, int minutes) {
  domain::Assignment a;
  a.appointment_id = id;
  a.status = domain::AssignmentStatus::kAssigned;
  a.office_id = office;
  a.clerk_id = clerk;
  a.time = {Local(start), Local(start) + std::chrono::minutes(minutes)};
  return a;
}

ScenarioBuilder Base() {
  ScenarioBuilder b("2026-01-28T07:00", "2026-02-07T00:00");
  b.Office("A").Service("kfz", 30).Clerk("ka", {"kfz"}).Clerk("kb", {"kfz"});
  for (const char* id : {"c1", "c2", "c3", "o1"}) {
    b.Appointment(id, "A", "kfz", "2026-01-27T12:00").contact.language = "de";
  }
  return b;
}

TEST(FindBrokenHeldTest, ClosureAndMissingShiftBreakSlotsWithReasons) {
  ScenarioBuilder b = Base();
  b.Shift("ka", "A", "2026-01-29T08:00", "2026-01-29T12:00");
  b.Closure("A", "2026-01-30");
  b.Shift("kb", "A", "2026-01-30T08:00", "2026-01-30T12:00");
  b.scenario().closures.back().reason = "Personalversammlung";
  b.scenario().appointments[3].contact.language = "en";
  domain::Scenario s = b.Build();
  std::map<std::string, domain::Assignment> held = {
      {"c1", Held("c1", "A", "ka", "2026-01-29T08:00", 30)},   // fine
      {"c2", Held("c2", "A", "kb", "2026-01-30T08:00", 30)},   // office closed that day
      {"c3", Held("c3", "A", "ka", "2026-01-29T13:00", 30)},   // no shift any more
      {"o1", Held("o1", "A", "kb", "2026-01-30T09:00", 30)}};  // closed, English
  auto broken = FindBrokenHeld(s, held, {"c1", "c2", "c3"});
  ASSERT_TRUE(broken.ok()) << broken.status();
  EXPECT_EQ(broken->count("c1"), 0u);
  ASSERT_EQ(broken->count("c2"), 1u);
  EXPECT_EQ(broken->at("c2").rule, 2);
  EXPECT_THAT(broken->at("c2").explanation, HasSubstr("geschlossen (Personalversammlung)"));
  ASSERT_EQ(broken->count("c3"), 1u);
  EXPECT_THAT(broken->at("c3").explanation, HasSubstr("nicht im Dienst"));
  ASSERT_EQ(broken->count("o1"), 1u);
  EXPECT_THAT(broken->at("o1").explanation, HasSubstr("the office is closed"));
}

TEST(FindBrokenHeldTest, OverReserveDropsTheLatestConfirmedOnly) {
  // 4 h of regular time, reserve 50%: 120 minutes for rebooked citizens, 3 x 30 + 30 confirmed
  // would fit, but a standing booking of 90 minutes leaves (240 - 90) / 2 = 75 minutes.
  ScenarioBuilder b = Base();
  b.Shift("ka", "A", "2026-01-29T08:00", "2026-01-29T12:00");
  b.Booking("new", "ka", "2026-01-29T10:30", "2026-01-29T12:00");
  b.ReserveShare(0.5);
  domain::Scenario s = b.Build();
  std::map<std::string, domain::Assignment> held = {
      {"c1", Held("c1", "A", "ka", "2026-01-29T08:00", 30)},
      {"c2", Held("c2", "A", "ka", "2026-01-29T08:30", 30)},
      {"c3", Held("c3", "A", "ka", "2026-01-29T09:00", 30)},
      {"o1", Held("o1", "A", "ka", "2026-01-29T09:30", 30)}};
  auto broken = FindBrokenHeld(s, held, {"c1", "c2", "c3"});
  ASSERT_TRUE(broken.ok()) << broken.status();
  // 90 confirmed minutes > 75: the latest confirmed (c3) goes; the open offer o1 is left to the
  // solver, which keeps open offers only while they fit.
  ASSERT_EQ(broken->size(), 1u);
  EXPECT_EQ(broken->begin()->first, "c3");
  EXPECT_EQ(broken->at("c3").rule, 6);
}

TEST(SolveReplanTest, PinsTheSolverCannotKeepBecomeBrokenAndMove) {
  ScenarioBuilder b = Base();
  b.Shift("ka", "A", "2026-01-29T08:00", "2026-01-29T12:00");
  b.Shift("kb", "A", "2026-01-30T08:00", "2026-01-30T12:00");
  b.scenario().appointments[1].contact.language = "en";
  ReplanInput in;
  in.scenario = b.Build();
  // Both confirmed; c2's slot lies in no shift of kb, as if the checker had let it through.
  in.held = {{"c1", Held("c1", "A", "ka", "2026-01-29T08:00", 30)},
             {"c2", Held("c2", "A", "kb", "2026-01-29T09:00", 30)}};
  in.confirmed = {"c1", "c2"};
  for (const auto& [id, h] : in.held) {
    in.request.previous.push_back(h);
    in.request.pinned.push_back(id);
  }
  absl::StatusOr<domain::Plan> plan = SolveReplan(in, {});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(in.request.pinned, ElementsAre("c1"));
  ASSERT_EQ(in.broken.count("c2"), 1u);
  EXPECT_EQ(in.broken.at("c2").rule, 2);
  EXPECT_THAT(in.broken.at("c2").explanation, HasSubstr("not available at that time"));
  EXPECT_EQ(in.broken.count("c1"), 0u);
  for (const domain::Assignment& a : plan->assignments) {
    if (a.appointment_id == "c1") {  // kept
      EXPECT_EQ(a.clerk_id, "ka");
      EXPECT_EQ(a.time, in.held.at("c1").time);
    }
    if (a.appointment_id == "c2") {  // moved to a slot inside a shift
      EXPECT_EQ(a.status, domain::AssignmentStatus::kAssigned);
      EXPECT_NE(a.time, in.held.at("c2").time);
    }
  }
}

}  // namespace
}  // namespace rebook::rebooking
