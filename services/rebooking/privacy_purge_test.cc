// Retention purge on a real store: what is erased, what survives, when, in which batches.
#include "services/rebooking/privacy_purge.h"

#include <thread>

#include "gtest/gtest.h"
#include "services/rebooking/privacy_janitor.h"
#include "services/rebooking/slots.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking {
namespace {

using domain::AppointmentStatus;
using testing::kT0;

constexpr char kEmail[] = "erika@example.org";

class PurgeTest : public testing::OutboxTest {
 protected:
  // Appointment `id` of office A with a confirmed (accepted) offer, an e-mail message that
  // failed once with the address in its error, and a stored response repeating the name.
  void SeedConfirmed(const std::string& id) {
    auto [a, o] = Seed(id, EmailSmsLetter("email"));
    ASSERT_TRUE(Queue(a, o).ok());
    auto leased = Lease({"email"});
    ASSERT_TRUE(leased.ok()) << leased.status();
    ASSERT_EQ(leased->size(), 1u);
    ASSERT_TRUE(Report((*leased)[0].message, notify::DeliveryState::kTemporaryFailure,
                       absl::StrCat("452 mailbox of <", kEmail, "> full"))
                    .ok());
    a.status = AppointmentStatus::kConfirmed;
    a.unavailable = {{kT0, kT0 + std::chrono::hours(1)}};
    o.state = domain::OfferState::kAccepted;
    o.explanation = "the clerk is ill";
    ConfirmSlot(a, o, clock_.Now());
    ASSERT_TRUE(Write([&a = a, &o = o](storage::Transaction& tx) -> absl::Status {
                  REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
                  return tx.PutOffer(o);
                }).ok());
    ASSERT_TRUE(Write([&](storage::Transaction& tx) {
                  return tx.SaveRequest(
                      {.request_id = "r-" + id,
                       .method = "m",
                       .fingerprint = "f",
                       .response = std::string("\n\x10") + "Erika Mustermann" + "\x12\x02xy"});
                }).ok());
  }
  void CloseOutage(Instant at, std::vector<std::string> offices = {"A"}) {
    ASSERT_TRUE(Write([&](storage::Transaction& tx) {
                  return tx.PutOutage({.id = "out-1",
                                       .office_ids = offices,
                                       .window = {kT0, kT0 + std::chrono::hours(4)},
                                       .cause = "Stromausfall",
                                       .state = domain::OutageState::kClosed,
                                       .declare_time = kT0,
                                       .close_time = at});
                }).ok());
  }
  absl::StatusOr<PurgeResult> Purge(Instant now, RetentionPolicy policy = {},
                                    std::optional<std::vector<std::string>> offices = {}) {
    return RunPurge(*store_, offices, policy, {.now = now, .ids = ids_.get(), .outbox = &policy_});
  }
  domain::Appointment Appointment(const std::string& id) {
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
  bool RequestStored(const std::string& id) {
    bool found = false;
    EXPECT_TRUE(store_
                    ->Read({},
                           [&](storage::Transaction& tx) -> absl::Status {
                             found = tx.FindRequest(id).ok();
                             return absl::OkStatus();
                           })
                    .ok());
    return found;
  }
};

TEST_F(PurgeTest, ErasesContactDataAfterRetentionAndKeepsStatistics) {
  SeedConfirmed("a1");
  const Instant closed = kT0 + std::chrono::hours(6);
  CloseOutage(closed);

  auto early = Purge(closed + std::chrono::days(30) - std::chrono::seconds(1));
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_EQ(early->erased.appointments, 0);
  EXPECT_EQ(Appointment("a1").contact.email, kEmail);
  ASSERT_EQ(Messages().size(), 1u);
  EXPECT_NE(Messages()[0].last_error.find(kEmail), std::string::npos);

  auto r = Purge(closed + std::chrono::days(30));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->erased.appointments, 1);
  EXPECT_EQ(r->erased.offers, 1);
  EXPECT_EQ(r->erased.stored_responses, 1);
  EXPECT_EQ(r->outages_due, 1);
  EXPECT_TRUE(r->complete);

  const domain::Appointment a = Appointment("a1");
  EXPECT_EQ(a.contact.name, "");
  EXPECT_EQ(a.contact.phone, "");
  EXPECT_EQ(a.contact.email, "");
  EXPECT_EQ(a.contact.postal_address, "");
  EXPECT_TRUE(a.unavailable.empty());
  // Statistics survive.
  EXPECT_EQ(a.status, AppointmentStatus::kConfirmed);
  EXPECT_EQ(a.contact.language, "en");
  EXPECT_EQ(a.contact.channel, "email");
  EXPECT_EQ(a.original_start, kT0);
  EXPECT_EQ(a.status_reason, kErasedText);
  EXPECT_FALSE(RequestStored("r-a1"));

  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) -> absl::Status {
                           REBOOK_ASSIGN_OR_RETURN(domain::Offer o, tx.GetOffer({"A", "a1"}, 1));
                           EXPECT_EQ(o.state, domain::OfferState::kAccepted);
                           EXPECT_EQ(o.explanation, "");
                           EXPECT_EQ(o.token, "erased/A/a1/1");
                           EXPECT_EQ(o.slot.office_id, "B");
                           EXPECT_TRUE(absl::IsNotFound(
                               tx.FindOfferByToken("tok_a1_0123456789abcdef").status()));
                           REBOOK_ASSIGN_OR_RETURN(auto e, tx.GetErasure({"A", "a1"}));
                           EXPECT_TRUE(e.has_value());
                           if (e) {
                             EXPECT_EQ(e->reason, kErasedByRetention);
                           }
                           return absl::OkStatus();
                         })
                  .ok());
  for (const domain::OutboxMessage& m : Messages()) {
    EXPECT_EQ(m.last_error.find(kEmail), std::string::npos) << m.last_error;
    EXPECT_EQ(m.provider_message_id, "");
    EXPECT_GE(m.attempts, 1);  // counts survive
    for (const domain::MessageEvent& e : History(m.id)) {
      EXPECT_EQ(e.reason.find(kEmail), std::string::npos) << e.reason;
    }
  }

  // Idempotent.
  auto again = Purge(closed + std::chrono::days(31));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->erased.appointments, 0);
  EXPECT_EQ(again->erased.offers, 0);
}

TEST_F(PurgeTest, OfficeSettingOverridesTheDefault) {
  SeedConfirmed("a1");
  const Instant closed = kT0 + std::chrono::hours(6);
  CloseOutage(closed);
  RetentionPolicy policy;
  ASSERT_TRUE(Write([&](storage::Transaction& tx) {
                return SetRetention(tx, "A", 7, kT0, policy).status();
              }).ok());
  auto r = Purge(closed + std::chrono::days(7), policy);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->erased.appointments, 1);

  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) -> absl::Status {
                           REBOOK_ASSIGN_OR_RETURN(RetentionView a, GetRetention(tx, "A", policy));
                           EXPECT_EQ(a.retention_days, 7);
                           EXPECT_FALSE(a.is_default);
                           REBOOK_ASSIGN_OR_RETURN(RetentionView b, GetRetention(tx, "B", policy));
                           EXPECT_EQ(b.retention_days, 30);
                           EXPECT_TRUE(b.is_default);
                           EXPECT_TRUE(absl::IsNotFound(GetRetention(tx, "nope", policy).status()));
                           return absl::OkStatus();
                         })
                  .ok());
}

TEST_F(PurgeTest, SetRetentionRefusesOutOfRangeAndUnknownOffices) {
  RetentionPolicy policy;
  absl::Status s = Write([&](storage::Transaction& tx) {
    REBOOK_RETURN_IF_ERROR(SetRetention(tx, "A", 0, kT0, policy).status());
    return absl::OkStatus();
  });
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  s = Write(
      [&](storage::Transaction& tx) { return SetRetention(tx, "nope", 10, kT0, policy).status(); });
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
}

TEST_F(PurgeTest, RunsInBoundedBatchesAndOnlyInScope) {
  for (int i = 0; i < 5; ++i) Seed(absl::StrCat("b", i), Email());
  const Instant closed = kT0 + std::chrono::hours(6);
  CloseOutage(closed, {"A", "B"});
  const Instant later = closed + std::chrono::days(40);

  auto none = Purge(later, {}, std::vector<std::string>{"B"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->erased.appointments, 0);

  RetentionPolicy small{.batch_size = 2, .max_batches = 1};
  auto first = Purge(later, small);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->erased.appointments, 2);
  EXPECT_FALSE(first->complete);
  auto rest = Purge(later, {.batch_size = 2, .max_batches = 10});
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->erased.appointments, 3);
  EXPECT_TRUE(rest->complete);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Appointment(absl::StrCat("b", i)).contact.email, "");
}

TEST_F(PurgeTest, ActiveOutagesAreNotPurged) {
  SeedConfirmed("a1");
  ASSERT_TRUE(Write([&](storage::Transaction& tx) {
                return tx.PutOutage({.id = "out-1",
                                     .office_ids = {"A"},
                                     .window = {kT0, kT0 + std::chrono::hours(4)},
                                     .declare_time = kT0});
              }).ok());
  auto r = Purge(kT0 + std::chrono::days(400));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->erased.appointments, 0);
  EXPECT_EQ(Appointment("a1").contact.email, kEmail);
}

TEST_F(PurgeTest, TheJanitorPurgesOnItsOwnAndStopsWithItsOwner) {
  SeedConfirmed("a1");
  CloseOutage(kT0);
  clock_.Set(kT0 + std::chrono::days(31));
  {
    RetentionJanitor janitor(store_.get(), &clock_, ids_.get(), &policy_,
                             {.interval = std::chrono::milliseconds(10)});
    for (int i = 0; i < 500 && janitor.runs() < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_GE(janitor.runs(), 2);
  }
  EXPECT_EQ(Appointment("a1").contact.email, "");
}

}  // namespace
}  // namespace rebook::rebooking
