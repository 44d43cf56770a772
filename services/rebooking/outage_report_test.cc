// GatherOutageReport on a real store: an outage of offices A and B, seen by A and by everyone.
#include "services/rebooking/outage_report.h"

#include "gtest/gtest.h"
#include "services/domain/local_time.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::kT0;

class OutageReportTest : public testing::OutboxTest {
 protected:
  void SetUp() override {
    OutboxTest::SetUp();
    ASSERT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                  REBOOK_RETURN_IF_ERROR(tx.PutOutage({.id = "out-1",
                                                       .office_ids = {"A", "B"},
                                                       .window = {kT0, kT0 + hours(5)},
                                                       .cause = "Stromausfall",
                                                       .declare_time = kT0}));
                  REBOOK_RETURN_IF_ERROR(
                      tx.PutClerk({.id = "kb", .name = "K B", .skills = {"kfz"}}));
                  REBOOK_RETURN_IF_ERROR(tx.PutShift({.id = "s1",
                                                      .clerk_id = "kb",
                                                      .office_id = "B",
                                                      .time = {kT0 + hours(46), kT0 + hours(50)}}));
                  domain::PlanRecord plan{.outage_id = "out-1",
                                          .id = "p-1",
                                          .state = domain::PlanState::kCommitted,
                                          .create_time = kT0};
                  plan.params.horizon_start = kT0 + hours(20);
                  plan.params.horizon_end = kT0 + hours(20 + 24 * 7);
                  plan.params.reserve_share = 0.2;
                  plan.summary.suggested_shifts.push_back(
                      {"B", "kfz", *domain::ParseLocalDate("2026-01-30"), 240, 1000});
                  return tx.PutPlan(plan);
                }).ok());
    auto [a, offer] = Seed("a1", EmailSmsLetter());
    ASSERT_TRUE(Queue(a, offer).ok());
    ASSERT_TRUE(Write([&, &offer = offer](storage::Transaction& tx) {
                  domain::Assignment x{.appointment_id = "a1",
                                       .status = domain::AssignmentStatus::kAssigned,
                                       .office_id = "B",
                                       .clerk_id = "kb",
                                       .time = offer.slot.time,
                                       .appointment_office_id = "A"};
                  return tx.InsertAssignments("out-1", "p-1", {&x, 1});
                }).ok());
  }

  absl::StatusOr<report::ReportInput> Gather(std::optional<std::vector<std::string>> offices) {
    absl::StatusOr<report::ReportInput> in = absl::UnknownError("not run");
    absl::Status s = store_->Read({}, [&](storage::Transaction& tx) -> absl::Status {
      in = GatherOutageReport(tx, "out-1", offices, kT0 + hours(30));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return in;
  }
};

TEST_F(OutageReportTest, EverythingForEveryOffice) {
  auto in = Gather(std::nullopt);
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(in->outage_id, "out-1");
  EXPECT_EQ(in->cause, "Stromausfall");
  ASSERT_EQ(in->citizens.size(), 1u);
  const report::Citizen& c = in->citizens[0];
  EXPECT_EQ(c.appointment_id, "a1");
  EXPECT_EQ(c.state, report::CitizenState::kOffered);
  EXPECT_TRUE(c.placed);
  EXPECT_EQ(c.slot_office_id, "B");
  EXPECT_EQ(c.clerk_id, "kb");
  ASSERT_TRUE(in->plan.has_value());
  EXPECT_EQ(in->plan->id, "p-1");
  EXPECT_EQ(in->plan->state, "committed");
  EXPECT_EQ(in->plan->suggested_shifts.size(), 1u);
  ASSERT_EQ(in->offices.size(), 2u);
  EXPECT_EQ(in->offices[0].display_name, "Bürgerbüro A");
  EXPECT_EQ(in->offices[0].state, "DE-ST");
  EXPECT_EQ(in->shifts.size(), 1u);
  ASSERT_EQ(in->offers.size(), 1u);
  EXPECT_EQ(in->offers[0].state, report::OfferState::kOpen);
  ASSERT_FALSE(in->messages.empty());
  EXPECT_EQ(in->messages[0].state, "PENDING");
  ASSERT_EQ(in->services.size(), 1u);
  EXPECT_EQ(in->services[0].display_name, "Kfz-Zulassung");
}

TEST_F(OutageReportTest, AnOfficesStaffSeeTheirOfficeOnly) {
  auto b = Gather(std::vector<std::string>{"B"});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_TRUE(b->citizens.empty());  // a1 is A's citizen, though placed at B
  EXPECT_TRUE(b->offers.empty());
  EXPECT_TRUE(b->messages.empty());
  ASSERT_EQ(b->offices.size(), 1u);
  EXPECT_EQ(b->offices[0].id, "B");
  auto a = Gather(std::vector<std::string>{"A"});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->citizens.size(), 1u);
  EXPECT_TRUE(a->plan->suggested_shifts.empty());  // B's extra shift is not A's to see
  EXPECT_TRUE(a->shifts.empty());
  EXPECT_EQ(Gather(std::vector<std::string>{"C"}).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace rebook::rebooking
