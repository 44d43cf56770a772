// FindAlternatives against the independent plan checker: every alternative satisfies the six
// rules, its cost is the checker's objective, and the ranking and per-day rules hold.
#include "services/rebooking/offer_alternatives.h"

#include <set>

#include "gtest/gtest.h"
#include "services/domain/local_time.h"
#include "services/solver/plan_checker.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::rebooking {
namespace {

using solver::testing::Local;
using solver::testing::ScenarioBuilder;

SlotScenario Slots(domain::Scenario s, std::map<std::string, domain::Assignment> held = {}) {
  return *BuildSlotScenario(std::move(s), std::move(held));
}

// The checker's verdict and objective for `slot` as the only assignment.
solver::CheckReport Check(const SlotScenario& ss, const domain::Appointment& a,
                          const domain::OfferSlot& slot) {
  domain::Scenario one = ss.scenario;
  one.appointments = {a};
  domain::Assignment x;
  x.appointment_id = a.id;
  x.status = domain::AssignmentStatus::kAssigned;
  x.office_id = slot.office_id;
  x.clerk_id = slot.clerk_id;
  x.time = slot.time;
  return *solver::CheckPlan(one, {x});
}

TEST(FindAlternativesTest, CheapestPerDayExcludingTheOfferedDayAndBusyTime) {
  ScenarioBuilder b("2026-01-28T07:00", "2026-02-07T00:00");
  b.Office("A").Office("B").Service("kfz", 15).Clerk("ka", {"kfz"}).Clerk("kb", {"kfz"});
  for (const char* day : {"2026-01-28", "2026-01-29", "2026-01-30", "2026-02-02"}) {
    b.Shift("ka", "A", absl::StrCat(day, "T08:00"), absl::StrCat(day, "T12:00"));
    b.Shift("kb", "B", absl::StrCat(day, "T08:00"), absl::StrCat(day, "T12:00"));
  }
  b.Booking("busy", "ka", "2026-01-29T08:00", "2026-01-29T09:00");
  b.Closure("A", "2026-01-30");
  domain::Appointment& a = b.Appointment("x", "A", "kfz", "2026-01-27T12:00");
  a.allowed_offices = {"A", "B"};
  a.unavailable = {{Local("2026-01-29T09:00"), Local("2026-01-29T09:20")}};
  SlotScenario ss = Slots(b.Build());
  domain::OfferSlot main{"A", "ka", {Local("2026-01-28T08:00"), Local("2026-01-28T08:15")}, 0};

  auto alts = FindAlternatives(ss, "x", main, 3);
  ASSERT_TRUE(alts.ok()) << alts.status();
  ASSERT_EQ(alts->size(), 3u);
  // On the 29th at A: after the booking and the unavailable time (26.3 h of delay).
  EXPECT_EQ((*alts)[0].office_id, "A");
  EXPECT_EQ((*alts)[0].time.start, Local("2026-01-29T09:20"));
  EXPECT_NEAR((*alts)[0].cost, 26 + 20.0 / 60, 1e-6);
  // The same day as the offer at the other office: 1 h of delay plus the office change (48).
  EXPECT_EQ((*alts)[1].office_id, "B");
  EXPECT_EQ((*alts)[1].time.start, Local("2026-01-28T08:00"));
  EXPECT_NEAR((*alts)[1].cost, 49, 1e-6);
  for (const domain::OfferSlot& s : *alts) {
    EXPECT_FALSE(s.office_id == "A" && s.time.start < Local("2026-01-29T00:00"));
    EXPECT_FALSE(s.office_id == "A" && domain::FormatLocalDate(domain::LocalDateOf(
                                           "Europe/Berlin", s.time.start)) == "2026-01-30");
  }
}

TEST(FindAlternativesTest, EveryAlternativePassesTheCheckerOnRandomScenarios) {
  for (std::uint64_t seed : {1, 2, 3}) {
    solver::testing::RandomScenarioOptions o;
    o.seed = seed;
    o.appointments = 40;
    SlotScenario ss = Slots(solver::testing::RandomScenario(o));
    for (const domain::Appointment& a : ss.scenario.appointments) {
      domain::OfferSlot none{"nowhere", "", {}, 0};
      auto alts = FindAlternatives(ss, a.id, none, 4);
      ASSERT_TRUE(alts.ok()) << alts.status();
      std::set<std::pair<std::string, std::string>> days;
      double last_cost = -1;
      for (const domain::OfferSlot& s : *alts) {
        solver::CheckReport r = Check(ss, a, s);
        ASSERT_TRUE(r.ok()) << "seed " << seed << " " << a.id << ": "
                            << r.violations.front().message;
        EXPECT_NEAR(r.objective, s.cost, 1e-6) << a.id;
        EXPECT_GE(s.cost, last_cost);
        last_cost = s.cost;
        const std::string day =
            domain::FormatLocalDate(domain::LocalDateOf("Europe/Berlin", s.time.start));
        EXPECT_TRUE(days.emplace(s.office_id, day).second) << "two alternatives on one day";
        EXPECT_TRUE(CheckAlternativeStillFree(ss, a.id, s).ok());
      }
    }
  }
}

TEST(FindAlternativesTest, CheckAlternativeStillFreeRefusesHeldTime) {
  ScenarioBuilder b("2026-01-28T07:00", "2026-02-07T00:00");
  b.Office("A").Service("kfz", 15).Clerk("ka", {"kfz"});
  b.Shift("ka", "A", "2026-01-29T08:00", "2026-01-29T12:00");
  b.Booking("held.other", "ka", "2026-01-29T08:00", "2026-01-29T08:15");
  b.Appointment("x", "A", "kfz", "2026-01-27T12:00");
  SlotScenario ss = Slots(b.Build());
  domain::OfferSlot taken{"A", "ka", {Local("2026-01-29T08:00"), Local("2026-01-29T08:15")}, 0};
  absl::Status s = CheckAlternativeStillFree(ss, "x", taken);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  domain::OfferSlot free{"A", "ka", {Local("2026-01-29T08:15"), Local("2026-01-29T08:30")}, 0};
  EXPECT_TRUE(CheckAlternativeStillFree(ss, "x", free).ok());
}

TEST(FindAlternativesTest, HeldSlotsCountAgainstTheDaysReserve) {
  // 4 h a day, half kept free: 120 rebooked minutes a day. Six held 15-minute slots use 90 of
  // them on the 29th, so a 45-minute appointment only fits on the 30th.
  ScenarioBuilder b("2026-01-28T07:00", "2026-02-07T00:00");
  b.Office("A").Service("kfz", 15).Service("big", 45).Clerk("ka", {"kfz", "big"});
  b.Shift("ka", "A", "2026-01-29T08:00", "2026-01-29T12:00");
  b.Shift("ka", "A", "2026-01-30T08:00", "2026-01-30T12:00");
  b.ReserveShare(0.5);
  std::map<std::string, domain::Assignment> held;
  for (int i = 0; i < 6; ++i) {
    const std::string id = absl::StrCat("h", i);
    b.Appointment(id, "A", "kfz", "2026-01-27T12:00");
    domain::Assignment h;
    h.appointment_id = id;
    h.status = domain::AssignmentStatus::kAssigned;
    h.office_id = "A";
    h.clerk_id = "ka";
    h.time.start = Local("2026-01-29T08:00") + std::chrono::minutes(15 * i);
    h.time.end = h.time.start + std::chrono::minutes(15);
    held[id] = h;
  }
  b.Appointment("x", "A", "big", "2026-01-27T12:00");
  SlotScenario ss = Slots(b.Build(), held);
  domain::OfferSlot none{"nowhere", "", {}, 0};
  auto alts = FindAlternatives(ss, "x", none, 3);
  ASSERT_TRUE(alts.ok()) << alts.status();
  ASSERT_EQ(alts->size(), 1u);
  EXPECT_EQ((*alts)[0].time.start, Local("2026-01-30T08:00"));
  EXPECT_TRUE(CheckAlternativeStillFree(ss, "x", (*alts)[0]).ok());
  domain::OfferSlot over{"A", "ka", {Local("2026-01-29T10:00"), Local("2026-01-29T10:45")}, 0};
  EXPECT_EQ(CheckAlternativeStillFree(ss, "x", over).code(), absl::StatusCode::kFailedPrecondition);
  domain::OfferSlot busy{"A", "ka", {Local("2026-01-29T08:00"), Local("2026-01-29T08:45")}, 0};
  EXPECT_EQ(CheckAlternativeStillFree(ss, "x", busy).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace rebook::rebooking
