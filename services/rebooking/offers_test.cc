// Responses, expiry, reminders and withdrawal on a real SQLite store.
#include "services/rebooking/offers.h"

#include "gtest/gtest.h"
#include "services/rebooking/appointments.h"
#include "services/rebooking/slots.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking {
namespace {

using domain::AppointmentStatus;
using domain::MessageKind;
using domain::OfferState;
using testing::kT0;

class OffersTest : public testing::OutboxTest {
 protected:
  OfferContext Ctx() { return {clock_.Now(), ids_.get(), &policy_, &offer_policy_}; }

  absl::StatusOr<ResponseResult> Respond(const std::string& token, OfferResponse r) {
    ResponseResult out;
    absl::Status s = Write([&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::Offer o, FindOfferForToken(tx, token));
      REBOOK_ASSIGN_OR_RETURN(out, RespondToOffer(tx, o, r, Ctx()));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return out;
  }
  absl::StatusOr<ExpiryResult> Expire() {
    ExpiryResult out;
    absl::Status s = Write([&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(out, ProcessExpiries(tx, std::nullopt, Ctx()));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return out;
  }
  std::pair<domain::Appointment, domain::Offer> Read(const std::string& id, int version = 1) {
    std::pair<domain::Appointment, domain::Offer> out;
    EXPECT_TRUE(store_
                    ->Read({},
                           [&](storage::Transaction& tx) -> absl::Status {
                             REBOOK_ASSIGN_OR_RETURN(out.first, tx.GetAppointment("A", id));
                             REBOOK_ASSIGN_OR_RETURN(out.second, tx.GetOffer({"A", id}, version));
                             return absl::OkStatus();
                           })
                    .ok());
    return out;
  }
  int Count(MessageKind kind) {
    int n = 0;
    for (const auto& m : Messages()) n += m.kind == kind ? 1 : 0;
    return n;
  }

  OfferPolicy offer_policy_;
};

TEST_F(OffersTest, AcceptConfirmsOnceAndQueuesOneConfirmation) {
  auto [a, o] = Seed("a1", Email());
  auto r = Respond(o.token, {.kind = ResponseKind::kAccept});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->repeated);
  EXPECT_EQ(r->offer.state, OfferState::kAccepted);
  EXPECT_EQ(r->appointment.status, AppointmentStatus::kConfirmed);
  auto again = Respond(o.token, {.kind = ResponseKind::kAccept});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->repeated);
  EXPECT_EQ(Count(MessageKind::kConfirmation), 1);
  // A different answer afterwards changes nothing.
  auto decline = Respond(o.token, {.kind = ResponseKind::kDecline});
  EXPECT_EQ(decline.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Read("a1").second.state, OfferState::kAccepted);
}

TEST_F(OffersTest, DeclineAndOtherTimeFreeTheSlot) {
  auto [a, o] = Seed("a1", Email());
  auto [b, p] = Seed("b1", Email());
  ASSERT_TRUE(Respond(o.token, {.kind = ResponseKind::kDecline}).ok());
  EXPECT_EQ(Read("a1").second.state, OfferState::kDeclined);
  EXPECT_EQ(Read("a1").first.status, AppointmentStatus::kDeclined);
  domain::TimeInterval busy{kT0 + std::chrono::hours(72), kT0 + std::chrono::hours(80)};
  ASSERT_TRUE(Respond(p.token, {.kind = ResponseKind::kOtherTime, .unavailable = {busy}}).ok());
  ASSERT_TRUE(Respond(p.token, {.kind = ResponseKind::kOtherTime, .unavailable = {busy}}).ok());
  auto [appt, offer] = Read("b1");
  EXPECT_EQ(offer.state, OfferState::kOtherTimeRequested);
  EXPECT_EQ(appt.status, AppointmentStatus::kDeclined);
  ASSERT_EQ(appt.unavailable.size(), 1u) << "a repeated answer adds nothing";
  EXPECT_EQ(appt.unavailable[0], busy);
  EXPECT_EQ(Count(MessageKind::kConfirmation), 0);
}

TEST_F(OffersTest, WrongTokenExpiredAndBadInputChangeNothing) {
  auto [a, o] = Seed("a1", Email());
  EXPECT_EQ(Respond("tok_does_not_exist_000000", {}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(
      Respond(o.token, {.kind = ResponseKind::kAccept, .alternative_index = 0}).status().code(),
      absl::StatusCode::kInvalidArgument);
  clock_.Advance(std::chrono::hours(48));  // the expiry instant; ProcessExpiries has not run
  EXPECT_EQ(Respond(o.token, {.kind = ResponseKind::kAccept}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Read("a1").second.state, OfferState::kOpen);
  EXPECT_EQ(Read("a1").first.status, AppointmentStatus::kOffered);
}

TEST_F(OffersTest, ExpiriesRemindOnceThenExpireThenUnreachable) {
  auto [a, o] = Seed("a1", Email());
  clock_.Advance(std::chrono::hours(23));
  auto r = Expire();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->reminders_queued, 0);
  clock_.Advance(std::chrono::hours(2));  // 25 h after the offer: within 24 h of its expiry
  r = Expire();
  EXPECT_EQ(r->reminders_queued, 1);
  EXPECT_EQ(Expire()->reminders_queued, 0) << "once per offer";
  EXPECT_EQ(Count(MessageKind::kReminder), 1);
  clock_.Advance(std::chrono::hours(24));
  r = Expire();
  EXPECT_EQ(r->expired, 1);
  EXPECT_EQ(Read("a1").second.state, OfferState::kExpired);
  EXPECT_EQ(Read("a1").first.status, AppointmentStatus::kCancelled);
  EXPECT_EQ(Expire()->expired, 0) << "idempotent";

  // A second offer that expires too makes the citizen unreachable (max_expiries = 2).
  domain::Offer second = o;
  second.version = 2;
  second.state = OfferState::kOpen;
  second.token = "tok_second_offer_0123456789";
  second.create_time = clock_.Now();
  second.expire_time = clock_.Now() + std::chrono::hours(1);
  second.slot.time = {clock_.Now() + std::chrono::hours(30),
                      clock_.Now() + std::chrono::hours(30) + std::chrono::minutes(15)};
  ASSERT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                REBOOK_ASSIGN_OR_RETURN(domain::Appointment x, tx.GetAppointment("A", "a1"));
                x.status = AppointmentStatus::kOffered;
                HoldSlot(x, second);
                REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(x));
                return tx.PutOffer(second);
              }).ok());
  clock_.Advance(std::chrono::hours(2));
  r = Expire();
  EXPECT_EQ(r->expired, 1);
  EXPECT_EQ(r->unreachable, 1);
  EXPECT_EQ(Read("a1", 2).first.status, AppointmentStatus::kUnreachable);
}

TEST_F(OffersTest, SelfRebookedWithdrawsAndCancelsOnlyWhatTheCitizenMayKnow) {
  auto [a, o] = Seed("quiet", Email());
  auto [b, p] = Seed("told", Email());
  ASSERT_TRUE(Queue(a, o).ok());
  ASSERT_TRUE(Queue(b, p).ok());
  // Only the second citizen's offer message was sent.
  auto leased = Lease({"email"}, 10);
  ASSERT_TRUE(leased.ok());
  for (const OutboxLease& l : *leased) {
    if (l.message.appointment_id == "told") {
      ASSERT_TRUE(Report(l.message, notify::DeliveryState::kSent).ok());
    } else {
      ASSERT_TRUE(Report(l.message, notify::DeliveryState::kTemporaryFailure).ok());
    }
  }
  CommitContext ctx{clock_.Now(), ids_.get(), &policy_};
  for (const char* id : {"quiet", "told", "told"}) {
    ASSERT_TRUE(Write([&](storage::Transaction& tx) {
                  return MarkSelfRebooked(tx, {"A", id}, std::nullopt, ctx).status();
                }).ok());
  }
  EXPECT_EQ(Read("quiet").second.state, OfferState::kWithdrawn);
  EXPECT_EQ(Read("told").second.state, OfferState::kWithdrawn);
  EXPECT_EQ(Read("told").first.status, AppointmentStatus::kSelfRebooked);
  int cancellations = 0;
  for (const auto& m : Messages()) {
    if (m.kind != MessageKind::kCancellation) continue;
    ++cancellations;
    EXPECT_EQ(m.appointment_id, "told");
    EXPECT_FALSE(m.explanation.empty());
  }
  EXPECT_EQ(cancellations, 1);
  // The withdrawn offer cannot be answered.
  EXPECT_EQ(Respond(p.token, {.kind = ResponseKind::kAccept}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace rebook::rebooking
