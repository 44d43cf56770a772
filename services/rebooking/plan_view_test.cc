// SummaryForOffices and ComparePlansForOffices on a real store: a plan of an outage shared by
// offices A and B, seen by a principal of A only.
#include "services/rebooking/plan_view.h"

#include <chrono>
#include <vector>

#include "gtest/gtest.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking {
namespace {

using std::chrono::minutes;
using testing::kT0;

class PlanViewTest : public testing::OutboxTest {
 protected:
  void SetUp() override {
    OutboxTest::SetUp();
    plan_.outage_id = "joint";
    plan_.id = "p1";
    plan_.params.horizon_start = kH;
    plan_.params.horizon_end = kH + std::chrono::hours(24 * 7);
    plan_.summary.assigned = 3;  // what the solver stored: every office
    plan_.summary.unassigned = 1;
    plan_.summary.lower_bound = 1.0;
    ASSERT_TRUE(
        Write([&](storage::Transaction& tx) -> absl::Status {
          std::vector<domain::Appointment> appointments;
          // a3 was booked first, a1 second, a2 third: all of one (service, office,
          // priority) group at A.
          for (auto [id, office, offset] :
               {std::tuple{"a1", "A", 10}, {"a2", "A", 20}, {"a3", "A", 0}, {"b1", "B", 0}}) {
            appointments.push_back({.id = id,
                                    .office_id = office,
                                    .service_id = "kfz",
                                    .original_start = kT0 + minutes(offset),
                                    .priority = 2});
          }
          REBOOK_RETURN_IF_ERROR(tx.InsertAppointments(appointments));
          REBOOK_RETURN_IF_ERROR(tx.PutPlan(plan_));
          domain::PlanRecord p2 = plan_;
          p2.id = "p2";
          REBOOK_RETURN_IF_ERROR(tx.PutPlan(p2));
          REBOOK_RETURN_IF_ERROR(tx.InsertAssignments("joint", "p1", Assignments(90, 30)));
          return tx.InsertAssignments("joint", "p2", Assignments(95, 60));
        }).ok());
  }

  // a1 at office B (an office change) `a1_delay` minutes after the horizon's start with 15
  // overtime minutes; a3 at A after 120 minutes; a2 unassigned; b1 at B after `b1_delay`.
  static std::vector<domain::Assignment> Assignments(int a1_delay, int b1_delay) {
    auto at = [](const char* id, const char* office, int delay, double cost) {
      return domain::Assignment{.appointment_id = id,
                                .status = domain::AssignmentStatus::kAssigned,
                                .office_id = office,
                                .clerk_id = "k",
                                .time = {kH + minutes(delay), kH + minutes(delay + 15)},
                                .cost = cost,
                                .appointment_office_id = id[0] == 'b' ? "B" : "A"};
    };
    return {at("a1", "B", a1_delay, 2.0 * a1_delay / 60 + 48 + 15), at("a3", "A", 120, 4.0),
            domain::Assignment{.appointment_id = "a2",
                               .cost = 200000,
                               .reason = "no capacity",
                               .appointment_office_id = "A"},
            at("b1", "B", b1_delay, 2.0 * b1_delay / 60)};
  }

  static constexpr Instant kH{std::chrono::seconds(1769580000)};
  domain::PlanRecord plan_;
};

TEST_F(PlanViewTest, SummaryCountsAndCostsOnlyTheOfficesCitizens) {
  absl::StatusOr<domain::PlanSummary> s;
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) {
                           s = SummaryForOffices(tx, plan_, {"A"});
                           return s.status();
                         })
                  .ok())
      << s.status();
  EXPECT_EQ(s->assigned, 2);
  EXPECT_EQ(s->unassigned, 1);
  EXPECT_DOUBLE_EQ(s->parts.delay, 3.0 + 4.0);
  EXPECT_DOUBLE_EQ(s->parts.office_change, 48.0);
  EXPECT_DOUBLE_EQ(s->parts.overtime, 15.0);
  EXPECT_DOUBLE_EQ(s->parts.unassigned, 200000.0);
  EXPECT_DOUBLE_EQ(s->objective, 200070.0);
  EXPECT_EQ(s->office_changes, 1);
  EXPECT_EQ(s->overtime_minutes, 15);
  EXPECT_DOUBLE_EQ(s->mean_delay_minutes, 105.0);
  EXPECT_DOUBLE_EQ(s->max_delay_minutes, 120.0);
  EXPECT_EQ(s->fcfs_inversions, 1);  // a3 came first but is placed after a1
  EXPECT_FALSE(s->lower_bound.has_value());

  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) {
                           s = SummaryForOffices(tx, plan_, {"B"});
                           return s.status();
                         })
                  .ok());
  EXPECT_EQ(s->assigned, 1);
  EXPECT_EQ(s->unassigned, 0);
  EXPECT_DOUBLE_EQ(s->objective, 1.0);
}

TEST_F(PlanViewTest, ComparisonCountsOnlyTheOfficesCitizens) {
  absl::StatusOr<PlanDifference> mine, all;
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) -> absl::Status {
                           mine = ComparePlansForOffices(tx, "joint", "p1", "p2", {"A"});
                           all = ComparePlans(tx, "joint", "p1", "p2");
                           return mine.ok() ? all.status() : mine.status();
                         })
                  .ok());
  EXPECT_EQ(mine->changed, 1);  // a1 moved; b1's move is B's
  EXPECT_EQ(all->changed, 2);
  EXPECT_EQ(mine->a.summary.assigned, 2);
  EXPECT_EQ(mine->b.summary.assigned, 2);
  EXPECT_EQ(all->a.summary.assigned, 3);  // the stored summary
}

}  // namespace
}  // namespace rebook::rebooking
