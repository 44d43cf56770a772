// QueueMessage, ReportDelivery, RetryMessage and the channel fallback, on a real SQLite store.
#include "services/rebooking/outbox.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking::testing {
namespace {

using domain::MessageKind;
using domain::MessageState;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST(OutboxPolicyFromConfig, TakesWhatTheFileSetsAndKeepsTheDefaultsElse) {
  auto config = notify::ParseDeliveryConfig(R"([outbox]
chain = smtp, sms, letter
jitter_seed = 42

[channel.smtp]
retry_initial = 1s
retry_max_attempts = 3
)",
                                            "f.conf");
  ASSERT_TRUE(config.ok()) << config.status();
  const OutboxPolicy policy = OutboxPolicy::FromConfig(*config);
  EXPECT_EQ(policy.jitter_seed, 42u);
  ASSERT_EQ(policy.chain.steps().size(), 3u);
  EXPECT_EQ(policy.chain.steps()[0].name, "email");
  EXPECT_EQ(policy.RetryFor("email").initial_delay, std::chrono::seconds(1));
  EXPECT_EQ(policy.RetryFor("email").max_attempts, 3);
  // Unconfigured channels keep the notify defaults, and the unreachable channel its default.
  EXPECT_EQ(policy.RetryFor("letter").initial_delay, std::chrono::seconds(30));
  EXPECT_EQ(policy.unreachable_channel, "phone");
  EXPECT_EQ(OutboxPolicy::FromConfig({}).jitter_seed, OutboxPolicy().jitter_seed);
}

TEST(OutboxPolicyHold, LettersHoldSevenDaysByDefaultAndTheFileSetsEachChannel) {
  const domain::Contact letter_only{.postal_address = "Ringstr. 1\n06108 Halle"};
  const domain::Contact email{.email = "erika@example.org", .postal_address = "Ringstr. 1"};
  const std::chrono::seconds ttl = std::chrono::hours(48);
  const OutboxPolicy defaults;
  EXPECT_EQ(defaults.OfferHold(letter_only, ttl), std::chrono::hours(7 * 24));
  EXPECT_EQ(defaults.OfferHold(email, ttl), ttl);  // digital: the office's offer_ttl
  // An office that holds longer than the channel keeps its own time.
  EXPECT_EQ(defaults.OfferHold(letter_only, std::chrono::hours(10 * 24)),
            std::chrono::hours(10 * 24));

  auto config = notify::ParseDeliveryConfig(
      "[channel.letter]\nhold = 10d\n[channel.email]\nhold = 3d\n", "f.conf");
  ASSERT_TRUE(config.ok()) << config.status();
  const OutboxPolicy policy = OutboxPolicy::FromConfig(*config);
  EXPECT_EQ(policy.OfferHold(letter_only, ttl), std::chrono::hours(10 * 24));
  EXPECT_EQ(policy.OfferHold(email, ttl), std::chrono::hours(3 * 24));
  for (const char* bad : {"hold = 30m", "hold = 31d", "hold = soon"}) {
    auto refused = notify::ParseDeliveryConfig(absl::StrCat("[channel.letter]\n", bad), "f.conf");
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST_F(OutboxTest, FallingBackToALetterHoldsTheOfferSevenDaysFromThen) {
  auto [a, o] = Seed("a1", EmailSmsLetter("email"));
  ASSERT_TRUE(Queue(a, o).ok());
  clock_.Set(kT0 + std::chrono::hours(5));
  for (const char* channel : {"email", "sms"}) {
    auto leased = Lease({channel});
    ASSERT_TRUE(leased.ok());
    ASSERT_THAT(*leased, SizeIs(1)) << channel;
    ASSERT_TRUE(
        Report(leased->at(0).message, notify::DeliveryState::kPermanentFailure, "refused").ok());
  }
  auto offer = [&, &a = a] {
    domain::Offer read;
    EXPECT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                  REBOOK_ASSIGN_OR_RETURN(read, tx.GetOffer({a.office_id, a.id}, 1));
                  return absl::OkStatus();
                }).ok());
    return read;
  };
  EXPECT_EQ(offer().expire_time, kT0 + std::chrono::hours(5) + std::chrono::hours(7 * 24));
  auto letter = Lease({"letter"});
  ASSERT_TRUE(letter.ok());
  ASSERT_THAT(*letter, SizeIs(1));
  EXPECT_THAT(History(letter->at(0).message.id)[0].reason, HasSubstr("held 168 h from now"));
  EXPECT_EQ(letter->at(0).content.offer_expire_time, offer().expire_time);
}

TEST_F(OutboxTest, QueuePicksThePreferredChannelThenTheChain) {
  auto [a1, o1] = Seed("a1", EmailSmsLetter("sms"));
  auto [a2, o2] = Seed("a2", EmailSmsLetter(""));
  auto [a3, o3] = Seed("a3", {.postal_address = "Ringstr. 1\n06108 Halle"});
  ASSERT_TRUE(Queue(a1, o1).ok());
  ASSERT_TRUE(Queue(a2, o2).ok());
  ASSERT_TRUE(Queue(a3, o3).ok());
  std::vector<domain::OutboxMessage> ms = Messages();
  ASSERT_THAT(ms, SizeIs(3));
  std::map<std::string, domain::OutboxMessage> by_appointment;
  for (const auto& m : ms) by_appointment[m.appointment_id] = m;
  EXPECT_EQ(by_appointment["a1"].channel, "sms");
  EXPECT_EQ(by_appointment["a2"].channel, "email");
  EXPECT_EQ(by_appointment["a3"].channel, "letter");
  const domain::OutboxMessage& m = by_appointment["a2"];
  EXPECT_EQ(m.idempotency_key, "out-1/A/a2/v1/offer/email");  // outage/office/appointment/...
  EXPECT_EQ(m.state, MessageState::kPending);
  EXPECT_EQ(m.office_id, "A");
  EXPECT_EQ(m.language, "en");
  EXPECT_EQ(m.next_attempt_time, kT0);
  auto history = History(m.id);
  ASSERT_THAT(history, SizeIs(1));
  EXPECT_EQ(history[0].to, MessageState::kPending);
  EXPECT_THAT(history[0].reason, HasSubstr("queued on email"));
  EXPECT_THAT(History(by_appointment["a1"].id)[0].reason, HasSubstr("preferred"));
}

TEST_F(OutboxTest, ALandlineNeverGetsAnSmsAndTheHistorySaysWhy) {
  domain::Contact landline = EmailSmsLetter("sms");
  landline.email.clear();
  landline.phone = "0345 1234567";  // Halle: a landline
  auto [a, o] = Seed("a1", landline);
  ASSERT_TRUE(Queue(a, o).ok());
  std::vector<domain::OutboxMessage> ms = Messages();
  ASSERT_THAT(ms, SizeIs(1));
  EXPECT_EQ(ms[0].channel, "letter");
  EXPECT_THAT(History(ms[0].id)[0].reason,
              HasSubstr("no SMS: the phone number is not a mobile number"));
  // When the letter fails for good, the fallback is the phone call, never an SMS.
  auto leased = Lease({"letter"});
  ASSERT_TRUE(leased.ok());
  ASSERT_THAT(*leased, SizeIs(1));
  ASSERT_TRUE(
      Report(leased->at(0).message, notify::DeliveryState::kPermanentFailure, "address unknown")
          .ok());
  EXPECT_THAT(*Lease({"sms"}), SizeIs(0));
  auto call = Lease({"phone"});
  ASSERT_TRUE(call.ok());
  EXPECT_THAT(*call, SizeIs(1));
}

TEST_F(OutboxTest, QueueIsIdempotentPerOfferVersionAndKind) {
  auto [a, o] = Seed("a1", Email());
  ASSERT_TRUE(Queue(a, o).ok());
  ASSERT_TRUE(Queue(a, o).ok());
  // The contact changed in between: still the same offer message, not a second one.
  a.contact = EmailSmsLetter("sms");
  ASSERT_TRUE(Queue(a, o).ok());
  EXPECT_THAT(Messages(), SizeIs(1));
  // Another kind for the same offer is another message.
  ASSERT_TRUE(Queue(a, o, MessageKind::kReminder).ok());
  EXPECT_THAT(Messages(), SizeIs(2));
}

TEST_F(OutboxTest, QueueRejectsAnOfferOfAnotherAppointment) {
  auto [a, o] = Seed("a1", Email());
  o.appointment_id = "other";
  EXPECT_EQ(Queue(a, o).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Messages(), SizeIs(0));
}

TEST_F(OutboxTest, CitizenWithoutContactDataGetsADeadMessage) {
  auto [a, o] = Seed("a1", {.name = "Erika Mustermann", .language = "de"});
  ASSERT_TRUE(Queue(a, o).ok());
  auto ms = Messages();
  ASSERT_THAT(ms, SizeIs(1));
  EXPECT_EQ(ms[0].state, MessageState::kDead);
  EXPECT_EQ(ms[0].channel, "phone");
  EXPECT_THAT(ms[0].last_error, HasSubstr("no contact data"));
  // Nothing to lease.
  auto leased = Lease({"email", "sms", "letter", "phone"});
  ASSERT_TRUE(leased.ok());
  EXPECT_THAT(*leased, SizeIs(0));
}

TEST_F(OutboxTest, SentEndsTheMessageAndARepeatedReportChangesNothing) {
  auto [a, o] = Seed("a1", Email());
  ASSERT_TRUE(Queue(a, o).ok());
  auto leased = Lease({"email"});
  ASSERT_TRUE(leased.ok());
  ASSERT_THAT(*leased, SizeIs(1));
  clock_.Advance(std::chrono::seconds(2));
  auto sent = Report(leased->at(0).message, notify::DeliveryState::kSent);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->state, MessageState::kSent);
  EXPECT_EQ(sent->attempts, 1);
  EXPECT_EQ(sent->provider_message_id, "prov-1");
  auto again = Report(leased->at(0).message, notify::DeliveryState::kSent);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->update_time, sent->update_time);
  auto history = History(sent->id);
  ASSERT_THAT(history, SizeIs(3));
  EXPECT_EQ(history[1].to, MessageState::kLeased);
  EXPECT_EQ(history[1].worker, "w1");
  EXPECT_EQ(history[2].from, MessageState::kLeased);
  EXPECT_EQ(history[2].to, MessageState::kSent);
  EXPECT_EQ(history[2].time, kT0 + std::chrono::seconds(2));
}

TEST_F(OutboxTest, ReportOnAnExpiredLeaseIsAcceptedUntilSomeoneElseLeases) {
  auto [a, o] = Seed("a1", Email());
  auto [b, p] = Seed("a2", Email());
  ASSERT_TRUE(Queue(a, o).ok());
  ASSERT_TRUE(Queue(b, p).ok());
  auto first = Lease({"email"});
  ASSERT_TRUE(first.ok());
  ASSERT_THAT(*first, SizeIs(2));
  // Unexpired: nobody else gets them.
  auto none = Lease({"email"}, 10, nullptr, "w2");
  ASSERT_TRUE(none.ok());
  EXPECT_THAT(*none, SizeIs(0));
  clock_.Advance(std::chrono::seconds(61));
  // a1's lease expired but nobody took it: the late report counts.
  auto late = Report(first->at(0).message, notify::DeliveryState::kDelivered);
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_EQ(late->state, MessageState::kDelivered);
  // a2 is taken over by w2; w1's report on it is refused.
  auto second = Lease({"email"}, 10, nullptr, "w2");
  ASSERT_TRUE(second.ok());
  ASSERT_THAT(*second, SizeIs(1));
  EXPECT_EQ(second->at(0).message.id, first->at(1).message.id);
  EXPECT_EQ(second->at(0).message.attempts, 1);  // the abandoned lease counts
  EXPECT_NE(second->at(0).message.lease_token, first->at(1).message.lease_token);
  auto refused = Report(first->at(1).message, notify::DeliveryState::kSent);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  auto ok = Report(second->at(0).message, notify::DeliveryState::kSent);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->attempts, 2);
  auto history = History(ok->id);
  ASSERT_THAT(history, SizeIs(4));
  EXPECT_EQ(history[2].from, MessageState::kLeased);
  EXPECT_EQ(history[2].to, MessageState::kLeased);
  EXPECT_THAT(history[2].reason, HasSubstr("expired"));
  EXPECT_EQ(history[2].worker, "w2");
}

TEST_F(OutboxTest, TemporaryFailureRetriesWithJitteredBackoffThenDelivers) {
  policy_.retry["email"] = {.initial_delay = std::chrono::seconds(100),
                            .multiplier = 2,
                            .max_delay = std::chrono::seconds(1000),
                            .jitter = 0.2,
                            .give_up_after = std::chrono::hours(1),
                            .max_attempts = 10};
  auto [a, o] = Seed("a1", Email());
  ASSERT_TRUE(Queue(a, o).ok());
  auto leased = Lease({"email"});
  ASSERT_TRUE(leased.ok());
  auto failed = Report(leased->at(0).message, notify::DeliveryState::kTemporaryFailure,
                       "451 4.7.1 try again later");
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(failed->state, MessageState::kFailed);
  EXPECT_EQ(failed->last_error, "451 4.7.1 try again later");
  const auto delay = failed->next_attempt_time - kT0;
  EXPECT_GE(delay, std::chrono::seconds(80));
  EXPECT_LE(delay, std::chrono::seconds(120));
  // Not due yet.
  clock_.Advance(std::chrono::seconds(79));
  EXPECT_THAT(*Lease({"email"}), SizeIs(0));
  clock_.Set(failed->next_attempt_time);
  auto again = Lease({"email"});
  ASSERT_TRUE(again.ok());
  ASSERT_THAT(*again, SizeIs(1));
  // The second delay doubles.
  auto failed2 = Report(again->at(0).message, notify::DeliveryState::kTemporaryFailure, "451");
  ASSERT_TRUE(failed2.ok());
  const auto delay2 = failed2->next_attempt_time - clock_.Now();
  EXPECT_GE(delay2, std::chrono::seconds(160));
  EXPECT_LE(delay2, std::chrono::seconds(240));
  clock_.Set(failed2->next_attempt_time);
  auto third = Lease({"email"});
  ASSERT_TRUE(third.ok());
  ASSERT_THAT(*third, SizeIs(1));
  auto delivered = Report(third->at(0).message, notify::DeliveryState::kDelivered);
  ASSERT_TRUE(delivered.ok());
  EXPECT_EQ(delivered->state, MessageState::kDelivered);
  EXPECT_EQ(delivered->attempts, 3);
}

TEST_F(OutboxTest, ProviderRetryAfterPostponesTheNextAttempt) {
  auto [a, o] = Seed("a1", {.phone = "0151 23456789", .language = "de"});
  ASSERT_TRUE(Queue(a, o).ok());
  auto leased = Lease({"sms"});
  ASSERT_THAT(*leased, SizeIs(1));
  domain::OutboxMessage failed;
  ASSERT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                REBOOK_ASSIGN_OR_RETURN(
                    failed, ReportDelivery(tx, policy_,
                                           {.message_id = leased->at(0).message.id,
                                            .lease_token = leased->at(0).message.lease_token,
                                            .outcome = notify::DeliveryState::kTemporaryFailure,
                                            .reason = "HTTP 429",
                                            .retry_after = std::chrono::seconds(600),
                                            .worker = "w1"},
                                           clock_.Now(), *ids_));
                return absl::OkStatus();
              }).ok());
  // The sms default would retry after about 10 s; the gateway asked for 10 minutes.
  EXPECT_EQ(failed.state, MessageState::kFailed);
  EXPECT_EQ(failed.next_attempt_time, kT0 + std::chrono::seconds(600));
}

TEST_F(OutboxTest, JitterIsReproducibleForTheSameSeed) {
  auto first_retry = [&](std::uint64_t seed) {
    Fresh();
    policy_.jitter_seed = seed;
    auto [a, o] = Seed("a1", Email());
    EXPECT_TRUE(Queue(a, o).ok());
    auto leased = Lease({"email"});
    auto failed = Report(leased->at(0).message, notify::DeliveryState::kTemporaryFailure, "451");
    return failed->next_attempt_time;
  };
  EXPECT_EQ(first_retry(7), first_retry(7));
  std::set<Instant> times;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) times.insert(first_retry(seed));
  EXPECT_GT(times.size(), 1u) << "no jitter";
}

TEST_F(OutboxTest, PermanentFailureFallsBackToTheNextChannel) {
  auto [a, o] = Seed("a1", EmailSmsLetter("email"));
  ASSERT_TRUE(Queue(a, o).ok());
  auto leased = Lease({"email"});
  ASSERT_TRUE(leased.ok());
  auto dead = Report(leased->at(0).message, notify::DeliveryState::kPermanentFailure,
                     "550 5.1.1 mailbox unavailable");
  ASSERT_TRUE(dead.ok()) << dead.status();
  EXPECT_EQ(dead->state, MessageState::kDead);
  EXPECT_EQ(dead->attempts, 1);
  EXPECT_THAT(dead->last_error, HasSubstr("550 5.1.1 mailbox unavailable"));
  auto history = History(dead->id);
  ASSERT_THAT(history, SizeIs(3));
  EXPECT_THAT(history[2].reason, HasSubstr("falling back to message"));

  auto sms = Lease({"sms"});
  ASSERT_TRUE(sms.ok());
  ASSERT_THAT(*sms, SizeIs(1));
  const domain::OutboxMessage& f = sms->at(0).message;
  EXPECT_EQ(f.fallback_from, dead->id);
  EXPECT_EQ(f.idempotency_key, "out-1/A/a1/v1/offer/sms");
  EXPECT_THAT(History(f.id)[0].reason, HasSubstr("fallback from email"));
  // sms dies too -> letter; letter dies -> phone; then nothing is left.
  std::string previous = f.id;
  auto dead_sms = Report(f, notify::DeliveryState::kPermanentFailure, "invalid number");
  ASSERT_TRUE(dead_sms.ok());
  for (const char* channel : {"letter", "phone"}) {
    auto next = Lease({channel});
    ASSERT_TRUE(next.ok());
    ASSERT_THAT(*next, SizeIs(1)) << channel;
    EXPECT_EQ(next->at(0).message.fallback_from, previous);
    previous = next->at(0).message.id;
    ASSERT_TRUE(Report(next->at(0).message, notify::DeliveryState::kPermanentFailure, "x").ok());
  }
  EXPECT_THAT(Messages(), SizeIs(4));
  EXPECT_THAT(History(previous).back().reason, HasSubstr("no other channel"));
}

TEST_F(OutboxTest, GivingUpAfterRetriesAlsoFallsBack) {
  policy_.retry["email"] = {.initial_delay = std::chrono::seconds(10),
                            .max_delay = std::chrono::seconds(10),
                            .jitter = 0,
                            .give_up_after = std::chrono::hours(1),
                            .max_attempts = 2};
  auto [a, o] = Seed("a1", EmailSmsLetter());
  ASSERT_TRUE(Queue(a, o).ok());
  auto l1 = Lease({"email"});
  ASSERT_TRUE(Report(l1->at(0).message, notify::DeliveryState::kTemporaryFailure, "421").ok());
  clock_.Advance(std::chrono::seconds(10));
  auto l2 = Lease({"email"});
  ASSERT_THAT(*l2, SizeIs(1));
  auto dead = Report(l2->at(0).message, notify::DeliveryState::kTemporaryFailure, "421");
  ASSERT_TRUE(dead.ok());
  EXPECT_EQ(dead->state, MessageState::kDead);
  EXPECT_THAT(dead->last_error, HasSubstr("gave up after 2 attempts"));
  EXPECT_THAT(*Lease({"sms"}), SizeIs(1));
}

TEST_F(OutboxTest, RetryMessageRevivesOnlyDeadMessages) {
  auto [a, o] = Seed("a1", Email());
  ASSERT_TRUE(Queue(a, o).ok());
  auto leased = Lease({"email"});
  const std::string id = leased->at(0).message.id;
  auto retry = [&]() -> absl::StatusOr<domain::OutboxMessage> {
    domain::OutboxMessage out;
    absl::Status s = Write([&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(out, RetryMessage(tx, id, "staff-1", clock_.Now()));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return out;
  };
  EXPECT_EQ(retry().status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Report(leased->at(0).message, notify::DeliveryState::kPermanentFailure, "550").ok());
  clock_.Advance(std::chrono::hours(1));
  auto revived = retry();
  ASSERT_TRUE(revived.ok()) << revived.status();
  EXPECT_EQ(revived->state, MessageState::kPending);
  EXPECT_EQ(revived->attempts, 0);
  EXPECT_EQ(revived->next_attempt_time, clock_.Now());
  auto history = History(id);
  EXPECT_EQ(history.back().from, MessageState::kDead);
  EXPECT_EQ(history.back().to, MessageState::kPending);
  EXPECT_EQ(history.back().worker, "staff-1");
  EXPECT_THAT(*Lease({"email"}), SizeIs(1));
}

}  // namespace
}  // namespace rebook::rebooking::testing
