// LeaseMessages (content, skipping stale offers, poison messages, limits) and the delivery
// statistics, on a real SQLite store.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/rebooking/outbox.h"
#include "services/rebooking/outbox_limits.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking::testing {
namespace {

using domain::MessageState;
using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST_F(OutboxTest, LeaseCarriesWhatTheWorkerNeeds) {
  auto [a, o] = Seed("a1", EmailSmsLetter());
  o.explanation = "the clerk is ill";
  ASSERT_TRUE(Write([&o = o](storage::Transaction& tx) { return tx.PutOffer(o); }).ok());
  ASSERT_TRUE(Queue(a, o).ok());
  auto leased = Lease({"email", "sms"}, 10, nullptr, "worker-7");
  ASSERT_TRUE(leased.ok()) << leased.status();
  ASSERT_THAT(*leased, SizeIs(1));
  const OutboxLease& l = leased->at(0);
  EXPECT_EQ(l.message.state, MessageState::kLeased);
  EXPECT_FALSE(l.message.lease_token.empty());
  EXPECT_EQ(l.message.leased_by, "worker-7");
  EXPECT_EQ(l.message.lease_expire_time, kT0 + std::chrono::seconds(60));
  EXPECT_EQ(l.content.recipient.email, "erika@example.org");
  // The office the citizen goes to is the slot's (B), not the original one (A).
  EXPECT_EQ(l.content.office.id, "B");
  EXPECT_EQ(l.content.office.name, "Bürgerbüro B");
  EXPECT_EQ(l.content.service_name, "Kfz-Zulassung");
  EXPECT_EQ(l.content.slot, o.slot.time);
  EXPECT_EQ(l.content.original_start, kT0);
  EXPECT_EQ(l.content.response_token, o.token);
  EXPECT_EQ(l.content.offer_expire_time, o.expire_time);
  EXPECT_EQ(l.content.explanation, "the clerk is ill");
}

TEST_F(OutboxTest, LeaseOnlyServesTheAskedChannelsAndAtMostMax) {
  for (int i = 0; i < 5; ++i) {
    auto [a, o] = Seed(absl::StrCat("a", i), Email());
    ASSERT_TRUE(Queue(a, o).ok());
  }
  EXPECT_THAT(*Lease({"sms"}), SizeIs(0));
  EXPECT_THAT(*Lease({"email"}, 3), SizeIs(3));
  EXPECT_THAT(*Lease({"email"}, 3), SizeIs(2));
  EXPECT_THAT(*Lease({"email"}, 3), SizeIs(0));
}

TEST_F(OutboxTest, OfferAnsweredBeforeSendingIsNotSent) {
  auto [a, o] = Seed("a1", Email());
  ASSERT_TRUE(Queue(a, o).ok());
  ASSERT_TRUE(Queue(a, o, domain::MessageKind::kCancellation).ok());
  o.state = domain::OfferState::kWithdrawn;
  ASSERT_TRUE(Write([&o = o](storage::Transaction& tx) { return tx.PutOffer(o); }).ok());
  auto leased = Lease({"email"});
  ASSERT_TRUE(leased.ok());
  // The cancellation goes out; the offer does not.
  ASSERT_THAT(*leased, SizeIs(1));
  EXPECT_EQ(leased->at(0).message.kind, domain::MessageKind::kCancellation);
  EXPECT_FALSE(leased->at(0).content.offer_expire_time.has_value());
  for (const auto& m : Messages()) {
    if (m.kind != domain::MessageKind::kOffer) continue;
    EXPECT_EQ(m.state, MessageState::kDead);
    EXPECT_EQ(m.last_error, "not sent: the offer is withdrawn");
  }
}

TEST_F(OutboxTest, MessageWhoseLeasesKeepExpiringDies) {
  policy_.retry["email"] = notify::RetryPolicy::ForChannel("email");
  policy_.retry["email"].max_attempts = 3;
  auto [a, o] = Seed("a1", EmailSmsLetter());
  ASSERT_TRUE(Queue(a, o).ok());
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(*Lease({"email"}), SizeIs(1)) << i;
    clock_.Advance(std::chrono::seconds(61));
  }
  EXPECT_THAT(*Lease({"email"}), SizeIs(0));
  auto ms = Messages();
  ASSERT_THAT(ms, SizeIs(1));
  EXPECT_EQ(ms[0].state, MessageState::kDead);
  EXPECT_EQ(ms[0].last_error, "lease expired 3 times without a report");
}

TEST_F(OutboxTest, RateLimitSpreadsRefusedMessagesOverTime) {
  for (int i = 0; i < 6; ++i) {
    auto [a, o] = Seed(absl::StrCat("a", i), {.phone = "0151 23456789", .language = "de"});
    ASSERT_TRUE(Queue(a, o).ok());
  }
  OutboxLimits limits(clock_, {{"sms", {.rate_per_second = 1, .burst = 2}}});
  auto first = Lease({"sms"}, 10, &limits);
  ASSERT_TRUE(first.ok());
  EXPECT_THAT(*first, SizeIs(2));
  std::set<Instant> returns;
  for (const auto& m : Messages()) {
    if (m.state != MessageState::kPending) continue;
    EXPECT_GT(m.next_attempt_time, kT0);
    returns.insert(m.next_attempt_time);
  }
  // Four refused, one per second: each comes back when the bucket has a token for it.
  EXPECT_THAT(returns, SizeIs(4));
  EXPECT_EQ(*returns.begin(), kT0 + std::chrono::seconds(1));
  // Refused messages have no lease events.
  for (const auto& m : Messages()) {
    if (m.state == MessageState::kPending) {
      EXPECT_THAT(History(m.id), SizeIs(1));
    }
  }
  int leased = 2;
  for (int s = 1; s <= 4; ++s) {
    clock_.Set(kT0 + std::chrono::seconds(s));
    auto more = Lease({"sms"}, 10, &limits);
    ASSERT_TRUE(more.ok());
    EXPECT_THAT(*more, SizeIs(1)) << "second " << s;
    leased += static_cast<int>(more->size());
  }
  EXPECT_EQ(leased, 6);
}

TEST_F(OutboxTest, DailyQuotaPerOfficeDefersToTheNextDay) {
  for (int i = 0; i < 3; ++i) {
    auto [a, o] = Seed(absl::StrCat("a", i), {.phone = "0151 23456789", .language = "de"});
    ASSERT_TRUE(Queue(a, o).ok());
  }
  OutboxLimits limits(clock_, {{"sms", {.office_daily_quota = 2}}});
  auto first = Lease({"sms"}, 10, &limits);
  ASSERT_THAT(*first, SizeIs(2));
  for (const auto& l : *first) ASSERT_TRUE(Report(l.message, notify::DeliveryState::kSent).ok());
  auto pending = Messages();
  std::erase_if(pending, [](const auto& m) { return m.state != MessageState::kPending; });
  ASSERT_THAT(pending, SizeIs(1));
  // Local midnight in Halle after 2026-01-27 11:50 CET: 2026-01-27T23:00:00Z.
  EXPECT_EQ(pending[0].next_attempt_time, Instant(std::chrono::seconds(1769554800)));
  clock_.Set(pending[0].next_attempt_time);
  EXPECT_THAT(*Lease({"sms"}, 10, &limits), SizeIs(1));
}

TEST_F(OutboxTest, ExpiredLeasesTakeNoSecondSlot) {
  auto [a, o] = Seed("a1", {.phone = "0151 23456789", .language = "de"});
  ASSERT_TRUE(Queue(a, o).ok());
  OutboxLimits limits(clock_, {{"sms", {.office_daily_quota = 1}}});
  EXPECT_THAT(*Lease({"sms"}, 10, &limits), SizeIs(1));
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_THAT(*Lease({"sms"}, 10, &limits), SizeIs(1));
}

TEST_F(OutboxTest, StatsCountByOfficeChannelAndStateAndCitizensReached) {
  auto [a1, o1] = Seed("a1", Email());
  auto [a2, o2] = Seed("a2", EmailSmsLetter());
  auto [a3, o3] = Seed("a3", {.language = "de"});
  for (auto* p : {&a1, &a2, &a3}) {
    const domain::Offer& o = p == &a1 ? o1 : p == &a2 ? o2 : o3;
    ASSERT_TRUE(Queue(*p, o).ok());
  }
  auto leased = Lease({"email"});
  ASSERT_THAT(*leased, SizeIs(2));
  for (const auto& l : *leased) {
    const bool first = l.message.appointment_id == "a1";
    ASSERT_TRUE(
        Report(l.message,
               first ? notify::DeliveryState::kSent : notify::DeliveryState::kPermanentFailure,
               "550")
            .ok());
  }
  DeliveryStats stats;
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) -> absl::Status {
                           REBOOK_ASSIGN_OR_RETURN(stats,
                                                   ComputeDeliveryStats(tx, "out-1", std::nullopt));
                           return absl::OkStatus();
                         })
                  .ok());
  std::map<std::string, std::map<MessageState, std::int64_t>> by_channel;
  for (const auto& row : stats.rows) {
    EXPECT_EQ(row.office_id, "A");
    by_channel[row.channel] = row.state_counts;
  }
  EXPECT_EQ(by_channel["email"][MessageState::kSent], 1);
  EXPECT_EQ(by_channel["email"][MessageState::kDead], 1);
  EXPECT_EQ(by_channel["sms"][MessageState::kPending], 1);
  EXPECT_EQ(by_channel["phone"][MessageState::kDead], 1);
  EXPECT_EQ(stats.reached_citizens, 1);
  EXPECT_EQ(stats.unreached_citizens, 2);
  // Another office's view sees nothing.
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) -> absl::Status {
                           REBOOK_ASSIGN_OR_RETURN(
                               stats,
                               ComputeDeliveryStats(tx, "out-1", std::vector<std::string>{"B"}));
                           return absl::OkStatus();
                         })
                  .ok());
  EXPECT_THAT(stats.rows, SizeIs(0));
}

}  // namespace
}  // namespace rebook::rebooking::testing
