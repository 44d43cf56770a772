// The slots of an appointment through its lifecycle, on a real store: held while offered,
// rebooked while confirmed (with how and when), released by every other status change.
#include "services/rebooking/slots.h"

#include "gtest/gtest.h"
#include "services/rebooking/appointments.h"
#include "services/rebooking/offers.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking {
namespace {

using domain::AppointmentStatus;
using domain::ConfirmationChannel;
using testing::kT0;

domain::Offer OfferWithAlternative() {
  domain::Offer o;
  o.slot = {"B", "kb", {kT0, kT0 + std::chrono::minutes(15)}, 1.0};
  o.alternatives = {{"A", "ka", {kT0 + std::chrono::hours(1), kT0 + std::chrono::hours(2)}, 2.0}};
  o.response_channel = "phone";
  return o;
}

TEST(SlotsTest, HoldAndConfirmTakeTheHeldSlotOfTheOffer) {
  domain::Appointment a;
  a.status = AppointmentStatus::kOffered;
  domain::Offer o = OfferWithAlternative();
  HoldSlot(a, o);
  ASSERT_TRUE(a.held_slot.has_value());
  EXPECT_EQ(*a.held_slot, (domain::ScheduledSlot{"B", "kb", o.slot.time}));
  EXPECT_TRUE(CheckSlotsMatchStatus(a).ok());

  o.accepted_alternative = 0;
  a.status = AppointmentStatus::kConfirmed;
  ConfirmSlot(a, o, kT0 + std::chrono::minutes(3));
  EXPECT_FALSE(a.held_slot.has_value());
  ASSERT_TRUE(a.rebooked_slot.has_value());
  EXPECT_EQ(a.rebooked_slot->slot, (domain::ScheduledSlot{"A", "ka", o.alternatives[0].time}));
  EXPECT_EQ(a.rebooked_slot->confirmed_via, ConfirmationChannel::kPhone);
  EXPECT_EQ(a.rebooked_slot->confirm_time, kT0 + std::chrono::minutes(3));
  EXPECT_TRUE(CheckSlotsMatchStatus(a).ok());

  o.response_channel = "";  // no recorded channel: staff did it
  ConfirmSlot(a, o, kT0);
  EXPECT_EQ(a.rebooked_slot->confirmed_via, ConfirmationChannel::kStaff);
}

TEST(SlotsTest, TheInvariantNamesTheAppointmentThatBreaksIt) {
  domain::Appointment a;
  a.id = "a7";
  a.office_id = "A";
  a.status = AppointmentStatus::kConfirmed;
  EXPECT_EQ(CheckSlotsMatchStatus(a).code(), absl::StatusCode::kInternal);
  EXPECT_NE(CheckSlotsMatchStatus(a).message().find("a7"), std::string::npos);
  a.status = AppointmentStatus::kDeclined;
  EXPECT_TRUE(CheckSlotsMatchStatus(a).ok());
  a.held_slot = domain::ScheduledSlot{"A", "ka", {kT0, kT0}};
  EXPECT_FALSE(CheckSlotsMatchStatus(a).ok());
  ReleaseSlots(a);
  EXPECT_TRUE(CheckSlotsMatchStatus(a).ok());
}

class SlotLifecycleTest : public testing::OutboxTest {
 protected:
  OfferContext Ctx() { return {clock_.Now(), ids_.get(), &policy_, &offer_policy_}; }
  absl::Status Respond(const std::string& token, OfferResponse r) {
    return Write([&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::Offer o, FindOfferForToken(tx, token));
      return RespondToOffer(tx, o, r, Ctx()).status();
    });
  }
  domain::Appointment Load(const std::string& id) {
    domain::Appointment a;
    EXPECT_TRUE(store_
                    ->Read({},
                           [&](storage::Transaction& tx) -> absl::Status {
                             REBOOK_ASSIGN_OR_RETURN(a, tx.GetAppointment("A", id));
                             return absl::OkStatus();
                           })
                    .ok());
    return a;
  }
  OfferPolicy offer_policy_;
};

TEST_F(SlotLifecycleTest, AcceptByLinkAndByPhoneRebookIntoTheHeldSlot) {
  auto [a, o] = Seed("a1", Email());
  auto [b, p] = Seed("b1", Email());
  EXPECT_EQ(Load("a1").held_slot, a.held_slot);
  clock_.Advance(std::chrono::minutes(7));
  ASSERT_TRUE(Respond(o.token, {.kind = ResponseKind::kAccept}).ok());
  ASSERT_TRUE(Respond(p.token, {.kind = ResponseKind::kAccept, .channel = "phone"}).ok());
  for (const auto& [id, via] : {std::pair{"a1", ConfirmationChannel::kLink},
                                std::pair{"b1", ConfirmationChannel::kPhone}}) {
    const domain::Appointment got = Load(id);
    EXPECT_EQ(got.status, AppointmentStatus::kConfirmed);
    EXPECT_FALSE(got.held_slot.has_value()) << id;
    ASSERT_TRUE(got.rebooked_slot.has_value()) << id;
    EXPECT_EQ(got.rebooked_slot->slot, ScheduledSlotOf(o.slot)) << id;
    EXPECT_EQ(got.rebooked_slot->confirmed_via, via) << id;
    EXPECT_EQ(got.rebooked_slot->confirm_time, kT0 + std::chrono::minutes(7)) << id;
  }
  // The counter's list finds them by the slot's office and day.
  storage::AppointmentFilter counter;
  counter.slot_office_id = "B";
  counter.slot_start_in = domain::TimeInterval{o.slot.time.start, o.slot.time.end};
  std::int64_t n = 0;
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) -> absl::Status {
                           REBOOK_ASSIGN_OR_RETURN(n, tx.CountAppointments(counter));
                           return absl::OkStatus();
                         })
                  .ok());
  EXPECT_EQ(n, 2);
}

TEST_F(SlotLifecycleTest, DeclineOtherTimeAndExpiryReleaseTheHeldSlot) {
  auto [a, o] = Seed("a1", Email());
  auto [b, p] = Seed("b1", Email());
  auto [c, q] = Seed("c1", Email());
  ASSERT_TRUE(Respond(o.token, {.kind = ResponseKind::kDecline}).ok());
  ASSERT_TRUE(Respond(p.token, {.kind = ResponseKind::kOtherTime}).ok());
  clock_.Advance(std::chrono::hours(49));
  ASSERT_TRUE(Write([&](storage::Transaction& tx) {
                return ProcessExpiries(tx, std::nullopt, Ctx()).status();
              }).ok());
  for (const char* id : {"a1", "b1", "c1"}) {
    const domain::Appointment got = Load(id);
    EXPECT_NE(got.status, AppointmentStatus::kOffered) << id;
    EXPECT_FALSE(got.held_slot.has_value()) << id;
    EXPECT_FALSE(got.rebooked_slot.has_value()) << id;
  }
}

TEST_F(SlotLifecycleTest, SelfRebookedAndClosedReleaseEvenAConfirmedSlot) {
  auto [a, o] = Seed("a1", Email());
  auto [b, p] = Seed("b1", Email());
  ASSERT_TRUE(Respond(o.token, {.kind = ResponseKind::kAccept}).ok());
  ASSERT_TRUE(Load("a1").rebooked_slot.has_value());
  CommitContext ctx{clock_.Now(), ids_.get(), &policy_};
  ASSERT_TRUE(Write([&](storage::Transaction& tx) {
                return MarkSelfRebooked(tx, {"A", "a1"}, std::nullopt, ctx).status();
              }).ok());
  ASSERT_TRUE(Write([&](storage::Transaction& tx) {
                return CloseAppointment(tx, {"A", "b1"}, "moved away", ctx).status();
              }).ok());
  for (const char* id : {"a1", "b1"}) {
    const domain::Appointment got = Load(id);
    EXPECT_FALSE(got.held_slot.has_value()) << id;
    EXPECT_FALSE(got.rebooked_slot.has_value()) << id;
  }
}

TEST_F(SlotLifecycleTest, AnUpdateOfBookingDataKeepsTheHeldSlot) {
  auto [a, o] = Seed("a1", Email());
  domain::Appointment changed = a;
  changed.priority = 3;
  changed.held_slot.reset();  // what a client sends carries no lifecycle
  ASSERT_TRUE(Write([&](storage::Transaction& tx) {
                return UpdateAppointment(tx, changed, clock_.Now()).status();
              }).ok());
  const domain::Appointment got = Load("a1");
  EXPECT_EQ(got.priority, 3);
  EXPECT_EQ(got.held_slot, a.held_slot);
}

}  // namespace
}  // namespace rebook::rebooking
