// The outbox's batched calls (FindOffers, GetMessages, UpdateMessagesDelivery) and WriteScope
// (storage/store.h): an outbox-scoped write may not write the change feed's tables, leases in
// that scope beside ordinary writes still never share a message, and the feed's cursors stay
// gap-free.
#include <latch>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using MS = domain::MessageState;

const TransactionOptions kOutboxScope{.scope = WriteScope::kOutbox};

std::vector<std::int64_t> AllCursors(Store& store) {
  std::vector<std::int64_t> cursors;
  absl::Status s = store.Read({}, [&](Transaction& tx) -> absl::Status {
    cursors.clear();
    ChangeFeedQuery query{.limit = 1000};
    REBOOK_ASSIGN_OR_RETURN(ChangeFeedPage page, tx.ListChangeEvents(query));
    for (const domain::ChangeEvent& e : page.events) cursors.push_back(e.cursor);
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return cursors;
}

TEST_P(StoreConformanceTest, FindOffersReturnsTheOffersThatExist) {
  std::vector<domain::Offer> offers = {MakeOffer("a1", 1, "o1"), MakeOffer("a1", 2, "o1"),
                                       MakeOffer("a1", 1, "o2"), MakeOffer("a2", 3, "o1")};
  offers[2].token = "token-of-a1-at-o2";  // the same appointment id in another office
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutOffers(offers); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    const std::vector<OfferKey> keys = {{{"o1", "a1"}, 2},
                                        {{"o2", "a1"}, 1},
                                        {{"o1", "a1"}, 3},
                                        {{"o3", "a1"}, 1},
                                        {{"o1", "a2"}, 3}};
    REBOOK_ASSIGN_OR_RETURN(std::vector<domain::Offer> found, tx.FindOffers(keys));
    std::map<std::string, domain::Offer> by_key;
    for (const domain::Offer& o : found) {
      by_key.emplace(absl::StrCat(o.office_id, "/", o.appointment_id, "/", o.version), o);
    }
    EXPECT_EQ(found.size(), 3u);
    EXPECT_EQ(by_key.size(), 3u);
    ExpectSameOffer(by_key.at("o1/a1/2"), offers[1]);
    ExpectSameOffer(by_key.at("o2/a1/1"), offers[2]);
    ExpectSameOffer(by_key.at("o1/a2/3"), offers[3]);
    REBOOK_ASSIGN_OR_RETURN(found, tx.FindOffers({}));
    EXPECT_THAT(found, IsEmpty());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, MessagesAreReadAndSettledInBatches) {
  std::vector<domain::OutboxMessage> all;
  for (const char* id : {"m1", "m2", "m3"}) {
    all.push_back(MakeMessage(id, absl::StrCat("a-", id), "email", At(2, 8)));
    all.back().state = MS::kLeased;
    all.back().lease_expire_time = At(2, 9);
    all.back().lease_token = "lease-1";
  }
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.InsertMessages(all); }));
  domain::OutboxMessage sent = all[0];
  sent.state = MS::kSent;
  sent.attempts = 1;
  sent.lease_expire_time.reset();
  sent.provider_message_id = "provider-1";
  sent.update_time = At(2, 8, 30);
  domain::OutboxMessage failed = all[2];
  failed.state = MS::kFailed;
  failed.attempts = 2;
  failed.next_attempt_time = At(2, 10);
  failed.last_error = "mailbox full";
  failed.leased_by = "worker-9";
  failed.update_time = At(2, 8, 31);
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    domain::OutboxMessage ghost = all[1];
    ghost.id = "ghost";
    domain::OutboxMessage second = all[1];
    second.state = MS::kSent;
    // All or none: the unknown id names itself and m2 stays as it was.
    const absl::Status unknown = tx.UpdateMessagesDelivery(std::vector{second, ghost});
    EXPECT_THAT(unknown, StatusIs(StatusCode::kNotFound));
    EXPECT_THAT(unknown.message(), ::testing::HasSubstr("ghost"));
    EXPECT_THAT(tx.UpdateMessagesDelivery(std::vector{sent, sent}),
                StatusIs(StatusCode::kInvalidArgument));
    REBOOK_RETURN_IF_ERROR(tx.UpdateMessagesDelivery({}));
    return tx.UpdateMessagesDelivery(std::vector{sent, failed});
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    const std::vector<std::string> ids = {"m3", "nope", "m1", "m2"};
    REBOOK_ASSIGN_OR_RETURN(std::vector<domain::OutboxMessage> got, tx.GetMessages(ids));
    std::map<std::string, domain::OutboxMessage> by_id;
    for (const domain::OutboxMessage& m : got) by_id.emplace(m.id, m);
    EXPECT_EQ(got.size(), 3u);
    ExpectSameMessage(by_id.at("m1"), sent);
    ExpectSameMessage(by_id.at("m2"), all[1]);
    ExpectSameMessage(by_id.at("m3"), failed);
    REBOOK_ASSIGN_OR_RETURN(got, tx.GetMessages({}));
    EXPECT_THAT(got, IsEmpty());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, AnOutboxScopedWriteCannotWriteTheChangeFeed) {
  SeedWorld();
  InsertOrDie({MakeAppointment("a1", "o1", "s1", At(2, 9))});
  const std::vector<std::int64_t> before = AllCursors(store());
  ASSERT_EQ(before.size(), 1u);
  REBOOK_ASSERT_OK(store().Write(kOutboxScope, [&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(
        tx.InsertMessages(std::vector{MakeMessage("m1", "a1", "email", At(2, 8))}));
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(MakeOffer("a1", 1, "o1")));
    REBOOK_ASSIGN_OR_RETURN(domain::Appointment a, tx.GetAppointment("o1", "a1"));
    a.cases = 5;
    const StatusCode refused = StatusCode::kFailedPrecondition;
    EXPECT_THAT(tx.UpdateAppointment(a), StatusIs(refused));
    EXPECT_THAT(tx.UpdateAppointments({&a, 1}), StatusIs(refused));
    EXPECT_THAT(tx.InsertAppointments(std::vector{MakeAppointment("a2", "o1", "s1", At(2, 10))}),
                StatusIs(refused));
    EXPECT_THAT(tx.DeleteAppointment("o1", "a1"), StatusIs(refused));
    EXPECT_THAT(tx.SetAppointmentStatus({}, domain::AppointmentStatus::kCancelled, "", "", At(3, 8))
                    .status(),
                StatusIs(refused));
    EXPECT_THAT(tx.PutErasure({.appointment_id = "a1", .office_id = "o1", .erase_time = At(3, 8)}),
                StatusIs(refused));
    // The transaction stays usable after the refusals.
    return tx.AddMessageEvents(std::vector{domain::MessageEvent{
        .message_id = "m1", .time = At(2, 8), .from = MS::kPending, .to = MS::kPending}});
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.GetMessage("m1").status());
    REBOOK_RETURN_IF_ERROR(tx.GetOffer({"o1", "a1"}, 1).status());
    REBOOK_ASSIGN_OR_RETURN(domain::Appointment a, tx.GetAppointment("o1", "a1"));
    EXPECT_EQ(a.cases, MakeAppointment("a1", "o1", "s1", At(2, 9)).cases);
    EXPECT_THAT(tx.GetAppointment("o1", "a2"), StatusIs(StatusCode::kNotFound));
    REBOOK_ASSIGN_OR_RETURN(std::optional<ErasureRecord> erased, tx.GetErasure({"o1", "a1"}));
    EXPECT_FALSE(erased.has_value());
    return absl::OkStatus();
  }));
  EXPECT_EQ(AllCursors(store()), before);
}

// Three leasers in the outbox scope against one writer that adds an appointment (a change
// event) and a due message per transaction in the default scope, all at once.
TEST_P(StoreConformanceTest, OutboxScopedLeasesBesideFeedWritesShareNoMessageAndLeaveNoGap) {
  SeedWorld();
  constexpr int kFirst = 30;
  constexpr int kAdded = 12;
  constexpr int kLeasers = 3;
  std::vector<domain::OutboxMessage> first;
  for (int i = 0; i < kFirst; ++i) {
    domain::OutboxMessage m = MakeMessage(absl::StrCat("m", i), "x", "email", At(2, 8, i));
    m.idempotency_key = m.id;
    first.push_back(m);
  }
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.InsertMessages(first); }));
  std::vector<std::vector<std::string>> claimed(kLeasers + 1);
  std::latch start(kLeasers + 1);
  auto lease = [&](int w, int rounds) {
    for (int round = 0; round < rounds; ++round) {
      std::vector<LeasedMessage> got;
      absl::Status s = store().Write(kOutboxScope, [&](Transaction& tx) -> absl::Status {
        REBOOK_ASSIGN_OR_RETURN(got, tx.LeaseMessages({.channels = {"email"},
                                                       .max_messages = 2,
                                                       .now = At(3, 0),
                                                       .lease_until = At(5, 0),
                                                       .lease_token = absl::StrCat("l", w),
                                                       .worker = absl::StrCat("w", w)}));
        return absl::OkStatus();
      });
      EXPECT_TRUE(s.ok()) << s;
      for (const LeasedMessage& l : got) claimed[w].push_back(l.message.id);
    }
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < kLeasers; ++w) {
    threads.emplace_back([&, w] {
      start.arrive_and_wait();
      lease(w, 10);
    });
  }
  threads.emplace_back([&] {
    start.arrive_and_wait();
    for (int i = 0; i < kAdded; ++i) {
      absl::Status s = Write([&](Transaction& tx) -> absl::Status {
        const std::string id = absl::StrCat("b", i);
        REBOOK_RETURN_IF_ERROR(
            tx.InsertAppointments(std::vector{MakeAppointment(id, "o1", "s1", At(2, 9))}));
        domain::OutboxMessage m = MakeMessage(absl::StrCat("n", i), id, "email", At(2, 9));
        m.idempotency_key = m.id;
        return tx.InsertMessages(std::vector{m});
      });
      EXPECT_TRUE(s.ok()) << s;
    }
  });
  for (std::thread& t : threads) t.join();
  lease(kLeasers, (kFirst + kAdded) / 2 + 1);  // whatever is left
  std::map<std::string, int> times;
  for (const std::vector<std::string>& ids : claimed) {
    for (const std::string& id : ids) ++times[id];
  }
  EXPECT_EQ(times.size(), static_cast<std::size_t>(kFirst + kAdded));
  for (const auto& [id, n] : times) EXPECT_EQ(n, 1) << id;
  // One event per added appointment, numbered without a gap.
  const std::vector<std::int64_t> cursors = AllCursors(store());
  ASSERT_EQ(cursors.size(), static_cast<std::size_t>(kAdded));
  for (std::size_t i = 0; i < cursors.size(); ++i) EXPECT_EQ(cursors[i], cursors[0] + i);
}

}  // namespace
}  // namespace rebook::storage::conformance
