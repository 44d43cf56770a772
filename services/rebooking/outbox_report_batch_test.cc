// ReportDeliveries: many delivery reports in one transaction, a result per report.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/rebooking/outbox.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking::testing {
namespace {

using domain::MessageState;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class ReportBatchTest : public OutboxTest {
 protected:
  absl::StatusOr<std::vector<absl::StatusOr<domain::OutboxMessage>>> ReportAll(
      const std::vector<DeliveryReport>& reports) {
    std::vector<absl::StatusOr<domain::OutboxMessage>> out;
    absl::Status s = Write([&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(out, ReportDeliveries(tx, policy_, reports, clock_.Now(), *ids_));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return out;
  }
  static DeliveryReport Sent(const domain::OutboxMessage& m) {
    return {.message_id = m.id,
            .office_id = m.office_id,
            .lease_token = m.lease_token,
            .outcome = notify::DeliveryState::kSent,
            .provider_message_id = "prov-" + m.id,
            .worker = "w1"};
  }
};

TEST_F(ReportBatchTest, SettlesEachAndRefusesOnlyTheBadOnes) {
  for (const char* id : {"a1", "a2", "a3"}) {
    auto [a, o] = Seed(id, Email());
    ASSERT_TRUE(Queue(a, o).ok());
  }
  auto leased = Lease({"email"});
  ASSERT_TRUE(leased.ok());
  ASSERT_THAT(*leased, SizeIs(3));
  clock_.Advance(std::chrono::seconds(2));
  const domain::OutboxMessage& m1 = leased->at(0).message;
  const domain::OutboxMessage& m2 = leased->at(1).message;
  const domain::OutboxMessage& m3 = leased->at(2).message;
  DeliveryReport foreign_token = Sent(m2);
  foreign_token.lease_token = "lease-of-someone-else";
  DeliveryReport other_office = Sent(m3);
  other_office.office_id = "B";
  DeliveryReport unknown = Sent(m1);
  unknown.message_id = "m-nope";
  DeliveryReport failed = Sent(m3);
  failed.outcome = notify::DeliveryState::kTemporaryFailure;
  failed.reason = "451 try later";
  auto results = ReportAll({Sent(m1), foreign_token, other_office, unknown, failed});
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_THAT(*results, SizeIs(5));
  ASSERT_TRUE((*results)[0].ok());
  EXPECT_EQ((*results)[0]->state, MessageState::kSent);
  EXPECT_EQ((*results)[1].status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*results)[2].status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ((*results)[3].status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE((*results)[4].ok());
  EXPECT_EQ((*results)[4]->state, MessageState::kFailed);

  std::map<std::string, domain::OutboxMessage> by_id;
  for (const auto& m : Messages()) by_id[m.id] = m;
  EXPECT_EQ(by_id[m1.id].state, MessageState::kSent);
  EXPECT_EQ(by_id[m1.id].provider_message_id, "prov-" + m1.id);
  EXPECT_EQ(by_id[m2.id].state, MessageState::kLeased);  // the refused report changed nothing
  EXPECT_EQ(by_id[m3.id].state, MessageState::kFailed);
  // Each settled message has its event, once, after the lease.
  auto history = History(m1.id);
  ASSERT_THAT(history, SizeIs(3));
  EXPECT_EQ(history[2].to, MessageState::kSent);
  EXPECT_THAT(History(m3.id).back().reason, HasSubstr("451 try later"));
  EXPECT_THAT(History(m2.id), SizeIs(2));
}

TEST_F(ReportBatchTest, RepeatingABatchChangesNothing) {
  for (const char* id : {"a1", "a2"}) {
    auto [a, o] = Seed(id, Email());
    ASSERT_TRUE(Queue(a, o).ok());
  }
  auto leased = Lease({"email"});
  ASSERT_TRUE(leased.ok());
  ASSERT_THAT(*leased, SizeIs(2));
  const std::vector<DeliveryReport> batch = {Sent(leased->at(0).message),
                                             Sent(leased->at(1).message)};
  auto first = ReportAll(batch);
  ASSERT_TRUE(first.ok());
  clock_.Advance(std::chrono::seconds(5));
  auto again = ReportAll(batch);  // the answer was lost; the worker sends the call again
  ASSERT_TRUE(again.ok());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    ASSERT_TRUE((*again)[i].ok()) << (*again)[i].status();
    EXPECT_EQ((*again)[i]->state, MessageState::kSent);
    EXPECT_EQ((*again)[i]->update_time, (*first)[i]->update_time);
    EXPECT_THAT(History(batch[i].message_id), SizeIs(3));
  }
}

// The batch reads its messages once; a message reported twice in it is judged by its state
// after the first report, as if the reports came one by one.
TEST_F(ReportBatchTest, AMessageReportedTwiceInOneBatchIsSettledOnce) {
  auto [a, o] = Seed("a1", Email());
  ASSERT_TRUE(Queue(a, o).ok());
  auto leased = Lease({"email"});
  ASSERT_TRUE(leased.ok());
  ASSERT_THAT(*leased, SizeIs(1));
  const domain::OutboxMessage& m = leased->at(0).message;
  DeliveryReport failed = Sent(m);
  failed.outcome = notify::DeliveryState::kTemporaryFailure;
  failed.reason = "451 try later";
  auto results = ReportAll({Sent(m), failed, Sent(m)});
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_THAT(*results, SizeIs(3));
  ASSERT_TRUE((*results)[0].ok());
  EXPECT_EQ((*results)[0]->state, MessageState::kSent);
  // A different outcome for a settled message is a repeat of the accepted report.
  ASSERT_TRUE((*results)[1].ok());
  EXPECT_EQ((*results)[1]->state, MessageState::kSent);
  ASSERT_TRUE((*results)[2].ok());
  EXPECT_EQ((*results)[2]->attempts, 1);
  const auto history = History(m.id);
  ASSERT_THAT(history, SizeIs(3));
  EXPECT_EQ(history[2].to, MessageState::kSent);
}

TEST_F(ReportBatchTest, APermanentFailureFallsBackWithinTheBatch) {
  auto [a, o] = Seed("a1", EmailSmsLetter(""));
  ASSERT_TRUE(Queue(a, o).ok());
  auto [b, p] = Seed("a2", Email());
  ASSERT_TRUE(Queue(b, p).ok());
  auto leased = Lease({"email"});
  ASSERT_TRUE(leased.ok());
  ASSERT_THAT(*leased, SizeIs(2));
  DeliveryReport dead = Sent(leased->at(0).message);
  dead.outcome = notify::DeliveryState::kPermanentFailure;
  dead.reason = "550 no such user";
  auto results = ReportAll({dead, Sent(leased->at(1).message)});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ((*results)[0]->state, MessageState::kDead);
  EXPECT_EQ((*results)[1]->state, MessageState::kSent);
  int fallbacks = 0;
  for (const auto& m : Messages()) {
    if (m.fallback_from == leased->at(0).message.id) {
      ++fallbacks;
      EXPECT_EQ(m.channel, "sms");
      EXPECT_EQ(m.state, MessageState::kPending);
      EXPECT_THAT(History(m.id), SizeIs(1));
    }
  }
  EXPECT_EQ(fallbacks, 1);
}

}  // namespace
}  // namespace rebook::rebooking::testing
