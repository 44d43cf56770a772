// Message conversions of convert_notifications.h.
#include "services/api/convert_notifications.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rebook::api {
namespace {

using domain::MessageState;

TEST(ConvertNotificationsTest, StatesAndKindsMapOneToOne) {
  for (MessageState s : {MessageState::kPending, MessageState::kLeased, MessageState::kSent,
                         MessageState::kDelivered, MessageState::kFailed, MessageState::kDead}) {
    EXPECT_EQ(FromProto(ToProto(s)), s);
  }
  EXPECT_EQ(FromProto(v1::Message::STATE_UNSPECIFIED), std::nullopt);
  EXPECT_EQ(ToProto(domain::MessageKind::kOffer), v1::OFFER);
  EXPECT_EQ(ToProto(domain::MessageKind::kConfirmation), v1::CONFIRMATION);
  EXPECT_EQ(ToProto(domain::MessageKind::kReminder), v1::REMINDER);
  EXPECT_EQ(ToProto(domain::MessageKind::kCancellation), v1::CANCELLATION);
}

TEST(ConvertNotificationsTest, MessageNamesItsResourcesAndOnlyMeaningfulTimes) {
  domain::OutboxMessage m;
  m.id = "m-2";
  m.office_id = "HAL";
  m.outage_id = "out-1";
  m.appointment_id = "A-1";
  m.offer_version = 3;
  m.kind = domain::MessageKind::kReminder;
  m.channel = "phone";
  m.state = MessageState::kFailed;
  m.attempts = 2;
  m.next_attempt_time = Instant(std::chrono::seconds(1769675400));
  m.lease_expire_time = Instant(std::chrono::seconds(1769675000));
  m.fallback_from = "m-1";
  const std::vector<domain::MessageEvent> history = {
      {.message_id = "m-2",
       .time = Instant(std::chrono::seconds(1769670000)),
       .from = MessageState::kPending,
       .to = MessageState::kFailed,
       .reason = "451",
       .worker = "w1"}};
  v1::Message proto;
  ToProto(m, history, &proto);
  EXPECT_EQ(proto.name(), "offices/HAL/messages/m-2");
  EXPECT_EQ(proto.outage(), "outages/out-1");
  EXPECT_EQ(proto.appointment(), "offices/HAL/appointments/A-1");
  EXPECT_EQ(proto.offer(), "offices/HAL/appointments/A-1/offers/3");
  EXPECT_EQ(proto.fallback_from(), "offices/HAL/messages/m-1");
  EXPECT_EQ(proto.kind(), v1::REMINDER);
  EXPECT_EQ(proto.channel(), "phone");
  EXPECT_EQ(proto.state(), v1::Message::FAILED);
  EXPECT_EQ(proto.next_attempt_time().seconds(), 1769675400);
  EXPECT_FALSE(proto.has_lease_expire_time());  // only while LEASED
  ASSERT_EQ(proto.history_size(), 1);
  EXPECT_EQ(proto.history(0).from_state(), "PENDING");
  EXPECT_EQ(proto.history(0).to_state(), "FAILED");

  m.state = MessageState::kLeased;
  m.offer_version = 0;
  m.outage_id.clear();
  m.fallback_from.clear();
  ToProto(m, std::nullopt, &proto);
  EXPECT_FALSE(proto.has_next_attempt_time());
  EXPECT_EQ(proto.lease_expire_time().seconds(), 1769675000);
  EXPECT_EQ(proto.offer(), "");
  EXPECT_EQ(proto.outage(), "");
  EXPECT_EQ(proto.fallback_from(), "");
  EXPECT_EQ(proto.history_size(), 0);
}

}  // namespace
}  // namespace rebook::api
